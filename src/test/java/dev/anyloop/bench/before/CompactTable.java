package dev.anyloop.bench.before;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;

import java.util.Arrays;

/**
 * A read-only, compressed copy of an IPv4 {@link StrideTable}, built once a large table has settled.
 *
 * <p>A big stride table is mostly expanded copies of a few values: a /16 chunk holding nine /24s spends 1 KiB on
 * them. Here the top two levels become one direct array of 65,536 slots (256 KiB, cache resident) and each chunk
 * below becomes a node of two 256-bit maps, one marking the slots that lead to a child node and one marking where
 * a run of equal answers starts, plus the bases of its children and runs; the slot's child or answer is found by
 * counting set bits (Poptrie, Asai and Ohara, SIGCOMM 2015, does the same with 6-bit strides). A million routes
 * shrink from about 200 MiB to about 20, and a lookup touches a few cache lines instead of a TLB miss in a huge array.
 */
final class CompactTable {
    /** Longs per node: child map, run map (4 each), then child base (high half) and run base (low half). */
    private static final int NODE = 9;

    /** Route id + 1 (or 0) when {@code >= 0}; else the complement of a node. */
    private final int[] direct = new int[1 << 16];
    private long[] nodes = new long[NODE * 64];
    private int nodeCount;
    private int[] runs = new int[256];
    private int runCount;

    private CompactTable() {}

    /** Compresses {@code t}, which must be an IPv4 table. */
    static CompactTable of(StrideTable t) {
        CompactTable c = new CompactTable();
        for (int i = 0; i < c.direct.length; i++) {
            int v = t.slot(0, i >>> 8);
            if (v < 0) v = t.slot(~v, i & 0xff);
            if (v < 0) {
                int n = c.allocate(1);
                c.fill(n, t, ~v);
                v = ~n;
            }
            c.direct[i] = v;
        }
        c.nodes = Arrays.copyOf(c.nodes, c.nodeCount * NODE);
        c.runs = Arrays.copyOf(c.runs, c.runCount);
        return c;
    }

    /** Route id + 1 of the most specific route holding {@code a}, or 0. */
    int lookup(int a) {
        int v = direct[a >>> 16];
        if (v >= 0) return v;
        long[] ns = nodes;
        int b = (a >>> 8) & 0xff;
        while (true) {
            int o = ~v * NODE;
            int w = b >>> 6;
            long upTo = -1L >>> (63 - (b & 63)); // bits 0..b of word w
            long meta = ns[o + 8];
            if ((ns[o + w] & upTo) >>> (b & 63) != 0) {
                // child slot: after a /24 chunk only the last byte remains, and /32 has no children
                v = ~((int) (meta >>> 32) + rank(ns, o, w, upTo) - 1);
                b = a & 0xff;
            } else {
                return runs[(int) meta + rank(ns, o + 4, w, upTo) - 1];
            }
        }
    }

    /** Set bits in words {@code o .. o+w-1} plus those of word {@code o+w} under {@code upTo}. */
    private static int rank(long[] ns, int o, int w, long upTo) {
        int r = Long.bitCount(ns[o + w] & upTo);
        for (int k = 0; k < w; k++) r += Long.bitCount(ns[o + k]);
        return r;
    }

    /** Fills node {@code n} from stride chunk {@code chunk}; a node's children are allocated side by side. */
    private void fill(int n, StrideTable t, int chunk) {
        int o = n * NODE;
        int[] children = new int[256];
        int childCount = 0;
        int runBase = runCount;
        int last = 0;
        boolean any = false;
        for (int s = 0; s < 256; s++) {
            int v = t.slot(chunk, s);
            if (v < 0) {
                nodes[o + (s >>> 6)] |= 1L << (s & 63);
                children[childCount++] = ~v;
            } else if (!any || v != last) {
                nodes[o + 4 + (s >>> 6)] |= 1L << (s & 63);
                addRun(v);
                last = v;
                any = true;
            }
        }
        int childBase = allocate(childCount);
        o = n * NODE; // allocate may have grown nodes
        nodes[o + 8] = ((long) childBase << 32) | runBase;
        for (int k = 0; k < childCount; k++) fill(childBase + k, t, children[k]);
    }

    private int allocate(int count) {
        int need = (nodeCount + count) * NODE;
        if (need > nodes.length) nodes = Arrays.copyOf(nodes, Math.max(need, nodes.length * 2));
        int first = nodeCount;
        nodeCount += count;
        return first;
    }

    private void addRun(int v) {
        if (runCount == runs.length) runs = Arrays.copyOf(runs, runs.length * 2);
        runs[runCount++] = v;
    }
}
