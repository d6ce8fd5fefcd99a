package dev.anyloop.bench;

import dev.anyloop.fleet.Catalog;
import dev.anyloop.fleet.Preview;
import dev.anyloop.fleet.Query;
import dev.anyloop.fleet.Rollout;
import dev.anyloop.fleet.RolloutProof;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The preview of apply --all (and the proof of its order) on the 1,000-host network of the reach benchmark
 * ({@link ScaleNetwork}), given a service address on every host: 10.100.R.H/32 on hR-H's lo, routed by its router
 * (proto 77) and by the other routers through the core. The change: 1% of the services (10 of 990, one per LAN)
 * move to another host of their LAN. Queries: every host to every service address, tcp/80 (every host listens on
 * 0.0.0.0:80), 980,100 in all. Run: {@code bench/fleet} ({@code java ... dev.anyloop.bench.PreviewBench ROUNDS}).
 */
public final class PreviewBench {
    private PreviewBench() { }

    static Ip service(int r, int h) { return Ip.parse("10.100." + r + "." + h); }

    static Ip hostIp(int r, int h) { return Ip.parse("10." + r + "." + (1 + h / 200) + "." + (2 + h % 200)); }

    /** ScaleNetwork with a service address on every host; {@code moved} maps a service (r, h) to the host h' that carries it instead. */
    static Network withServices(Network base, Map<Integer, Integer> moved) {
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (DeviceState d : base.hosts().values()) hosts.put(d.host(), d);
        for (int r = 0; r < ScaleNetwork.ROUTERS; r++) {
            List<Route> routes = new ArrayList<>();
            for (int h = 0; h < ScaleNetwork.HOSTS_PER_ROUTER; h++) {
                int at = r * 1000 + h;
                int carrier = moved.containsKey(at) ? moved.get(at) : h;
                routes.add(Route.via(Prefix.parse(service(r, h) + "/32"), hostIp(r, carrier), "lan", 0, Route.PROTO_ANYLOOP));
                String name = "h" + r + "-" + carrier;
                hosts.put(name, withLo(hosts.get(name), service(r, h)));
            }
            for (int o = 0; o < ScaleNetwork.ROUTERS; o++) {
                if (o != r) routes.add(Route.via(Prefix.parse("10.100." + o + ".0/24"), Ip.parse("10.255.0." + (o + 1)), "core", 0, Route.PROTO_ANYLOOP));
            }
            DeviceState router = hosts.get("r" + r);
            List<Route> all = new ArrayList<>(router.routes());
            all.addAll(routes);
            hosts.put(router.host(), router.withRoutes(all));
        }
        return new Network(hosts, base.segments());
    }

    private static DeviceState withLo(DeviceState d, Ip ip) {
        List<Address> a = new ArrayList<>(d.addresses());
        a.add(Address.global("lo", InterfaceAddress.parse(ip + "/32")));
        List<Route> r = new ArrayList<>(d.routes());
        r.add(new Route(Route.Type.LOCAL, Prefix.parse(ip + "/32"), Route.TABLE_LOCAL, List.of(NextHop.dev("lo")), 0, Optional.of(ip), "kernel",
                Route.Scope.HOST));
        return new DeviceState(d.host(), d.links(), a, r, d.rules(), d.sysctls(), d.ipv4(), d.ipv6(), d.listeners());
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Network base = ScaleNetwork.network();
        Network live = withServices(base, Map.of());
        Map<Integer, Integer> moves = new LinkedHashMap<>();
        for (int r = 0; r < ScaleNetwork.ROUTERS; r++) moves.put(r * 1000, 50);
        Network desired = withServices(base, moves);
        // the desired network shares every unchanged host's DeviceState object with the live one, as apply --all's does
        Map<String, DeviceState> shared = new LinkedHashMap<>();
        int changedHosts = 0;
        for (DeviceState d : desired.hosts().values()) {
            DeviceState l = live.host(d.host()).orElseThrow();
            boolean same = l.equals(d);
            shared.put(d.host(), same ? l : d);
            if (!same) changedHosts++;
        }
        desired = new Network(shared, desired.segments());
        Catalog catalog = Catalog.of(Optional.empty(), List.of(live, desired));
        List<Query> queries = catalog.queries(List.of(live, desired));
        System.out.printf("network: %d hosts, %d service addresses, %d queries; the change moves %d services (%d hosts change)%n",
                live.hosts().size(), catalog.entries().size(), queries.size(), moves.size(), changedHosts);
        for (int i = 0; i <= rounds; i++) {
            long t0 = System.nanoTime();
            Preview p = Preview.scoped(live, desired, queries, 2);
            long t1 = System.nanoTime();
            System.out.printf("%s: preview %.2f s: %d of %d queries in the change's scope simulated both ways, %d verdicts change, %d stay reachable%n",
                    i == 0 ? "warm-up" : "round " + i, (t1 - t0) / 1e9, p.simulated(), p.queries(), p.changes().size(), p.staying().size());
            if (i == rounds) {
                // the baseline in the same run: every query simulated both ways, no scope
                long b0 = System.nanoTime();
                Simulator a = Simulator.of(live);
                Simulator b = a.derive(desired);
                Preview all = Preview.of(a, b, queries, 2);
                long b1 = System.nanoTime();
                System.out.printf("baseline: every query both ways %.2f s: %d verdicts change (the same %s)%n", (b1 - b0) / 1e9, all.changes().size(),
                        all.changes().equals(p.changes()) ? "changes" : "COUNT BUT DIFFERENT CHANGES");
            }
            if (i == rounds) {
                Map<String, Rollout.HostInput> in = new LinkedHashMap<>();
                for (DeviceState d : desired.hosts().values()) {
                    DeviceState l = live.host(d.host()).orElseThrow();
                    in.put(d.host(), new Rollout.HostInput(l, Set.copyOf(l.addressesOn("lo")), d));
                }
                long t3 = System.nanoTime();
                Rollout.Plan plan = Rollout.plan(in);
                RolloutProof proof = RolloutProof.check(live, plan, p.staying());
                long t4 = System.nanoTime();
                System.out.printf("plan and proof: %.2f s: %d steps in %s, %s, %d states, %d round trips%n", (t4 - t3) / 1e9, plan.steps().size(),
                        plan.waves().entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(e -> e.getKey().word() + " " + e.getValue().size()).toList(),
                        proof.safe() ? "safe" : "NOT SAFE (" + proof.violations().size() + ")", proof.states(), proof.roundTrips());
            }
        }
    }
}
