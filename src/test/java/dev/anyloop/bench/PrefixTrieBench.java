package dev.anyloop.bench;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LPM lookup cost of {@link PrefixTrie} against the original binary trie (1,000,000 routes) and a linear scan
 * (10,000 routes), all on seeded {@link RouteTable} data. Run with {@code bench/run}; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class PrefixTrieBench {
    /** Lookup addresses per table: 2^20, far more than any cache holds, walked in order. */
    static final int ADDRESSES = 1 << 20;
    static final long ROUTE_SEED = 1;
    static final long ADDRESS_SEED = 2;

    private int next;

    private Ip nextIp(Ip[] ips) { return ips[next++ & (ADDRESSES - 1)]; }

    /** The big table, as the new trie. */
    @State(Scope.Benchmark)
    public static class Big {
        @Param("1000000")
        public int routes;
        Ip[] ips;
        PrefixTrie<Integer> trie;

        @Setup
        public void build() {
            List<Prefix> table = RouteTable.prefixes(routes, ROUTE_SEED);
            ips = RouteTable.addresses(table, ADDRESSES, ADDRESS_SEED);
            trie = new PrefixTrie<>();
            for (int i = 0; i < table.size(); i++) trie.put(table.get(i), i);
        }
    }

    /** The same big table and addresses, as the original one-bit binary trie. */
    @State(Scope.Benchmark)
    public static class BigBinary {
        @Param("1000000")
        public int routes;
        Ip[] ips;
        BinaryTrie<Integer> trie;

        @Setup
        public void build() {
            List<Prefix> table = RouteTable.prefixes(routes, ROUTE_SEED);
            ips = RouteTable.addresses(table, ADDRESSES, ADDRESS_SEED);
            trie = new BinaryTrie<>();
            for (int i = 0; i < table.size(); i++) trie.put(table.get(i), i);
        }
    }

    /** A 10,000-route table as plain arrays for a linear scan, plus both tries over the same routes. */
    @State(Scope.Benchmark)
    public static class Small {
        @Param("10000")
        public int smallRoutes;
        Ip[] ips;
        int[] net;
        int[] mask;
        int[] len;
        PrefixTrie<Integer> trie;
        BinaryTrie<Integer> binary;

        @Setup
        public void build() {
            List<Prefix> table = RouteTable.prefixes(smallRoutes, ROUTE_SEED);
            ips = RouteTable.addresses(table, ADDRESSES, ADDRESS_SEED);
            int n = table.size();
            net = new int[n];
            mask = new int[n];
            len = new int[n];
            trie = new PrefixTrie<>();
            binary = new BinaryTrie<>();
            for (int i = 0; i < n; i++) {
                Prefix p = table.get(i);
                net[i] = (int) p.network().lo();
                len[i] = p.length();
                mask[i] = p.length() == 0 ? 0 : -1 << (32 - p.length());
                trie.put(p, i);
                binary.put(p, i);
            }
        }

        /** Route index of the longest prefix holding {@code ip}, or -1: the baseline every FIB beats. */
        int scan(Ip ip) {
            int a = (int) ip.lo();
            int best = -1;
            int bestLen = -1;
            for (int i = 0; i < net.length; i++) {
                if ((a & mask[i]) == net[i] && len[i] > bestLen) {
                    best = i;
                    bestLen = len[i];
                }
            }
            return best;
        }
    }

    // Each benchmark consumes the Optional the way a caller does (orElse), so it measures what the packet
    // simulator pays; the binary trie still allocates the Map.entry it builds on every lookup, as it always did.

    @Benchmark
    public Map.Entry<Prefix, Integer> prefixTrieLongestMatch1M(Big s) {
        return s.trie.longestMatch(nextIp(s.ips)).orElse(null);
    }

    @Benchmark
    public Integer prefixTrieLookupOrDefault1M(Big s) {
        return s.trie.lookupOrDefault(nextIp(s.ips), -1);
    }

    @Benchmark
    public int prefixTrieMatches1M(Big s) {
        return s.trie.matches(nextIp(s.ips)).size();
    }

    @Benchmark
    public Map.Entry<Prefix, Integer> binaryTrieLongestMatch1M(BigBinary s) {
        return s.trie.longestMatch(nextIp(s.ips)).orElse(null);
    }

    @Benchmark
    public Map.Entry<Prefix, Integer> prefixTrieLongestMatch10k(Small s) {
        return s.trie.longestMatch(nextIp(s.ips)).orElse(null);
    }

    @Benchmark
    public Map.Entry<Prefix, Integer> binaryTrieLongestMatch10k(Small s) {
        return s.binary.longestMatch(nextIp(s.ips)).orElse(null);
    }

    @Benchmark
    public int linearScan10k(Small s) {
        return s.scan(nextIp(s.ips));
    }
}
