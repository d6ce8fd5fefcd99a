package dev.anyloop.net;

/**
 * A read-only DIR-24-8 copy of a large IPv4 {@link StrideTable} (Gupta, Lin and McKeown, INFOCOM 1998): one
 * {@code int} per /24 (2^24 slots, 64 MiB) holding the answer for the whole /24, or a pointer to the stride table's
 * own 256-slot chunk for the last byte when a longer route lies inside it. A lookup is one read for a route of /24 or
 * shorter and two otherwise, and the reads of consecutive lookups do not depend on each other, so the CPU overlaps
 * their cache misses. The memory is fixed, which is why {@link PrefixTrie} builds it only for tables of
 * {@link PrefixTrie}'s DIR_MIN_ROUTES or more (a full BGP table), where the compressed table no longer fits a cache.
 */
final class Dir24Table {
    /** Route id + 1 (or 0) when {@code >= 0}; else the complement of a level-3 chunk of {@link #last}. */
    private final int[] tbl24 = new int[1 << 24];
    /** The stride table's slots as they were when this was built; nothing writes them until the next put drops this copy. */
    private final int[] last;

    private Dir24Table(int[] last) { this.last = last; }

    /** Expands {@code t}, which must be an IPv4 table. */
    static Dir24Table of(StrideTable t) {
        Dir24Table d = new Dir24Table(t.slots());
        int[] s = d.last;
        int[] out = d.tbl24;
        for (int hi = 0; hi < 256; hi++) {
            int v1 = s[hi];
            if (v1 >= 0) {
                java.util.Arrays.fill(out, hi << 16, (hi + 1) << 16, v1);
                continue;
            }
            for (int mid = 0; mid < 256; mid++) {
                int v2 = s[(~v1 << 8) | mid];
                int base = (hi << 16) | (mid << 8);
                if (v2 >= 0) {
                    java.util.Arrays.fill(out, base, base + 256, v2);
                    continue;
                }
                for (int lo = 0; lo < 256; lo++) out[base | lo] = s[(~v2 << 8) | lo]; // a child: a chunk of /32s
            }
        }
        return d;
    }

    /** Route id + 1 of the most specific route holding {@code a}, or 0. */
    int lookup(int a) {
        int v = tbl24[a >>> 8];
        if (v >= 0) return v;
        return last[(~v << 8) | (a & 0xff)];
    }
}
