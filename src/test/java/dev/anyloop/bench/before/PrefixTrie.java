package dev.anyloop.bench.before;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Longest-prefix-match table from {@link Prefix} to a value: a multibit {@link StrideTable} per family.
 *
 * <p>Lookups are a few array reads and stay correct under any mix of puts and lookups; there is no build or freeze
 * step to call. Once an IPv4 table of 4096 or more routes has served a quarter of its size in lookups without a new
 * route, it compresses itself into a {@link CompactTable} (about a tenth of the memory, mostly cache resident), and
 * the next new route drops that copy again. Each route also remembers the next less specific route holding it, the chain
 * the kernel walks when it backtracks past a route whose nexthops are dead (fib_table_lookup), so {@link #matches}
 * costs one step per match. Built once, then read: it is not thread-safe while being written; once writes have
 * stopped, any number of threads may look up at once.
 */
public final class PrefixTrie<V> {
    private static final int NONE = -1;
    /** Below this many IPv4 routes the stride table fits in cache and compressing it buys nothing. */
    private static final int COMPACT_MIN_ROUTES = 4096;

    private final StrideTable v4 = new StrideTable(Family.V4);
    private final StrideTable v6 = new StrideTable(Family.V6);
    /** Route id to its entry; ids are dense in insertion order and never reused (there is no remove). */
    private Object[] entries = new Object[8];
    /** Route id to its value alone, so lookupOrDefault skips the entry object (one cache miss fewer). */
    private Object[] values = new Object[8];
    /** Route id to the id of the most specific strictly shorter route that holds it, or NONE. */
    private int[] parent = new int[8];
    /** Route id to its prefix length, unsigned (IPv6 /128 does not fit a signed byte). */
    private byte[] lengths = new byte[8];
    private int size;
    private int size4;
    /**
     * The compressed IPv4 index, or null while stale. Built by the first lookups after writes stop (see
     * {@link #lookupId}); volatile so that concurrent readers see it whole.
     */
    private volatile CompactTable compact4;
    /** Lookups since the last IPv4 add; racy increments are fine, it only decides when to compress. */
    private int lookupsSinceChange;

    private StrideTable table(Family f) { return f == Family.V4 ? v4 : v6; }

    /** Sets the value of {@code p}, returning the one it replaced, if any. */
    public Optional<V> put(Prefix p, V value) {
        Objects.requireNonNull(value, () -> "PrefixTrie value for " + p);
        int id = find(p);
        if (id == NONE) {
            add(p, value);
            return Optional.empty();
        }
        V old = entry(id).getValue();
        entries[id] = Map.entry(p, value);
        values[id] = value;
        return Optional.of(old);
    }

    /** The value of exactly {@code p}. */
    public Optional<V> get(Prefix p) {
        int id = find(p);
        return id == NONE ? Optional.empty() : Optional.of(entry(id).getValue());
    }

    /** The value of exactly {@code p}, first storing {@code make.apply(p)} if there is none. */
    public V computeIfAbsent(Prefix p, Function<Prefix, V> make) {
        int id = find(p);
        if (id != NONE) return entry(id).getValue();
        V value = Objects.requireNonNull(make.apply(p), () -> "PrefixTrie value made for " + p);
        add(p, value);
        return value;
    }

    /**
     * The most specific prefix holding {@code ip}, and its value. This is the hot path: the entry is stored, so
     * the only allocation is the Optional, which the JIT removes when the caller inlines it.
     */
    public Optional<Map.Entry<Prefix, V>> longestMatch(Ip ip) {
        int id = lookupId(ip);
        return id == NONE ? Optional.empty() : Optional.of(entry(id));
    }

    /** The value of the most specific prefix holding {@code ip}, or {@code fallback}; allocates nothing. */
    public V lookupOrDefault(Ip ip, V fallback) {
        int id = lookupId(ip);
        return id == NONE ? fallback : value(id);
    }

    /** Every prefix holding {@code ip}, most specific first. */
    public List<Map.Entry<Prefix, V>> matches(Ip ip) {
        List<Map.Entry<Prefix, V>> out = new ArrayList<>(4);
        for (int id = lookupId(ip); id != NONE; id = parent[id]) out.add(entry(id));
        return out;
    }

    /** All entries, IPv4 before IPv6, in address order (a shorter prefix before a longer one at the same address). */
    public List<Map.Entry<Prefix, V>> entries() {
        List<Map.Entry<Prefix, V>> out = new ArrayList<>(size);
        for (int id = 0; id < size; id++) out.add(entry(id));
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    public int size() { return size; }

    private int lookupId(Ip ip) {
        if (!ip.isV4()) return v6.lookup(ip) - 1;
        int a = (int) ip.lo();
        CompactTable c = compact4;
        if (c != null) return c.lookup(a) - 1;
        if (size4 >= COMPACT_MIN_ROUTES && ++lookupsSinceChange > size4 / 4) {
            // Amortised: compressing reads every slot once (~40 per route), paid for by size/4 lookups that were
            // each slower on the stride table; a put/lookup/put pattern never gets here.
            c = CompactTable.of(v4);
            compact4 = c;
            return c.lookup(a) - 1;
        }
        return v4.lookupV4(a) - 1;
    }

    /** Like {@link #lookupId} on the always-current stride table, for writers, which must not trigger compression. */
    private int strideLookupId(Ip ip) {
        return (ip.isV4() ? v4.lookupV4((int) ip.lo()) : v6.lookup(ip)) - 1;
    }

    /**
     * The id of exactly {@code p}, or NONE. The chain from the most specific route holding p's first address visits
     * every route holding that address, longest first, so p is on it if it is in the table at all.
     */
    private int find(Prefix p) {
        int id = strideLookupId(p.network());
        while (id != NONE && length(id) > p.length()) id = parent[id];
        return id != NONE && length(id) == p.length() ? id : NONE;
    }

    private void add(Prefix p, V value) {
        int id = size;
        if (id == entries.length) grow();
        int len = p.length();
        int up = strideLookupId(p.network());
        while (up != NONE && length(up) >= len) up = parent[up];
        entries[id] = Map.entry(p, value);
        values[id] = value;
        lengths[id] = (byte) len;
        parent[id] = up;
        table(p.family()).insert(p.network(), len, id, this::length, inner -> adopt(inner, id, len));
        size++; // only now: if insert threw for lack of room, no slot points at id yet
        if (p.family() == Family.V4) {
            size4++;
            compact4 = null;
            lookupsSinceChange = 0;
        }
    }

    /**
     * Route {@code inner} lies inside the new route {@code id}: the first route on its chain whose parent is shorter
     * than {@code len} now has {@code id} as its parent instead.
     */
    private void adopt(int inner, int id, int len) {
        for (int x = inner; ; ) {
            int up = parent[x];
            if (up == id) return;
            if (up == NONE || length(up) < len) {
                parent[x] = id;
                return;
            }
            x = up;
        }
    }

    private int length(int id) { return lengths[id] & 0xff; }

    @SuppressWarnings("unchecked")
    private Map.Entry<Prefix, V> entry(int id) { return (Map.Entry<Prefix, V>) entries[id]; }

    @SuppressWarnings("unchecked")
    private V value(int id) { return (V) values[id]; }

    private void grow() {
        int n = entries.length * 2;
        entries = Arrays.copyOf(entries, n);
        values = Arrays.copyOf(values, n);
        parent = Arrays.copyOf(parent, n);
        lengths = Arrays.copyOf(lengths, n);
    }
}
