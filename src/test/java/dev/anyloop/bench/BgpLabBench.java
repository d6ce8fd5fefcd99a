package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.bgp.Bgp;
import dev.anyloop.bgp.BgpNet;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code lab up} of a BGP network with real BIRD: {@code ROUTERS} routers on a ring with a few chords, two servers
 * on a LAN behind each, ten anycast services on four servers each (every server runs BIRD), two clients. Each
 * round times the whole {@code lab up}, which returns only once every router's kernel holds exactly the simulator's
 * BGP routes (the phases, BIRD's start and convergence among them, are printed by {@code -Danyloop.lab.timing}),
 * then {@code lab down}. Root only. Run: {@code bench/bgp lab [ROUTERS SERVERS ROUNDS]}.
 */
public final class BgpLabBench {
    private BgpLabBench() { }

    static BgpNet network(int routers, int servers) {
        BgpNet net = new BgpNet();
        for (int i = 0; i < routers; i++) net.router("r" + i);
        for (int i = 0; i < routers; i++) net.link("r" + i, "r" + ((i + 1) % routers));
        Random rnd = new Random(1);
        for (int k = 0; k < routers / 4; k++) {
            int a = rnd.nextInt(routers), b = rnd.nextInt(routers);
            if (Math.abs(a - b) > 1 && Math.abs(a - b) != routers - 1) net.link("r" + a, "r" + b);
        }
        int perRouter = Math.max(1, servers / routers);
        for (int i = 0; i < routers; i++) {
            List<String> s = new ArrayList<>();
            for (int j = 0; j < perRouter && i * perRouter + j < servers; j++) s.add("s" + (i * perRouter + j));
            if (!s.isEmpty()) net.lan(List.of("r" + i), s.toArray(new String[0]));
        }
        int services = 10;
        for (int k = 0; k < services; k++) {
            List<String> hosts = new ArrayList<>();
            for (int j = 0; j < 4; j++) hosts.add("s" + ((k + j * services) % servers));
            net.service("svc" + k, 52 + k, "med", hosts.toArray(new String[0]));
        }
        net.client("c0", "r0").client("c1", "r" + routers / 2);
        return net;
    }

    public static void main(String[] args) {
        int routers = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int servers = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.setProperty("anyloop.lab.timing", "true");
        Intent intent = network(routers, servers).intent();
        Network n = Compiler.compile(intent);
        LabPlan plan = LabPlan.of("bgbench", n);
        long bgpRoutes = Bgp.converge(intent, n).network().hosts().values().stream()
                .mapToLong(d -> d.routes().stream().filter(Bgp::installedByBird).count()).sum();
        System.out.printf("network: %d routers, %d servers, %d BGP speakers, %d sessions, %d namespaces; %d BGP routes predicted%n",
                routers, servers, intent.bgp().speakers().size(), intent.bgp().sessions().size(), plan.namespaces().size(), bgpRoutes);
        Lab.down("bgbench");
        for (int r = 1; r <= rounds; r++) {
            System.out.printf("round %d, load %s%n", r, BgpBench.loadAverage());
            long t0 = System.nanoTime();
            Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan));
            long t1 = System.nanoTime();
            lab.close();
            long t2 = System.nanoTime();
            System.out.printf("round %d: lab up with BGP converged in every kernel %.2f s, lab down %.2f s%n", r, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
