package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Step;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Derives every check that network.yaml implies and runs it on the simulator: the {@code expect:}
 * entries, who may and may not reach each service (T3/T4), services hidden from the gateway's
 * interface addresses (T6), routes back to loopback sources (T8), rules that do not protect what they
 * seem to (T5) and failover when each service host goes down (T7).
 */
public final class Checker {
    private final Intent intent;
    private final Network network;
    private final Simulator sim;

    private Checker(Intent intent, Network network) {
        this.intent = intent;
        this.network = network;
        this.sim = Simulator.of(network);
    }

    /** Runs every check; the order is the file's order, expectations first. */
    public static List<Finding> run(Intent intent, Network network) {
        Checker c = new Checker(intent, network);
        List<Finding> out = new ArrayList<>();
        c.expectations(out);
        c.access(out);
        c.hidden(out);
        c.sourceAddresses(out);
        out.addAll(ShadowedRules.find(intent, network, c.sim, c.clients()));
        out.addAll(Failover.check(intent, network, c.clients()));
        out.addAll(WildcardUdp.check(intent));
        return out;
    }

    private void expectations(List<Finding> out) {
        for (ExpectDef e : intent.expectations()) {
            for (Ip dst : resolve(e.to())) {
                // a service name stands for its addresses of the families the client speaks
                if (intent.services().containsKey(e.to()) && !hasFamily(network, e.from(), dst)) continue;
                RoundTrip rt = sim.roundTrip(e.from(), dst, e.proto(), e.port());
                String what = "line " + e.pos().line() + ": " + rt.flow() + " expected "
                        + (e.reachable() ? "reachable" : "not reachable") + ", " + outcome(rt);
                // over a multipath route a flow takes whichever path the kernel's hash picks: every path must agree
                out.add(Finding.of("expect", rt.reachable() == e.reachable() && !rt.mixed(), what, rt));
            }
        }
    }

    /**
     * T3/T4: each port of each service from each client: reachable exactly when the intent allows the
     * source address the client's kernel picks (a router's own traffic may leave from an address
     * outside the segment that makes it "allowed").
     */
    private void access(List<Finding> out) {
        for (ServiceDef s : intent.services().values()) {
            for (Ip x : s.addresses()) {
                for (String client : clients()) {
                    if (s.hosts().contains(client) || !hasFamily(network, client, x)) continue;
                    for (PortDef p : probes(s)) {
                        RoundTrip rt = sim.roundTrip(client, x, p.proto(), p.port());
                        Optional<Ip> src = source(rt);
                        boolean allowed = src.map(a -> allowedSource(intent, s.allow(), a))
                                .orElseGet(() -> allowed(intent, s.allow(), client));
                        boolean expect = allowed && (p.proto() != Proto.ICMP || s.ping());
                        String tech = expect ? "T2/T4" : (allowed ? "T4" : "T3/T4");
                        String why = s.allow().anyone() ? "anyone may"
                                : src.map(a -> "source " + a).orElse(client) + (allowed ? " is allowed" : " is not in allow");
                        out.add(Finding.of(tech, rt.reachable() == expect && !rt.mixed(), s.name() + ": " + rt.flow() + " expected "
                                + (expect ? "reachable" : "refused") + " (" + why + "), " + outcome(rt), rt));
                    }
                }
            }
        }
    }

    /** The source address the client's kernel chose for a flow, if the walk got that far. */
    static Optional<Ip> source(RoundTrip rt) {
        return rt.forward().steps().stream().filter(st -> st instanceof Step.SourceSelected)
                .map(st -> ((Step.SourceSelected) st).address()).findFirst();
    }

    /** T6: a service bound to its address only is not found at its hosts' interface addresses. */
    private void hidden(List<Finding> out) {
        for (ServiceDef s : intent.services().values()) {
            if (s.bind() != Intent.Bind.ADDRESS || s.docker().isPresent()) continue;
            for (String h : s.hosts()) {
                HostDef hd = intent.hosts().get(h);
                for (InterfaceDef i : hd.interfaces().values()) {
                    for (InterfaceAddress a : i.addresses()) {
                        for (PortDef p : s.ports()) {
                            hiddenAt(s, h, a.ip(), p).ifPresent(out::add);
                        }
                    }
                }
            }
        }
    }

