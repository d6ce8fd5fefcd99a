package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import dev.anyloop.state.nft.NftExpr;
import dev.anyloop.state.nft.NftSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A set (or map) compiled for lookups by one kind of key: addresses, prefixes and ranges in a
 * {@link PrefixTrie} (a range becomes the prefixes that cover it), numbers and intervals in a sorted array
 * searched by bisection, interface names exactly or by a trailing {@code *}, concatenations as tuples. A map
 * keeps each element's data ({@link #lookup}); a set's data is {@link #MEMBER}.
 */
final class NftSetIndex {
    static final Object MEMBER = Boolean.TRUE;

    private final NftKey key;
    private final PrefixTrie<Object> addrs = new PrefixTrie<>();
    private long[] lo = new long[0];
    private long[] hi = new long[0];
    private Object[] vals = new Object[0];
    private final Map<String, Object> names = new HashMap<>();
    private final List<Map.Entry<String, Object>> wildcards = new ArrayList<>();
    private final List<Map.Entry<NftSetIndex[], Object>> tuples = new ArrayList<>();
    /** Why an element could not be read (the whole set is then unknown for this key), or null. */
    final String unknown;

    private NftSetIndex(NftKey key, List<NftSet.Element> elements, java.util.function.Function<NftSet.Element, Object> data) {
        this.key = key;
        String why = null;
        List<long[]> ranges = new ArrayList<>();
        List<Object> rangeVals = new ArrayList<>();
        for (NftSet.Element e : elements) {
            Object d = data.apply(e);
            String bad = add(e.key(), d, ranges, rangeVals);
            if (bad != null && why == null) why = bad;
        }
        this.unknown = why;
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(i -> ranges.get(i)[0]));
        lo = new long[order.length];
        hi = new long[order.length];
        vals = new Object[order.length];
        for (int i = 0; i < order.length; i++) {
            lo[i] = ranges.get(order[i])[0];
            hi[i] = ranges.get(order[i])[1];
            vals[i] = rangeVals.get(order[i]);
        }
    }

    /** A set of {@code key}'s type. */
    static NftSetIndex set(NftKey key, List<NftSet.Element> elements) { return new NftSetIndex(key, elements, e -> MEMBER); }

    /** A map: each element's data read by {@code data}. */
    static NftSetIndex map(NftKey key, List<NftSet.Element> elements, java.util.function.Function<NftSet.Element, Object> data) {
        return new NftSetIndex(key, elements, data);
    }

    private String add(NftExpr k, Object d, List<long[]> ranges, List<Object> rangeVals) {
        switch (key.kind) {
            case ADDR: {
                List<Prefix> ps = NftMatch.prefixes(k, key.family);
                if (ps == null) return "set element " + dev.anyloop.state.nft.NftText.expr(k) + " is not an " + key.family.word() + " address";
                for (Prefix p : ps) addrs.put(p, d);
                return null;
            }
            case NUM: {
                long[] r = NftMatch.interval(k, key);
                if (r == null) return "set element " + dev.anyloop.state.nft.NftText.expr(k) + " is not a value anyloop reads";
                ranges.add(r);
                rangeVals.add(d);
                return null;
            }
            case NAME: {
                if (!(k instanceof NftExpr.Value v)) return "set element " + dev.anyloop.state.nft.NftText.expr(k) + " is not a name";
                if (v.text().endsWith("*")) wildcards.add(Map.entry(v.text().substring(0, v.text().length() - 1), d));
                else names.put(v.text(), d);
                return null;
            }
            default: {
                NftKey.Tuple t = (NftKey.Tuple) key;
                if (!(k instanceof NftExpr.Concat c) || c.parts().size() != t.parts.length) return "set element is not a concatenation of "
                        + t.parts.length;
                NftSetIndex[] parts = new NftSetIndex[t.parts.length];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = set(t.parts[i], List.of(NftSet.Element.of(c.parts().get(i))));
                    if (parts[i].unknown != null) return parts[i].unknown;
                }
                tuples.add(Map.entry(parts, d));
                return null;
            }
        }
    }

    /** The element's data for the packet's key, {@link #MEMBER} in a set, or null when no element holds it. */
    Object lookup(NftCtx c) {
        switch (key.kind) {
            case ADDR: {
                Ip a = key.addr(c);
                return a == null || a.family() != key.family ? null : addrs.lookupOrDefault(a, null);
            }
            case NUM: {
                long v = key.num(c);
                return v == NftKey.ABSENT ? null : number(v);
            }
            case NAME: {
                String n = key.name(c);
                if (n == null) return null;
                Object d = names.get(n);
                if (d != null) return d;
                for (Map.Entry<String, Object> w : wildcards) if (n.startsWith(w.getKey())) return w.getValue();
                return null;
            }
            default: {
                NftKey.Tuple t = (NftKey.Tuple) key;
                for (Map.Entry<NftSetIndex[], Object> e : tuples) {
                    boolean all = true;
                    for (int i = 0; i < t.parts.length && all; i++) all = e.getKey()[i].lookup(c) != null;
                    if (all) return e.getValue();
                }
                return null;
            }
        }
    }

    /** Bisection over the sorted intervals: the last one starting at or before {@code v}, if it reaches {@code v}. */
    Object number(long v) {
        int a = 0;
        int b = lo.length - 1;
        int found = -1;
        while (a <= b) {
            int m = (a + b) >>> 1;
            if (lo[m] <= v) {
                found = m;
                a = m + 1;
            } else {
                b = m - 1;
            }
        }
        return found >= 0 && v <= hi[found] ? vals[found] : null;
    }

    /** An address set over plain prefixes, for ipsets and tests. */
    static NftSetIndex ofPrefixes(Family f, List<Prefix> prefixes) {
        NftKey key = new NftKey(NftKey.Kind.ADDR, Map.of(), f) { };
        NftSetIndex s = set(key, List.of());
        for (Prefix p : prefixes) s.addrs.put(p, MEMBER);
        return s;
    }

    /** True when {@code a} is in this address set. */
    boolean containsAddr(Ip a) { return addrs.lookupOrDefault(a, null) != null; }

    static OptionalLong none() { return OptionalLong.empty(); }
}
