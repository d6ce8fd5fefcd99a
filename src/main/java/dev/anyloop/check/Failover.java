package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * T7: takes each host of a multi-host service down in turn and checks the service is still reached, via
 * the next host in preference order. Linux keeps a route whose gateway went silent, so the scenario is
 * what anyloop's health check does: the host is gone and the routes through it are withdrawn.
 */
public final class Failover {
    private Failover() { }

    /** One failover scenario: {@code service} with its host {@code down} drained, and the checks run on {@code drained}. */
    public record Scenario(String service, String down, Network drained, List<Finding> findings) {
        /** "dns without pi1". */
        public String label() { return service + " without " + down; }
    }

    static List<Finding> check(Intent intent, Network network, List<String> clients) {
        List<Finding> out = new ArrayList<>();
        for (Scenario s : scenarios(intent, network, clients)) out.addAll(s.findings());
        return out;
    }

    /** Every T7 scenario of the network: each host of each multi-host service drained in turn, clients as {@link Checker} picks them. */
    public static List<Scenario> scenarios(Intent intent, Network network) {
        return scenarios(intent, network, intent.hosts().keySet().stream().filter(h -> network.hosts().containsKey(h)).toList());
    }

    private static List<Scenario> scenarios(Intent intent, Network network, List<String> clients) {
        List<Scenario> out = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) {
            if (s.hosts().size() < 2) continue;
            for (String down : s.hosts()) {
                Network drained = drain(network, s, down);
                out.add(new Scenario(s.name(), down, drained, findings(intent, network, clients, s, down, drained)));
            }
        }
        return out;
    }

    private static List<Finding> findings(Intent intent, Network network, List<String> clients, ServiceDef s, String down,
                                          Network drained) {
        List<Finding> out = new ArrayList<>();
        Simulator sim = Simulator.of(drained);
        PortDef probe = s.ports().isEmpty() ? new PortDef(Proto.ICMP, 0) : s.ports().get(0);
        for (String client : clients) {
            if (s.hosts().contains(client) || !Checker.allowed(intent, s.allow(), client)) continue;
            if (gatewayIs(network, client, down)) {
                out.add(new Finding("T7", Finding.Kind.NOTE, s.name() + ": with " + down + " down, " + client
                        + " loses its gateway too; metric-ordered routes cannot fail over for hosts that route"
                        + " through the service host itself", java.util.Optional.empty()));
                continue;
            }
            for (Ip x : s.addresses()) {
                if (!Checker.hasFamily(network, client, x)) continue;
                RoundTrip rt = sim.roundTrip(client, x, probe.proto(), probe.port());
                // as in the access check: a client whose kernel picks a source outside allow is expected refused,
                // which the access check already covers
                if (!Checker.source(rt).map(a -> Checker.allowedSource(intent, s.allow(), a)).orElse(true)) continue;
                out.add(Finding.of("T7", rt.reachable(), s.name() + ": with " + down
                        + " down (its routes withdrawn), " + rt.flow() + " expected reachable via a backup, "
                        + Checker.outcome(rt), rt));
            }
        }
        return out;
    }

    /** True when a default route of {@code client} goes through an address of {@code host}. */
    static boolean gatewayIs(Network n, String client, String host) {
        DeviceState h = n.hosts().get(host);
        return n.hosts().get(client).routes().stream().filter(r -> r.dst().length() == 0)
                .flatMap(r -> r.nexthops().stream()).anyMatch(nh -> nh.via().map(h::hasAddress).orElse(false));
    }

    /** The network without {@code down}, and without any route to the service's addresses through it. */
    static Network drain(Network n, ServiceDef s, String down) { return drain(n, s.addresses(), down); }

    /**
     * The network without {@code down}, and without any host route to one of {@code addresses} through it: the
     * drain of {@link #scenarios}, for addresses that network.yaml does not name (a snapshot's loopback addresses).
     */
    public static Network drain(Network n, List<Ip> addresses, String down) {
        DeviceState gone = n.hosts().get(down);
        if (gone == null) throw new IllegalArgumentException("no host '" + down + "' to drain");
        Set<Ip> addrs = gone.addresses().stream().map(Address::address).map(a -> a.ip()).collect(Collectors.toSet());
        Network out = n.without(down);
        for (DeviceState d : out.hosts().values()) {
            List<Route> kept = d.routes().stream().filter(r -> !(r.dst().isHost() && addresses.contains(r.dst().network())
                    && r.nexthops().stream().anyMatch(nh -> nh.via().map(addrs::contains).orElse(false)))).toList();
            if (kept.size() != d.routes().size()) out = out.with(d.withRoutes(kept));
        }
        return out;
    }
}
