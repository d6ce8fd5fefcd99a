package dev.anyloop.apply;

import dev.anyloop.intent.Intent;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drains (T7's maintenance step): which of a router's routes a drain withdraws, the router's state with
 * its drains applied, and the simulation that says whether every client still reaches the service. Pure.
 * This is also the API the health checks (watch) withdraw and restore routes with: {@link #withdraw} gives
 * the router state without one service's routes through one host, and {@code Engine.apply} of it makes it
 * so while keeping every recorded drain withdrawn.
 */
public final class Drains {
    private Drains() { }

    /** The drain of {@code service} via {@code host}: the service's addresses, and the host's interface addresses as next hops. */
    public static Drain of(Intent intent, Network network, String service, String host, long now) {
        Intent.ServiceDef s = intent.services().get(service);
        if (s == null) throw new IllegalArgumentException("no service '" + service + "' in this network" + dev.anyloop.intent.Names.didYouMean(service,
                intent.services().keySet()) + " (services: " + String.join(", ", intent.services().keySet()) + ")");
        if (!s.hosts().contains(host)) {
            throw new IllegalArgumentException("service " + service + " does not run on '" + host + "' (its hosts: " + String.join(", ", s.hosts()) + ")");
        }
        return new Drain(service, host, s.addresses(), interfaceAddresses(network.host(host).orElseThrow()), now);
    }

    /** True when {@code r} is one of anyloop's routes that {@code d} withdraws: to one of its addresses, via its host. */
    public static boolean withdraws(Drain d, Route r) {
        return r.ownedByAnyloop() && r.dst().isHost() && d.addresses().contains(r.dst().network())
                && r.nexthops().stream().map(NextHop::via).anyMatch(v -> v.isPresent() && d.via().contains(v.get()));
    }

    /** {@code router} without the routes any of {@code drains} withdraws. */
    public static DeviceState apply(DeviceState router, List<Drain> drains) {
        if (drains.isEmpty()) return router;
        return router.withRoutes(router.routes().stream().filter(r -> drains.stream().noneMatch(d -> withdraws(d, r))).toList());
    }

    /** {@link #apply} for one service and host, without recording a drain: what a health check withdraws. */
    public static DeviceState withdraw(DeviceState router, Intent intent, Network network, String service, String host) {
        return apply(router, List.of(of(intent, network, service, host, 0)));
    }

    /** The routes of {@code router} a drain withdraws (none: the drain names a service the router does not route). */
    public static List<Route> routes(DeviceState router, Drain d) {
        return router.routes().stream().filter(r -> withdraws(d, r)).toList();
    }

    /**
     * The clients that reach {@code drain}'s service through {@code router} now (with {@code existing} drains)
     * and would not, or would only reach the drained host, once it is drained too: "laptop -> udp 10.53.0.53:53".
     * Empty means another host serves every one of them.
     */
    public static List<String> wouldLose(Intent intent, Network network, String router, List<Drain> existing, Drain drain) {
        Network before = drained(network, router, existing);
        List<Drain> all = new ArrayList<>(existing);
        all.add(drain);
        Network after = drained(network, router, all);
        Simulator simBefore = Simulator.of(before);
        Simulator simAfter = Simulator.of(after);
        Intent.ServiceDef s = intent.services().get(drain.service());
        List<String> lost = new ArrayList<>();
        for (String client : intent.hosts().keySet()) {
            if (s.hosts().contains(client) || client.equals(router) || network.host(client).isEmpty()) continue;
            for (Ip x : s.addresses()) {
                for (Probe p : probes(s)) {
                    RoundTrip was = simBefore.roundTrip(client, x, p.proto(), p.port());
                    if (!was.reachable()) continue;
                    RoundTrip now = simAfter.roundTrip(client, x, p.proto(), p.port());
                    String by = now.reachable() ? now.forward().verdict().step().host() : "";
                    if (!now.reachable() || by.equals(drain.host())) lost.add(now.flow().toString());
                }
            }
        }
        return lost;
    }

    private record Probe(Proto proto, int port) { }

    private static List<Probe> probes(Intent.ServiceDef s) {
        List<Probe> out = new ArrayList<>();
        for (Intent.PortDef p : s.ports()) out.add(new Probe(p.proto(), p.port()));
        if (s.ping() || out.isEmpty()) out.add(new Probe(Proto.ICMP, 0));
        return out;
    }

    private static Network drained(Network n, String router, List<Drain> drains) {
        Optional<DeviceState> r = n.host(router);
        return r.isEmpty() ? n : n.with(apply(r.get(), drains));
    }

    /** Addresses of a host's interfaces (not lo): the next hops a router reaches it by. */
    static List<Ip> interfaceAddresses(DeviceState h) {
        return h.addresses().stream().filter(a -> !a.dev().equals(Ownership.LO)).map(Address::address).map(a -> a.ip()).toList();
    }
}
