package dev.anyloop.bench;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded synthetic IPv4 routing tables for the LPM benchmarks, with prefix lengths spread like a real table.
 *
 * <p>Percent of routes per length, roughly a full BGP table (mostly /24, then /22, /23, /21...) plus the host and
 * sub-/24 routes an internal table adds: /8-/15 1% total, /16 2, /17 1, /18 2, /19 3, /20 4, /21 5, /22 10, /23 7,
 * /24 57, /25-/31 1 each, /32 1. Network addresses are uniform over the whole IPv4 space.
 */
public final class RouteTable {
    private static final int[] LENGTH_PERCENT = new int[33];

    static {
        int[][] table = {{16, 2}, {17, 1}, {18, 2}, {19, 3}, {20, 4}, {21, 5}, {22, 10}, {23, 7}, {24, 57},
            {25, 1}, {26, 1}, {27, 1}, {28, 1}, {29, 1}, {30, 1}, {31, 1}, {32, 1}};
        for (int[] row : table) LENGTH_PERCENT[row[0]] = row[1];
    }

    private RouteTable() {}

    /** {@code n} distinct prefixes, the same list for the same seed. */
    public static List<Prefix> prefixes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Set<Prefix> out = new LinkedHashSet<>(n * 2);
        while (out.size() < n) out.add(Prefix.containing(Ip.v4(r.nextInt()), length(r)));
        return new ArrayList<>(out);
    }

    private static int length(SplittableRandom r) {
        int pick = r.nextInt(100);
        if (pick == 0) return 8 + r.nextInt(8); // the 1% of /8-/15
        int acc = 1;
        for (int l = 16; l <= 32; l++) {
            acc += LENGTH_PERCENT[l];
            if (pick < acc) return l;
        }
        throw new AssertionError("length percents do not add up to 100: " + acc);
    }

    /** Lookup addresses: half uniform over IPv4 (often a miss), half inside a random route of {@code routes}. */
    public static Ip[] addresses(List<Prefix> routes, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Ip[] out = new Ip[count];
        for (int i = 0; i < count; i++) {
            if (r.nextBoolean()) {
                out[i] = Ip.v4(r.nextInt());
            } else {
                Prefix p = routes.get(r.nextInt(routes.size()));
                long host = (1L << (32 - p.length())) - 1;
                out[i] = Ip.v4(p.network().lo() | (r.nextLong() & host));
            }
        }
        return out;
    }
}
