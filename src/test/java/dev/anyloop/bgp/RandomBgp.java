package dev.anyloop.bgp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random BGP networks: 3-8 routers joined by a random tree plus a few extra links (sometimes a shared core
 * segment of three), 4-16 servers on router LANs (some LANs shared by two routers, so servers are dual-homed),
 * a client behind some routers, 1-3 services on random servers in random order with random preferences, and an
 * AS plan that is the default one, random private ASNs, or random ones with some routers sharing an AS (iBGP).
 */
public final class RandomBgp {
    private RandomBgp() { }

    public static BgpNet generate(long seed) { return generate(seed, 3 + new Random(seed).nextInt(6), 4 + new Random(~seed).nextInt(13)); }

    public static BgpNet generate(long seed, int routerCount, int serverCount) {
        Random rnd = new Random(seed * 31 + 7);
        BgpNet net = new BgpNet();
        int plan = rnd.nextInt(3);
        List<String> routers = new ArrayList<>();
        for (int i = 0; i < routerCount; i++) {
            String r = "r" + i;
            routers.add(r);
            Long asn = switch (plan) {
                case 0 -> null;                                                          // the default plan
                case 1 -> 64512L + i * 7 + rnd.nextInt(7);                               // distinct, random
                default -> i > 0 && rnd.nextInt(3) == 0 ? 65000L + rnd.nextInt(i) : 65000L + i; // some share an AS
            };
            net.router(r, asn);
        }
        Set<String> linked = new HashSet<>();
        for (int i = 1; i < routerCount; i++) {
            String a = routers.get(rnd.nextInt(i)), b = routers.get(i);
            net.link(a, b);
            linked.add(a + " " + b);
        }
        int extra = rnd.nextInt(routerCount);
        for (int k = 0; k < extra; k++) {
            String a = routers.get(rnd.nextInt(routerCount)), b = routers.get(rnd.nextInt(routerCount));
            if (a.equals(b) || linked.contains(a + " " + b) || linked.contains(b + " " + a)) continue;
            linked.add(a + " " + b);
            net.link(a, b);
        }
        if (routerCount >= 3 && rnd.nextInt(3) == 0) net.link(routers.get(0), routers.get(1), routers.get(2));
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < serverCount; i++) servers.add("s" + i);
        int i = 0;
        while (i < serverCount) {
            int n = Math.min(serverCount - i, 1 + rnd.nextInt(3));
            String r1 = routers.get(rnd.nextInt(routerCount));
            List<String> on = new ArrayList<>(List.of(r1));
            if (rnd.nextInt(4) == 0) {
                String r2 = routers.get(rnd.nextInt(routerCount));
                if (!r2.equals(r1)) on.add(r2);
            }
            net.lan(on, servers.subList(i, i + n).toArray(new String[0]));
            i += n;
        }
        List<String> shuffled = new ArrayList<>(routers);
        Collections.shuffle(shuffled, rnd);
        for (String r : shuffled.subList(0, Math.min(routerCount, 2 + rnd.nextInt(2)))) net.client("c" + r.substring(1), r);
        int services = 1 + rnd.nextInt(3);
        String[] prefs = {"med", "prepend", "equal"};
        Set<String> used = new HashSet<>();
        for (int k = 0; k < services; k++) {
            List<String> pool = new ArrayList<>(servers);
            Collections.shuffle(pool, rnd);
            List<String> hosts = pool.subList(0, Math.min(pool.size(), 2 + rnd.nextInt(4)));
            used.addAll(hosts);
            net.service("svc" + k, 52 + k, prefs[rnd.nextInt(prefs.length)], hosts.toArray(new String[0]));
        }
        if (rnd.nextInt(3) == 0) net.bgp("  bfd: false\n");
        return net;
    }
}
