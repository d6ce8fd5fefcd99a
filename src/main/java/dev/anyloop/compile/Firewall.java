package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.IcmpTypes;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * anyloop's own chains, all named {@code AL-*}: T3 on routers ({@code AL-FWD-svc}) and T4 on service
 * hosts ({@code AL-IN-svc} then {@code AL-PORTS-svc}), for iptables and ip6tables alike.
 */
final class Firewall {
    static final String FILTER = "filter";

    private Firewall() { }

    static String inChain(String svc) { return "AL-IN-" + svc; }

    static String portsChain(String svc) { return "AL-PORTS-" + svc; }

    static String fwdChain(String svc) { return "AL-FWD-" + svc; }

    /**
     * Appends the chains of every service to {@code host}'s tables. {@code dockerServices} are the
     * services whose ports this host publishes with Docker: their ports are DNAT'ed in nat PREROUTING,
     * before filter INPUT, so the host chain only decides echo and hides the host's own sockets (T5).
     */
    static void install(Intent intent, HostDef host, Set<String> dockerServices, NetfilterBuilder v4, NetfilterBuilder v6) {
        for (ServiceDef s : intent.services().values()) {
            for (NetfilterBuilder nf : List.of(v4, v6)) {
                List<Ip> xs = s.addresses().stream().filter(x -> x.family() == nf.family()).toList();
                if (xs.isEmpty()) continue;
                if (s.hosts().contains(host.name())) {
                    serviceHost(intent, host, s, dockerServices.contains(s.name()), xs, nf);
                } else if (host.forwarding() && !s.allow().anyone()) {
                    router(intent, host, s, xs, nf);
                }
            }
        }
    }

    /** T4: INPUT -d X -j AL-IN-svc; established first, then allowed sources (and lo) on to AL-PORTS-svc. */
    private static void serviceHost(Intent intent, HostDef host, ServiceDef s, boolean docker, List<Ip> xs,
                                    NetfilterBuilder nf) {
        Family f = nf.family();
        String in = inChain(s.name());
        String ports = portsChain(s.name());
        for (Ip x : xs) nf.append(FILTER, "INPUT", Rule.of(new Target.Jump(in), dst(x)));
        nf.append(FILTER, in, Rule.of(new Target.Accept(), established()));
        Target toPorts = new Target.Jump(ports);
        if (s.allow().anyone()) {
            nf.append(FILTER, in, Rule.of(toPorts));
        } else {
            Allowed a = Allowed.on(intent, s.allow(), host.name());
            // The host talking to its own service arrives on lo whatever its source address.
            nf.append(FILTER, in, Rule.of(toPorts, inIface("lo")));
            for (Prefix p : sourcePrefixes(intent, a, f)) nf.append(FILTER, in, Rule.of(toPorts, src(p)));
            for (String i : a.interfaces()) nf.append(FILTER, in, Rule.of(toPorts, inIface(i)));
            // anyloop watch's probes of this instance, from each router's probe source
            for (Prefix p : ProbePaths.sources(intent, host.name(), s, f)) nf.append(FILTER, in, Rule.of(toPorts, src(p)));
            nf.append(FILTER, in, Rule.of(new Target.Drop()));
        }
        if (!docker) {
            for (PortDef p : s.ports()) nf.append(FILTER, ports, port(p));
        }
        if (s.ping()) nf.append(FILTER, ports, echo(f));
        nf.append(FILTER, ports, Rule.of(new Target.Drop()));
    }

    /**
     * T3: FORWARD -d X -j AL-FWD-svc; return for the router's interfaces on allowed segments and its own
     * named interfaces, then for explicit sources, the prefixes of allowed segments the router is not on
     * and the prefixes of segments behind interfaces named on other hosts.
     */
    private static void router(Intent intent, HostDef host, ServiceDef s, List<Ip> xs, NetfilterBuilder nf) {
        Family f = nf.family();
        String fwd = fwdChain(s.name());
        for (Ip x : xs) nf.append(FILTER, "FORWARD", Rule.of(new Target.Jump(fwd), dst(x)));
        Allowed a = Allowed.on(intent, s.allow(), host.name());
        Set<String> ifaces = new LinkedHashSet<>();
        List<String> elsewhere = new ArrayList<>();
        for (String seg : a.segments()) {
            boolean here = false;
            for (InterfaceDef i : host.interfaces().values()) {
                if (i.segment().equals(seg)) {
                    ifaces.add(i.name());
                    here = true;
                }
            }
            if (!here) elsewhere.add(seg);
        }
        ifaces.addAll(a.interfaces());
        nf.declare(FILTER, fwd);
        for (String i : ifaces) nf.append(FILTER, fwd, Rule.of(new Target.Return(), inIface(i)));
        for (Prefix p : union(union(a.sources(f), Allowed.prefixesOf(intent, elsewhere, f)), a.refPrefixes(intent, f))) {
            nf.append(FILTER, fwd, Rule.of(new Target.Return(), src(p)));
        }
        nf.append(FILTER, fwd, Rule.of(new Target.Drop()));
    }

    /**
     * The body of a chain that lets allowed traffic go on with {@code allowed} and drops the rest:
     * established first, then sources, then this host's interfaces (Docker's AL-DK-svc).
     */
    static List<Rule> gate(Intent intent, HostDef host, ServiceDef s, Family f, Target allowed) {
        Allowed a = Allowed.on(intent, s.allow(), host.name());
        List<Rule> out = new ArrayList<>();
        out.add(Rule.of(allowed, established()));
        for (Prefix p : sourcePrefixes(intent, a, f)) out.add(Rule.of(allowed, src(p)));
        for (String i : a.interfaces()) out.add(Rule.of(allowed, inIface(i)));
        for (Prefix p : ProbePaths.sources(intent, host.name(), s, f)) out.add(Rule.of(allowed, src(p)));
        out.add(Rule.of(new Target.Drop()));
        return out;
    }

    /** On a service host: allowed segments' prefixes, then named foreign interfaces' segments, then sources. */
    private static List<Prefix> sourcePrefixes(Intent intent, Allowed a, Family f) {
        return union(union(a.segmentPrefixes(intent, f), a.refPrefixes(intent, f)), a.sources(f));
    }

    private static List<Prefix> union(List<Prefix> a, List<Prefix> b) {
        Set<Prefix> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return List.copyOf(s);
    }

    static Match dst(Ip x) { return new Match.Destination(Prefix.host(x), false); }

    static Match src(Prefix p) { return new Match.Source(p, false); }

    static Match inIface(String i) { return new Match.InInterface(i, false); }

    static Match established() { return new Match.ConnState(Set.of("RELATED", "ESTABLISHED"), false); }

    /** {@code -p tcp -m tcp --dport N -j ACCEPT} (or udp). */
    static Rule port(PortDef p) {
        return Rule.of(new Target.Accept(), new Match.Protocol(p.proto().word(), false),
                new Match.DstPorts(List.of(PortRange.of(p.port())), false));
    }

    /** {@code -p icmp -m icmp --icmp-type 8} or {@code -p ipv6-icmp -m icmp6 --icmpv6-type 128}, ACCEPT. */
    static Rule echo(Family f) {
        return Rule.of(new Target.Accept(), new Match.Protocol(f == Family.V4 ? "icmp" : "ipv6-icmp", false),
                new Match.IcmpType(IcmpTypes.echoRequest(f), -1, false));
    }
}
