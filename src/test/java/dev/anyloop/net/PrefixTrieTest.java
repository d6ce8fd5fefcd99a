package dev.anyloop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.bench.BinaryTrie;
import dev.anyloop.bench.RouteTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefixTrieTest {

    /** The reference: every table operation answered by a linear scan over an insertion-ordered map. */
    private static final class Linear {
        final Map<Prefix, Integer> routes = new LinkedHashMap<>();

        List<Map.Entry<Prefix, Integer>> matches(Ip ip) {
            return routes.entrySet().stream().filter(e -> e.getKey().contains(ip))
                    .sorted(Comparator.comparing((Map.Entry<Prefix, Integer> e) -> e.getKey().length()).reversed())
                    .map(e -> Map.entry(e.getKey(), e.getValue())).collect(Collectors.toList());
        }
    }

    /** Puts every prefix, checking all probes against the linear scan after each put (mutation after lookups). */
    private static void checkAgainstLinear(List<Prefix> prefixes, List<Ip> extraProbes) {
        PrefixTrie<Integer> trie = new PrefixTrie<>();
        Linear ref = new Linear();
        List<Ip> probes = new ArrayList<>(extraProbes);
        for (Prefix p : prefixes) probes.addAll(edges(p));
        for (int i = 0; i < prefixes.size(); i++) {
            Prefix p = prefixes.get(i);
            assertThat(trie.put(p, i)).isEqualTo(Optional.ofNullable(ref.routes.put(p, i)));
            // interleaved: a few probes after every put, all of them at the end
            int step = i == prefixes.size() - 1 ? 1 : Math.max(1, probes.size() / 4);
            for (int k = i % step; k < probes.size(); k += step) checkProbe(trie, ref, probes.get(k));
        }
        assertThat(trie.size()).isEqualTo(ref.routes.size());
        for (Prefix p : ref.routes.keySet()) assertThat(trie.get(p)).contains(ref.routes.get(p));
        assertThat(trie.entries()).containsExactlyElementsOf(
                ref.routes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> Map.entry(e.getKey(), e.getValue())).collect(Collectors.toList()));
    }

    private static void checkProbe(PrefixTrie<Integer> trie, Linear ref, Ip ip) {
        List<Map.Entry<Prefix, Integer>> want = ref.matches(ip);
        assertThat(trie.matches(ip)).as("matches(%s)", ip).isEqualTo(want);
        assertThat(trie.longestMatch(ip)).as("longestMatch(%s)", ip).isEqualTo(want.stream().findFirst());
        assertThat(trie.lookupOrDefault(ip, -1)).isEqualTo(want.isEmpty() ? -1 : want.get(0).getValue());
    }

    /** The first and last address of p and their outside neighbours: where off-by-one expansion bugs show. */
    private static List<Ip> edges(Prefix p) {
        Ip first = p.network();
        Ip last = lastOf(p);
        return List.of(first, last, first.plus(-1), last.plus(1));
    }

    private static Ip lastOf(Prefix p) {
        Ip n = p.network();
        if (n.isV4()) return Ip.v4(n.lo() | ((1L << (32 - p.length())) - 1));
        int host = 128 - p.length();
        long hiHost = host >= 128 ? -1L : host > 64 ? (1L << (host - 64)) - 1 : 0;
        long loHost = host >= 64 ? -1L : (1L << host) - 1;
        return Ip.v6(n.hi() | hiHost, n.lo() | loHost);
    }

    @Property(tries = 1000)
    void v4LookupEqualsLinearScan(@ForAll("v4Tables") List<Prefix> prefixes, @ForAll("v4Probes") List<Ip> probes) {
        checkAgainstLinear(prefixes, probes);
    }

    @Property(tries = 500)
    void v6LookupEqualsLinearScan(@ForAll("v6Tables") List<Prefix> prefixes, @ForAll("v6Probes") List<Ip> probes) {
        checkAgainstLinear(prefixes, probes);
    }

    @Property(tries = 300)
    void familiesDoNotLeak(@ForAll("v4Tables") List<Prefix> four, @ForAll("v6Tables") List<Prefix> six,
                           @ForAll("v4Probes") List<Ip> p4, @ForAll("v6Probes") List<Ip> p6) {
        List<Prefix> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(four.size(), six.size()); i++) {
            if (i < four.size()) mixed.add(four.get(i));
            if (i < six.size()) mixed.add(six.get(i));
        }
        List<Ip> probes = new ArrayList<>(p4);
        probes.addAll(p6);
        checkAgainstLinear(mixed, probes);
    }

    @Provide
    Arbitrary<List<Prefix>> v4Tables() {
        // dense: everything inside 10.0.0.0/16 so prefixes nest and share chunks; sparse: anywhere
        Arbitrary<Integer> dense = Arbitraries.integers().between(0, 0xffff).map(x -> 0x0a000000 | x);
        Arbitrary<Integer> sparse = Arbitraries.integers();
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, 32)),
                Tuple.of(1, Arbitraries.of(0, 8, 16, 24, 32)),
                Tuple.of(2, Arbitraries.integers().between(16, 32)));
        Arbitrary<Prefix> densePrefix = Combinators.combine(dense, lengths).as((a, l) -> Prefix.containing(Ip.v4(a), l));
        Arbitrary<Prefix> sparsePrefix = Combinators.combine(sparse, lengths).as((a, l) -> Prefix.containing(Ip.v4(a), l));
        return Arbitraries.oneOf(densePrefix.list().ofMaxSize(120), sparsePrefix.list().ofMaxSize(120),
                Arbitraries.oneOf(densePrefix, sparsePrefix).list().ofMaxSize(60));
    }

    @Provide
    Arbitrary<List<Ip>> v4Probes() {
        return Arbitraries.oneOf(Arbitraries.integers().map(Ip::v4),
                Arbitraries.integers().between(0, 0xffff).map(x -> Ip.v4(0x0a000000 | x))).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Prefix>> v6Tables() {
        // dense: 2001:db8::/48 with a few interface ids; sparse: anywhere in the 128 bits
        Arbitrary<Ip> dense = Combinators.combine(Arbitraries.integers().between(0, 0xffff),
                Arbitraries.longs().between(0, 3).map(x -> x << 62 | x))
                .as((sub, lo) -> Ip.v6(0x20010db800000000L | sub, lo));
        Arbitrary<Ip> sparse = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Ip::v6);
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, 128)),
                Tuple.of(1, Arbitraries.of(0, 32, 48, 56, 64, 127, 128)),
                Tuple.of(2, Arbitraries.integers().between(44, 68)));
        Arbitrary<Prefix> prefix = Combinators.combine(Arbitraries.oneOf(dense, sparse), lengths)
                .as(Prefix::containing);
        return prefix.list().ofMaxSize(80);
    }

    @Provide
    Arbitrary<List<Ip>> v6Probes() {
        Arbitrary<Ip> dense = Combinators.combine(Arbitraries.longs().between(0, 0xffff), Arbitraries.longs())
                .as((sub, lo) -> Ip.v6(0x20010db800000000L | sub, lo));
        return Arbitraries.oneOf(dense, Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Ip::v6))
                .list().ofMaxSize(20);
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource({
        "0.0.0.0/0, 0.0.0.0/32", "0.0.0.0/32, 0.0.0.0/0", "0.0.0.0/0, 255.255.255.255/32",
        "255.255.255.255/32, 0.0.0.0/0", "10.0.0.0/8, 10.1.2.3/32", "10.1.2.3/32, 10.0.0.0/8",
        "10.0.0.0/24, 10.0.0.0/16", "10.0.0.0/16, 10.0.0.0/24", "128.0.0.0/1, 0.0.0.0/1",
        "10.0.0.128/25, 10.0.0.0/25", "::/0, ::1/128", "::1/128, ::/0", "2001:db8::/32, 2001:db8::/64",
        "2001:db8::/64, 2001:db8::/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, ::/0",
    })
    void edgePairsEitherOrder(String a, String b) {
        List<Prefix> ps = List.of(Prefix.parse(a), Prefix.parse(b));
        List<Ip> probes = List.of(Ip.parse("0.0.0.0"), Ip.parse("255.255.255.255"), Ip.parse("10.0.0.0"),
                Ip.parse("10.0.0.127"), Ip.parse("10.0.0.128"), Ip.parse("10.1.2.3"), Ip.parse("::"), Ip.parse("::1"),
                Ip.parse("2001:db8::1"), Ip.parse("2001:db8:0:1::1"), Ip.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        checkAgainstLinear(ps, probes);
    }

    @Test
    void shadowedRouteStaysOnTheChain() {
        // 10.0.0.0/24 is fully covered by its two /25s, so no slot points at it; inserting the /16 after it must
        // still become its parent, and matches must still list it.
        PrefixTrie<String> t = new PrefixTrie<>();
        t.put(Prefix.parse("10.0.0.0/25"), "low");
        t.put(Prefix.parse("10.0.0.128/25"), "high");
        t.put(Prefix.parse("10.0.0.0/24"), "shadowed");
        t.put(Prefix.parse("0.0.0.0/0"), "default");
        t.put(Prefix.parse("10.0.0.0/16"), "sixteen");
        assertThat(t.matches(Ip.parse("10.0.0.200")).stream().map(Map.Entry::getValue))
                .containsExactly("high", "shadowed", "sixteen", "default");
        assertThat(t.get(Prefix.parse("10.0.0.0/24"))).contains("shadowed");
        assertThat(t.get(Prefix.parse("10.0.0.0/23"))).isEmpty();
    }

    @Test
    void putReplacesAndReturnsTheOldValue() {
        PrefixTrie<String> t = new PrefixTrie<>();
        Prefix p = Prefix.parse("192.0.2.0/24");
        assertThat(t.put(p, "a")).isEmpty();
        assertThat(t.put(p, "b")).contains("a");
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.longestMatch(Ip.parse("192.0.2.9"))).contains(Map.entry(p, "b"));
        assertThat(t.computeIfAbsent(p, x -> "c")).isEqualTo("b");
        assertThat(t.computeIfAbsent(Prefix.parse("192.0.2.0/25"), x -> "d")).isEqualTo("d");
        assertThat(t.lookupOrDefault(Ip.parse("192.0.2.9"), "none")).isEqualTo("d");
        assertThat(t.lookupOrDefault(Ip.parse("192.0.3.9"), "none")).isEqualTo("none");
        assertThat(t.lookupOrDefault(Ip.parse("::1"), "none")).isEqualTo("none");
    }

    @Test
    void emptyTableMatchesNothing() {
        PrefixTrie<String> t = new PrefixTrie<>();
        assertThat(t.longestMatch(Ip.parse("1.2.3.4"))).isEmpty();
        assertThat(t.matches(Ip.parse("::"))).isEmpty();
        assertThat(t.get(Prefix.parse("0.0.0.0/0"))).isEmpty();
        assertThat(t.entries()).isEmpty();
        assertThat(t.size()).isZero();
    }

    @Test
    void nullValuesAreRefusedWithThePrefix() {
        PrefixTrie<String> t = new PrefixTrie<>();
        assertThatThrownBy(() -> t.put(Prefix.parse("10.0.0.0/8"), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> t.computeIfAbsent(Prefix.parse("10.0.0.0/8"), p -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("10.0.0.0/8");
        assertThat(t.size()).isZero();
    }

    /**
     * Tables of 4096+ routes compress themselves after a quarter of their size in lookups; this drives a table through
     * stride form, compressed form, a put that drops the compressed copy, and compressed again, checking every
     * lookup against a linear scan each time.
     */
    @Property(tries = 25)
    void compressedTableEqualsLinearScan(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int spread) {
        settlesLikeLinearScan(seed, spread, 4096);
    }

    /** The same from 65,536 routes, where the settled copy is the DIR-24-8 table. */
    @Property(tries = 3)
    void directTableEqualsLinearScan(@ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int spread) {
        settlesLikeLinearScan(seed, spread, PrefixTrie.DIR_MIN_ROUTES);
    }

    private static void settlesLikeLinearScan(long seed, int spread, int minRoutes) {
        Random r = new Random(seed);
        // spread 0: all inside 10.0.0.0/16 (dense, deep nesting); 1: inside 10.0.0.0/8; 2: anywhere
        int fixedBits = spread == 0 ? 16 : spread == 1 ? 8 : 0;
        // random routes repeat (most in the dense /16): half as many again keeps the distinct ones above minRoutes
        int n = minRoutes + minRoutes / 2 + r.nextInt(2000);
        List<Prefix> routes = new ArrayList<>();
        for (int i = 0; i < n + 20; i++) {
            int a = fixedBits == 0 ? r.nextInt() : 0x0a000000 | (r.nextInt() >>> fixedBits);
            int len = r.nextInt(10) == 0 ? r.nextInt(33) : fixedBits + r.nextInt(33 - fixedBits);
            routes.add(Prefix.containing(Ip.v4(a), len));
        }
        PrefixTrie<Integer> trie = new PrefixTrie<>();
        IntScan ref = new IntScan();
        for (int i = 0; i < n; i++) {
            trie.put(routes.get(i), i);
            ref.put(routes.get(i), i);
        }
        List<Ip> probes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            probes.add(Ip.v4(fixedBits == 0 ? r.nextInt() : 0x0a000000 | (r.nextInt() >>> fixedBits)));
            Prefix p = routes.get(r.nextInt(n));
            probes.add(r.nextBoolean() ? p.network() : lastOf(p).plus(r.nextInt(3) - 1));
        }
        for (int round = 0; round < 4; round++) {
            if (round == 2) {
                for (int i = n; i < n + 20; i++) {
                    trie.put(routes.get(i), i);
                    ref.put(routes.get(i), i);
                }
            }
            if (minRoutes >= PrefixTrie.DIR_MIN_ROUTES && (round == 1 || round == 3)) {
                // settle: a quarter of the table's size in lookups builds the direct table
                for (int i = 0; i <= trie.size() / 4; i++) trie.lookupOrDefault(probes.get(i % probes.size()), -1);
                assertThat(trie.form()).isEqualTo(trie.size() >= PrefixTrie.DIR_MIN_ROUTES ? "dir24" : "compact");
            }
            for (Ip ip : probes) {
                int want = ref.lookup(ip);
                assertThat(trie.lookupOrDefault(ip, -1)).as("round %d lookup(%s)", round, ip).isEqualTo(want);
                assertThat(trie.longestMatch(ip).map(Map.Entry::getValue)).isEqualTo(want < 0 ? Optional.empty()
                        : Optional.of(want));
            }
        }
        for (Ip ip : probes.subList(0, 50)) {
            assertThat(trie.matches(ip).stream().map(Map.Entry::getValue).collect(Collectors.toList()))
                    .isEqualTo(ref.all(ip));
        }
    }

    /** A fast IPv4 linear scan over int arrays, for tables too big for the Prefix-object reference. */
    private static final class IntScan {
        int[] net = new int[16];
        int[] mask = new int[16];
        int[] len = new int[16];
        int[] value = new int[16];
        int n;

        void put(Prefix p, int v) {
            for (int i = 0; i < n; i++) {
                if (len[i] == p.length() && net[i] == (int) p.network().lo()) {
                    value[i] = v;
                    return;
                }
            }
            if (n == net.length) {
                net = Arrays.copyOf(net, n * 2);
                mask = Arrays.copyOf(mask, n * 2);
                len = Arrays.copyOf(len, n * 2);
                value = Arrays.copyOf(value, n * 2);
            }
            net[n] = (int) p.network().lo();
            mask[n] = p.length() == 0 ? 0 : -1 << (32 - p.length());
            len[n] = p.length();
            value[n++] = v;
        }

        int lookup(Ip ip) {
            int a = (int) ip.lo();
            int best = -1;
            int bestLen = -1;
            for (int i = 0; i < n; i++) {
                if ((a & mask[i]) == net[i] && len[i] > bestLen) {
                    best = value[i];
                    bestLen = len[i];
                }
            }
            return best;
        }

        /** Values of every route holding ip, longest first. */
        List<Integer> all(Ip ip) {
            int a = (int) ip.lo();
            List<Integer> out = new ArrayList<>();
            for (int l = 32; l >= 0; l--) {
                for (int i = 0; i < n; i++) {
                    if (len[i] == l && (a & mask[i]) == net[i]) out.add(value[i]);
                }
            }
            return out;
        }
    }

    /** The benchmark's own table, at 100,000 routes, against the original binary trie on 200,000 addresses. */
    @Test
    void realisticTableAgreesWithTheBinaryTrieBaseline() {
        List<Prefix> routes = RouteTable.prefixes(100_000, 7);
        PrefixTrie<Integer> trie = new PrefixTrie<>();
        BinaryTrie<Integer> base = new BinaryTrie<>();
        for (int i = 0; i < routes.size(); i++) {
            trie.put(routes.get(i), i);
            base.put(routes.get(i), i);
        }
        assertThat(trie.size()).isEqualTo(base.size());
        Ip[] probes = RouteTable.addresses(routes, 200_000, 8);
        for (Ip ip : probes) {
            assertThat(trie.longestMatch(ip)).isEqualTo(base.longestMatch(ip));
            assertThat(trie.matches(ip)).isEqualTo(base.matches(ip));
        }
        assertThat(trie.entries()).isEqualTo(base.entries());
        Random r = new Random(9);
        for (int i = 0; i < 1000; i++) {
            Prefix p = routes.get(r.nextInt(routes.size()));
            assertThat(trie.get(p)).isEqualTo(base.get(p));
        }
    }

    @Property(tries = 200)
    void prefixTextRoundTrips(@ForAll long hi, @ForAll long lo, @ForAll @IntRange(min = 0, max = 128) int len) {
        Prefix p = Prefix.containing(Ip.v6(hi, lo), len);
        assertThat(Prefix.parse(p.toString())).isEqualTo(p);
    }
}
