package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One lookup in a 10,000-element IPv4 interval set (random, disjoint ranges such as 10.1.2.7-10.1.2.90, the way
 * {@code nft add element ... { a-b }} stores them) as the nft engine compiles it: each range as the prefixes that cover
 * it, in the {@link dev.anyloop.net.PrefixTrie} ({@link NftSetIndex}). 2^16 pre-generated addresses, about half of them
 * members. Run with {@code bench/reach NftSetBench}; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NftSetBench {
    static final int ELEMENTS = 10_000;
    static final int QUERIES = 1 << 16;

    /** The set and the addresses asked. */
    @State(Scope.Benchmark)
    public static class Set {
        NftSetIndex set;
        Ip[] asked;
        int prefixes;

        @Setup
        public void build() {
            Random r = new Random(11);
            List<Prefix> ps = new ArrayList<>();
            List<long[]> ranges = new ArrayList<>();
            // disjoint ranges: element i lives in its own /20 of 10.0.0.0/6, at a random offset and length
            for (int i = 0; i < ELEMENTS; i++) {
                long base = 0x0A000000L + ((long) i << 12);
                long lo = base + r.nextInt(2048);
                long hi = lo + 1 + r.nextInt(2047);
                ranges.add(new long[] {lo, hi});
                ps.addAll(NftMatch.cover(Ip.v4(lo), Ip.v4(hi)));
            }
            prefixes = ps.size();
            set = NftSetIndex.ofPrefixes(Family.V4, ps);
            asked = new Ip[QUERIES];
            for (int q = 0; q < QUERIES; q++) {
                long[] g = ranges.get(r.nextInt(ELEMENTS));
                asked[q] = Ip.v4(r.nextBoolean() ? g[0] + (long) r.nextInt((int) (g[1] - g[0] + 1)) : (g[0] & ~0xfffL) + 2048 + 1 + r.nextInt(2047) - 0);
            }
        }
    }

    /** Walks the addresses in order. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public boolean lookup(Set s, Cursor c) { return s.set.containsAddr(s.asked[c.next++ & (QUERIES - 1)]); }
}