    /**
     * One T6 probe: from the first allowed client whose packet reaches {@code host}, to the interface address;
     * it holds when {@code host} itself leaves it unanswered (no listener, or a rule), not when it never got there.
     */
    private Optional<Finding> hiddenAt(ServiceDef s, String host, Ip addr, PortDef p) {
        for (String c : clients()) {
            if (c.equals(host) || !allowed(intent, s.allow(), c) || !hasFamily(network, c, addr)) continue;
            RoundTrip rt = sim.roundTrip(c, addr, p.proto(), p.port());
            boolean atHost = rt.verdict().step().host().equals(host) || rt.reachable();
            if (!atHost) continue;
            return Optional.of(Finding.of("T6", !rt.reachable(), s.name() + ": " + rt.flow() + " at " + host
                    + "'s interface address expected not answered, " + outcome(rt), rt));
        }
        return Optional.empty();
    }

    /** T8: every peer in the prefix answers the host, and the host's packets carry the loopback source. */
    private void sourceAddresses(List<Finding> out) {
        for (SourceDef src : intent.sources()) {
            for (HostDef peer : intent.hosts().values()) {
                if (peer.name().equals(src.host())) continue;
                for (InterfaceDef i : peer.interfaces().values()) {
                    for (InterfaceAddress a : i.addresses()) {
                        if (!src.to().contains(a.ip())) continue;
                        RoundTrip rt = sim.roundTrip(src.host(), a.ip(), Proto.ICMP, 0);
                        Optional<Ip> chosen = source(rt);
                        boolean ok = rt.reachable() && chosen.equals(Optional.of(src.from()));
                        String msg = src.host() + " -> " + peer.name() + " (" + a.ip() + "): expected source " + src.from()
                                + " and a route back, got source " + chosen.map(Ip::toString).orElse("none") + ", " + outcome(rt);
                        out.add(Finding.of("T8", ok, msg, rt));
                    }
                }
            }
        }
    }

    /** Hosts written in network.yaml (containers and other derived hosts are not clients). */
    List<String> clients() {
        return intent.hosts().keySet().stream().filter(h -> network.hosts().containsKey(h)).toList();
    }

    static boolean hasFamily(Network network, String host, Ip dst) {
        return network.hosts().get(host).addresses().stream()
                .anyMatch(a -> a.address().family() == dst.family() && !a.address().ip().isLoopback() && !a.dev().equals("lo"));
    }

    /** The transport probes a service is checked with: each port, and ICMP echo. */
    static List<PortDef> probes(ServiceDef s) {
        List<PortDef> out = new ArrayList<>(s.ports());
        out.add(new PortDef(Proto.ICMP, 0));
        return out;
    }

    /** True when the intent lets {@code client} reach the service. */
    static boolean allowed(Intent intent, AllowDef allow, String client) {
        if (allow.anyone()) return true;
        HostDef h = intent.hosts().get(client);
        for (InterfaceDef i : h.interfaces().values()) {
            if (allow.segments().contains(i.segment())) return true;
            for (InterfaceAddress a : i.addresses()) {
                for (Prefix p : allow.sources()) if (p.contains(a.ip())) return true;
            }
            for (Intent.IfaceRef r : allow.interfaces()) {
                InterfaceDef ri = intent.hosts().get(r.host()).interfaces().get(r.iface());
                if (ri != null && ri.segment().equals(i.segment())) return true;
            }
        }
        return false;
    }

    /** True when traffic from {@code src} is allowed: in an allowed segment, source prefix, or named interface's segment. */
    static boolean allowedSource(Intent intent, AllowDef allow, Ip src) {
        if (allow.anyone()) return true;
        for (Prefix p : allow.sources()) if (p.contains(src)) return true;
        List<String> segments = new ArrayList<>(allow.segments());
        for (Intent.IfaceRef r : allow.interfaces()) {
            InterfaceDef ri = intent.hosts().get(r.host()).interfaces().get(r.iface());
            if (ri != null) segments.add(ri.segment());
        }
        for (String seg : segments) {
            Intent.SegmentDef sd = intent.segments().get(seg);
            if (sd != null && sd.prefixes().stream().anyMatch(p -> p.contains(src))) return true;
        }
        return false;
    }

    /** Resolves an expectation target: a service name (each of its addresses) or an address. */
    List<Ip> resolve(String to) {
        ServiceDef s = intent.services().get(to);
        return s != null ? s.addresses() : List.of(Ip.parse(to));
    }

    static String outcome(RoundTrip rt) {
        if (rt.mixed()) return rt.multipath().get() + " (the kernel hashes the flow onto one): " + rt.verdict().describe();
        if (rt.reachable()) return "reachable (answered by " + rt.forward().verdict().step().host() + ")";
        return "not reachable: " + rt.verdict().describe();
    }
}
