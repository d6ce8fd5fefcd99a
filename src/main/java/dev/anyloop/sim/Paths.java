package dev.anyloop.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The multipath choices of one round trip. Linux hashes each flow onto one next hop of a multipath route
 * (fib_select_multipath) with a hash seeded randomly at boot (net_get_random_once in fib_multipath_hash), so no
 * simulator can name the path a flow takes: a round trip is walked once per combination of choices, and
 * every walk records how many next hops each multipath lookup offered.
 */
final class Paths {
    /** At most this many combinations are walked for one flow. */
    static final int MAX = 16;

    /** The choice for each multipath lookup in order; lookups beyond it take the first next hop. */
    final int[] preset;
    /** How many next hops each multipath lookup of this walk offered, in order. */
    final List<Integer> fanout = new ArrayList<>();
    /** What each lookup chose, in order. */
    final List<Integer> chosen = new ArrayList<>();

    Paths(int[] preset) { this.preset = preset; }

    /** The next hop to take at the next multipath lookup, which offers {@code n}. */
    int pick(int n) {
        int k = fanout.size();
        fanout.add(n);
        int c = k < preset.length ? preset[k] : 0;
        chosen.add(c);
        return c;
    }

    /** The choice vectors that branch off this walk after its preset: each later lookup's other next hops. */
    List<int[]> branches() {
        List<int[]> out = new ArrayList<>();
        for (int i = preset.length; i < fanout.size(); i++) {
            for (int c = 1; c < fanout.get(i); c++) {
                int[] p = new int[i + 1];
                for (int j = 0; j < i; j++) p[j] = chosen.get(j);
                p[i] = c;
                out.add(p);
            }
        }
        return out;
    }
}
