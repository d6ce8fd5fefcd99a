package dev.anyloop.compile;

import dev.anyloop.compile.RuleOrigin.Role;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * anyloop's own chains for services, all named {@code AL-*}: T3 on routers ({@code AL-FWD-svc}) and T4 on service
 * hosts ({@code AL-IN-svc} then {@code AL-PORTS-svc}), for iptables and ip6tables alike. Every rule carries the
 * {@link RuleOrigin} it implements.
 *
 * <p>An address of one service keeps the how-to's shape: the service's chain ends in DROP. Services sharing an
 * address (different ports, each with its own allow:) end their chains in RETURN instead, each in turn, and one
 * {@code INPUT -d X -j DROP} after them keeps the address default-deny; on routers their jumps match their ports, so
 * each port is gated by its own service's allow:, and the rest of the traffic to X is left to the host.
 */
final class Firewall {
    static final String FILTER = "filter";
    /** On a routing Docker host: accepts transit that does not touch docker0 (Docker's FORWARD policy is DROP). */
    static final String TRANSIT = "AL-TRANSIT";

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
        for (NetfilterBuilder nf : List.of(v4, v6)) {
            Set<Ip> inputDone = new HashSet<>();
            for (ServiceDef s : intent.services().values()) {
                List<Ip> xs = s.addresses().stream().filter(x -> x.family() == nf.family()).toList();
                if (xs.isEmpty()) continue;
                if (s.hosts().contains(host.name())) {
                    for (Ip x : xs) if (inputDone.add(x)) inputJumps(intent, x, nf);
                    serviceHost(intent, host, s, dockerServices.contains(s.name()), nf);
                } else if (host.forwarding() && !s.allow().anyone()) {
                    router(intent, host, s, xs, nf);
                }
            }
        }
    }

    /** True when some address of {@code s} is shared with another service: its chains then RETURN instead of DROP. */
    static boolean shared(Intent intent, ServiceDef s) {
        return s.addresses().stream().anyMatch(x -> intent.servicesAt(x).size() > 1);
    }

    /** INPUT -d X -j AL-IN-svc for each service at X, and the default DROP after them when any of them is shared. */
    private static void inputJumps(Intent intent, Ip x, NetfilterBuilder nf) {
        List<ServiceDef> at = intent.servicesAt(x);
        boolean anyShared = false;
        for (ServiceDef s : at) {
            nf.append(FILTER, "INPUT", Rule.of(new Target.Jump(inChain(s.name())), dst(x)), RuleOrigin.service(s.name(), Role.JUMP,
                    "to " + x + " (T4)"));
            anyShared |= shared(intent, s);
        }
        if (anyShared) {
            nf.append(FILTER, "INPUT", Rule.of(new Target.Drop(), dst(x)), RuleOrigin.service(at.get(0).name(), Role.REFUSE,
                    "no service at " + x + " admits it"));
        }
    }

    /** T4: AL-IN-svc: established first, then allowed sources (and lo) on to AL-PORTS-svc; AL-PORTS-svc: ports, echo. */
    private static void serviceHost(Intent intent, HostDef host, ServiceDef s, boolean docker, NetfilterBuilder nf) {
        Family f = nf.family();
        String in = inChain(s.name());
        String ports = portsChain(s.name());
        String name = s.name();
        boolean shared = shared(intent, s);
        nf.append(FILTER, in, Rule.of(new Target.Accept(), established()), RuleOrigin.service(name, Role.REPLIES, "replies"));
        Target toPorts = new Target.Jump(ports);
        if (s.allow().anyone()) {
            nf.append(FILTER, in, Rule.of(toPorts), RuleOrigin.service(name, Role.ADMIT, "anyone may"));
        } else {
            // The host talking to its own service arrives on lo whatever its source address.
            nf.append(FILTER, in, Rule.of(toPorts, inIface("lo")), RuleOrigin.service(name, Role.ADMIT, "from this host"));
            for (Allowed.Admit a : Allowed.onServiceHost(intent, s.allow(), host.name(), f)) {
                nf.append(FILTER, in, Rule.of(toPorts, a.match()), RuleOrigin.allow(name, a.entry()));
            }
            nf.append(FILTER, in, end(shared), refuse(name, shared, "not in allow"));
        }
        if (!docker) {
            for (PortDef p : s.ports()) nf.append(FILTER, ports, port(p), RuleOrigin.service(name, Role.PORT, "port " + p));
        }
        if (s.ping()) nf.append(FILTER, ports, echo(f), RuleOrigin.service(name, Role.PING, "ping"));
        nf.append(FILTER, ports, end(shared), refuse(name, shared, "not a port of the service"));
    }

    /**
     * T3: FORWARD -d X -j AL-FWD-svc (with the service's ports when X is shared); return for the router's interfaces
     * on allowed segments and its own named interfaces, then for explicit sources, the prefixes of allowed segments the
     * router is not on and the prefixes of segments behind interfaces named on other hosts; then DROP.
     */
    private static void router(Intent intent, HostDef host, ServiceDef s, List<Ip> xs, NetfilterBuilder nf) {
        String fwd = fwdChain(s.name());
        boolean shared = shared(intent, s);
        if (shared && s.ports().isEmpty()) return; // nothing of a shared address is this service's alone: the host decides
        RuleOrigin jump = RuleOrigin.service(s.name(), Role.JUMP, "forwarded to it (T3)");
        for (Ip x : xs) {
            if (shared) {
                for (PortDef p : s.ports()) nf.append(FILTER, "FORWARD", Rule.of(new Target.Jump(fwd), dst(x), proto(p), dport(p)), jump);
            } else {
                nf.append(FILTER, "FORWARD", Rule.of(new Target.Jump(fwd), dst(x)), jump);
            }
        }
        nf.declare(FILTER, fwd);
        for (Allowed.Admit a : Allowed.onRouter(intent, s.allow(), host, nf.family())) {
            nf.append(FILTER, fwd, Rule.of(new Target.Return(), a.match()), RuleOrigin.allow(s.name(), a.entry()));
        }
        nf.append(FILTER, fwd, Rule.of(new Target.Drop()), RuleOrigin.service(s.name(), Role.REFUSE, "not in allow"));
    }

    /**
     * The body of a chain that lets allowed traffic go on with {@code allowed} and drops the rest:
     * established first, then sources, then this host's interfaces (Docker's AL-DK-svc).
     */
    static void gate(Intent intent, HostDef host, ServiceDef s, Family f, Target allowed, NetfilterBuilder nf, String chain) {
        nf.append(FILTER, chain, Rule.of(allowed, established()), RuleOrigin.service(s.name(), Role.REPLIES, "replies"));
        for (Allowed.Admit a : Allowed.onServiceHost(intent, s.allow(), host.name(), f)) {
            nf.append(FILTER, chain, Rule.of(allowed, a.match()), RuleOrigin.allow(s.name(), a.entry()));
        }
        nf.append(FILTER, chain, Rule.of(new Target.Drop()), RuleOrigin.service(s.name(), Role.REFUSE, "not in allow"));
    }

    /** The last rule of a service host chain: DROP, or RETURN to let the next service of a shared address decide. */
    private static Rule end(boolean shared) { return Rule.of(shared ? new Target.Return() : new Target.Drop()); }

    private static RuleOrigin refuse(String name, boolean shared, String why) {
        return RuleOrigin.service(name, shared ? Role.NEXT : Role.REFUSE, why + (shared ? ": next service at the address" : ""));
    }

    static Match dst(Ip x) { return new Match.Destination(Prefix.host(x), false); }

    static Match src(Prefix p) { return new Match.Source(p, false); }

    static Match inIface(String i) { return new Match.InInterface(i, false); }

    static Match established() { return new Match.ConnState(Set.of("RELATED", "ESTABLISHED"), false); }

    private static Match proto(PortDef p) { return new Match.Protocol(p.proto().word(), false); }

    private static Match dport(PortDef p) { return new Match.DstPorts(List.of(new PortRange(p.port(), p.last())), false); }

    /** {@code -p tcp -m tcp --dport N[:M] -j ACCEPT} (or udp). */
    static Rule port(PortDef p) { return Rule.of(new Target.Accept(), proto(p), dport(p)); }

    /** {@code -p icmp -m icmp --icmp-type 8} or {@code -p ipv6-icmp -m icmp6 --icmpv6-type 128}, ACCEPT. */
    static Rule echo(Family f) {
        return Rule.of(new Target.Accept(), new Match.Protocol(f == Family.V4 ? "icmp" : "ipv6-icmp", false),
                new Match.IcmpType(IcmpTypes.echoRequest(f), -1, false));
    }

}
