package dev.anyloop.bench;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.bgp.Convergence;
import dev.anyloop.bgp.Rib;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Pos;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Simulated BGP convergence at scale: {@code ROUTERS} routers (a random tree plus as many random extra links,
 * so about 4 sessions each), {@code SERVERS} servers on their own LAN each behind one router, and
 * {@code SERVICES} service addresses each announced by {@code PER} random servers with MED preference: SERVICES x PER
 * announcements. Times {@link Bgp#converge} (the decision process to its fixed point for every prefix, then the
 * kernel routes into every router's DeviceState) and {@link Convergence#solve} alone, in {@code ROUNDS} rounds.
 * The network is built as records (a 3,000-host network.yaml is a loader benchmark, not this one).
 * Run: {@code java -cp target/test-classes:target/classes:DEPS dev.anyloop.bench.BgpBench [ROUTERS SERVERS SERVICES PER ROUNDS]}.
 */
public final class BgpBench {
    private BgpBench() { }

    public static void main(String[] args) {
        int routers = arg(args, 0, 1000), servers = arg(args, 1, 2000), services = arg(args, 2, 1000), per = arg(args, 3, 10);
        int rounds = arg(args, 4, 5);
        long t0 = System.nanoTime();
        Intent intent = build(routers, servers, services, per, 1);
        Network n = Compiler.compile(intent);
        System.out.printf("network: %d routers, %d servers, %d service addresses x %d servers = %d announcements, %d sessions"
                + " (built and compiled in %.1f s)%n", routers, servers, services, per, services * per, intent.bgp().sessions().size(),
                (System.nanoTime() - t0) / 1e9);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 1; r <= rounds; r++) {
            long gc0 = gcMillis(), cpu0 = os.getProcessCpuTime();
            long a = System.nanoTime();
            Rib rib = Convergence.solve(intent, n, Set.of());
            long b = System.nanoTime();
            long gc1 = gcMillis(), cpu1 = os.getProcessCpuTime();
            Bgp.Converged c = Bgp.converge(intent, n);
            long d = System.nanoTime();
            long gc2 = gcMillis(), cpu2 = os.getProcessCpuTime();
            System.out.printf("round %d: cpu of the process (all threads, GC included): solve %.2f s, converge %.2f s; gc %d ms, %d ms; load %s%n", r, (cpu1 - cpu0) / 1e9,
                    (cpu2 - cpu1) / 1e9, gc1 - gc0, gc2 - gc1, loadAverage());
            long routes = c.network().hosts().values().stream().mapToLong(x -> x.routes().stream().filter(Bgp::installedByBird).count()).sum();
            System.out.printf("round %d: Convergence.solve %.2f s; Bgp.converge (solve + routes into DeviceStates) %.2f s; %d BGP routes"
                    + " in the kernels, %d of them ECMP; r0 routes %d prefixes%n", r, (b - a) / 1e9, (d - b) / 1e9, routes,
                    c.network().hosts().values().stream().mapToLong(x -> x.routes().stream().filter(y -> Bgp.installedByBird(y)
                            && y.nexthops().size() > 1).count()).sum(), c.network().hosts().get("r0").routes().stream().filter(Bgp::installedByBird).count());
        }
        System.out.printf("heap used after the rounds: %d MiB%n", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    private static long gcMillis() {
        long t = 0;
        for (var g : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, g.getCollectionTime());
        return t;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static int arg(String[] args, int i, int dflt) { return args.length > i ? Integer.parseInt(args[i]) : dflt; }

    /** The network as records: what the loader would make of the equivalent network.yaml. */
    static Intent build(int routerCount, int serverCount, int serviceCount, int per, long seed) {
        Random rnd = new Random(seed);
        Map<String, SegmentDef> segments = new LinkedHashMap<>();
        Map<String, List<InterfaceDef>> ifaces = new LinkedHashMap<>();
        for (int i = 0; i < routerCount; i++) ifaces.put("r" + i, new ArrayList<>());
        for (int i = 0; i < serverCount; i++) ifaces.put("s" + i, new ArrayList<>());
        int[] next = {0};
        Set<String> linked = new HashSet<>();
        List<BgpDef.Session> sessions = new ArrayList<>();
        for (int i = 1; i < routerCount; i++) link(segments, ifaces, sessions, next, "r" + rnd.nextInt(i), "r" + i, linked);
        for (int k = 0; k < routerCount; k++) {
            int a = rnd.nextInt(routerCount), b = rnd.nextInt(routerCount);
            if (a != b) link(segments, ifaces, sessions, next, "r" + a, "r" + b, linked);
        }
        for (int i = 0; i < serverCount; i++) link(segments, ifaces, sessions, next, "r" + rnd.nextInt(routerCount), "s" + i, linked);
        Map<String, HostDef> hosts = new LinkedHashMap<>();
        Map<String, BgpDef.Speaker> speakers = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, List<InterfaceDef>> e : ifaces.entrySet()) {
            boolean router = e.getKey().startsWith("r");
            Map<String, InterfaceDef> m = new LinkedHashMap<>();
            for (InterfaceDef d : e.getValue()) m.put(d.name(), d);
            List<InterfaceAddress> lo = router ? List.of(InterfaceAddress.of(Ip.v4(0x0aff0000 + k + 1), 32)) : List.of();
            hosts.put(e.getKey(), new HostDef(e.getKey(), router, Intent.RpFilter.LOOSE, m, lo, List.of(), Pos.NONE));
            Ip id = router ? lo.get(0).ip() : e.getValue().get(0).addresses().get(0).ip();
            speakers.put(e.getKey(), new BgpDef.Speaker(e.getKey(), router ? BgpDef.Role.ROUTER : BgpDef.Role.SERVER,
                    router ? 64512 + k : 4200000000L + k, id, true, Pos.NONE));
            k++;
        }
        Map<String, ServiceDef> svc = new LinkedHashMap<>();
        Map<String, BgpDef.Announce> announce = new LinkedHashMap<>();
        for (int s = 0; s < serviceCount; s++) {
            List<String> on = new ArrayList<>();
            while (on.size() < per) {
                String h = "s" + rnd.nextInt(serverCount);
                if (!on.contains(h)) on.add(h);
            }
            String name = "svc" + s;
            svc.put(name, new ServiceDef(name, List.of(Ip.v4(0x0a350000 + s + 1)), List.of(), true, on, Intent.AllowDef.everyone(),
                    Intent.Bind.ADDRESS, Optional.empty(), Pos.NONE));
            announce.put(name, new BgpDef.Announce(name, false, BgpDef.Preference.MED, Pos.NONE));
        }
        Intent plain = new Intent("bench", segments, hosts, svc, List.of(), List.of());
        return plain.withBgp(new BgpDef(announce, speakers, sessions, true, 9, Pos.NONE));
    }

    /** A point-to-point segment 10.x.y.z/30 between two hosts (one session), skipping pairs already joined. */
    private static void link(Map<String, SegmentDef> segments, Map<String, List<InterfaceDef>> ifaces, List<BgpDef.Session> sessions,
                             int[] next, String a, String b, Set<String> linked) {
        if (!linked.add(a + " " + b) || !linked.add(b + " " + a)) return;
        int base = 0x0b000000 + 4 * next[0]++;
        String name = "n" + next[0];
        segments.put(name, new SegmentDef(name, List.of(Prefix.containing(Ip.v4(base), 30)), Pos.NONE));
        String da = "e" + ifaces.get(a).size(), db = "e" + ifaces.get(b).size();
        ifaces.get(a).add(new InterfaceDef(da, name, List.of(InterfaceAddress.of(Ip.v4(base + 1), 30)), List.of(), Pos.NONE));
        ifaces.get(b).add(new InterfaceDef(db, name, List.of(InterfaceAddress.of(Ip.v4(base + 2), 30)), List.of(), Pos.NONE));
        sessions.add(new BgpDef.Session(new BgpDef.End(a, da, Ip.v4(base + 1)), new BgpDef.End(b, db, Ip.v4(base + 2)),
                dev.anyloop.net.Family.V4, name, 1));
    }
}
