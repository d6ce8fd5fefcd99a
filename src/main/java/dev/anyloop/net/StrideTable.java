package dev.anyloop.net;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

/**
 * The lookup index behind {@link PrefixTrie} for one family: a leaf-pushed multibit trie with 8-bit strides.
 *
 * <p>The address is read a byte at a time (4 levels for IPv4, 16 for IPv6). Each level is a chunk of 256 slots in
 * one flat {@code int[]}; a prefix whose length ends inside a chunk is expanded over every slot it covers (controlled
 * prefix expansion) and pushed down into the chunks below, so each slot already holds the answer and a lookup is at
 * most one dependent array read per byte with no backtracking. This is the same trade as the kernel's DIR-style and
 * LC-trie FIBs (net/ipv4/fib_trie.c): spend memory on expanded nodes to make the read path a few loads. Unlike
 * DIR-24-8 the root is 256 slots, so the thousands of tiny tables a simulated network holds cost 1 KiB each, not 64 MiB.
 *
 * <p>Slot encoding: {@code 0} no route, {@code > 0} route id + 1, {@code < 0} the complement of a child chunk index.
 */
final class StrideTable {
    private static final int STRIDE = 8;
    private static final int FANOUT = 1 << STRIDE;
    /** Chunk offsets ({@code index << 8}) must stay a non-negative int. */
    private static final int MAX_CHUNKS = (Integer.MAX_VALUE - 8) / FANOUT;

    private final int levels;
    private int[] slots = new int[FANOUT];
    private int chunks = 1;

    StrideTable(Family family) { this.levels = family.bits() / STRIDE; }

    /** Route id + 1 of the most specific route holding IPv4 address {@code a}, or 0; the unrolled hot path. */
    int lookupV4(int a) {
        int[] s = slots;
        int v = s[a >>> 24];
        if (v >= 0) return v;
        v = s[(~v << STRIDE) | ((a >>> 16) & 0xff)];
        if (v >= 0) return v;
        v = s[(~v << STRIDE) | ((a >>> 8) & 0xff)];
        if (v >= 0) return v;
        // a /32 ends at the last level, so nothing below it ever holds a child
        return s[(~v << STRIDE) | (a & 0xff)];
    }

    /** Route id + 1 of the most specific route holding {@code ip}, or 0. */
    int lookup(Ip ip) {
        if (levels == 4) return lookupV4((int) ip.lo());
        int[] s = slots;
        int base = 0;
        for (int level = 0; ; level++) {
            int v = s[base | byteAt(ip, level)];
            if (v >= 0) return v;
            base = ~v << STRIDE;
        }
    }

    /** The raw slots, for {@link Dir24Table}, which reads the last level in place; callers must not write them. */
    int[] slots() { return slots; }

    /** The raw slot {@code s} of chunk {@code chunk}, for {@link CompactTable}. */
    int slot(int chunk, int s) { return slots[(chunk << STRIDE) | s]; }

    /**
     * Makes route {@code id} (of prefix {@code network/len}, not yet in the table) the answer for every address it is
     * the most specific route for. Each more specific route it finds already in its range is passed to
     * {@code inside}, so the caller can fix that route's less-specific chain.
     */
    void insert(Ip network, int len, int id, IntUnaryOperator lengthOf, IntConsumer inside) {
        int base = 0;
        int level = 0;
        while (len > (level + 1) * STRIDE) {
            int at = base | byteAt(network, level);
            int v = slots[at];
            if (v < 0) {
                base = ~v << STRIDE;
            } else {
                int child = newChunk(v); // may grow slots, so index it only afterwards
                slots[at] = ~child;
                base = child << STRIDE;
            }
            level++;
        }
        int start = byteAt(network, level);
        int count = 1 << ((level + 1) * STRIDE - len);
        for (int i = 0; i < count; i++) push(base | (start + i), len, id + 1, lengthOf, inside);
    }

    private void push(int at, int len, int leaf, IntUnaryOperator lengthOf, IntConsumer inside) {
        int v = slots[at];
        if (v < 0) {
            int base = ~v << STRIDE;
            for (int i = 0; i < FANOUT; i++) push(base | i, len, leaf, lengthOf, inside);
        } else if (v == 0 || lengthOf.applyAsInt(v - 1) < len) {
            slots[at] = leaf;
        } else {
            inside.accept(v - 1);
        }
    }

    private int newChunk(int fill) {
        if (chunks == MAX_CHUNKS) {
            throw new IllegalStateException("PrefixTrie is full: " + MAX_CHUNKS + " chunks of " + FANOUT + " slots");
        }
        int need = (chunks + 1) * FANOUT;
        if (need > slots.length) {
            long grown = Math.max(need, slots.length + (long) (slots.length >> 1));
            slots = Arrays.copyOf(slots, (int) Math.min(grown, (long) MAX_CHUNKS * FANOUT));
        }
        int c = chunks++;
        Arrays.fill(slots, c << STRIDE, (c + 1) << STRIDE, fill);
        return c;
    }

    /** Byte {@code level} of the address, counted from the most significant. */
    private static int byteAt(Ip ip, int level) {
        if (ip.isV4()) return (int) (ip.lo() >>> (24 - STRIDE * level)) & 0xff;
        return level < 8 ? (int) (ip.hi() >>> (56 - STRIDE * level)) & 0xff
                : (int) (ip.lo() >>> (120 - STRIDE * level)) & 0xff;
    }
}
