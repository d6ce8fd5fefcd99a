package dev.anyloop.bench;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Baseline for PrefixTrieBench: the original one-bit-per-level binary trie that PrefixTrie replaced, kept verbatim.
 *
 * <p>Built once, then read: it is not thread-safe while being written.
 */
public final class BinaryTrie<V> {
    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        Prefix prefix;
        V value;
    }

    private final Node<V> v4 = new Node<>();
    private final Node<V> v6 = new Node<>();
    private int size;

    private Node<V> root(Family f) { return f == Family.V4 ? v4 : v6; }

    private Node<V> node(Prefix p, boolean create) {
        Node<V> n = root(p.family());
        Ip ip = p.network();
        for (int i = 0; i < p.length() && n != null; i++) {
            Node<V> next = ip.bit(i) == 0 ? n.zero : n.one;
            if (next == null && create) {
                next = new Node<>();
                if (ip.bit(i) == 0) n.zero = next; else n.one = next;
            }
            n = next;
        }
        return n;
    }

    /** Sets the value of {@code p}, returning the one it replaced, if any. */
    public Optional<V> put(Prefix p, V value) {
        Node<V> n = node(p, true);
        V old = n.value;
        if (n.prefix == null) size++;
        n.prefix = p;
        n.value = value;
        return Optional.ofNullable(old);
    }

    /** The value of exactly {@code p}. */
    public Optional<V> get(Prefix p) {
        Node<V> n = node(p, false);
        return n == null || n.prefix == null ? Optional.empty() : Optional.of(n.value);
    }

    public V computeIfAbsent(Prefix p, Function<Prefix, V> make) {
        Node<V> n = node(p, true);
        if (n.prefix == null) {
            n.prefix = p;
            n.value = make.apply(p);
            size++;
        }
        return n.value;
    }

    /** The most specific prefix holding {@code ip}, and its value. */
    public Optional<Map.Entry<Prefix, V>> longestMatch(Ip ip) {
        Node<V> n = root(ip.family());
        Node<V> best = n.prefix != null ? n : null;
        int bits = ip.family().bits();
        for (int i = 0; i < bits; i++) {
            n = ip.bit(i) == 0 ? n.zero : n.one;
            if (n == null) break;
            if (n.prefix != null) best = n;
        }
        return best == null ? Optional.empty() : Optional.of(Map.entry(best.prefix, best.value));
    }

    /** Every prefix holding {@code ip}, most specific first. */
    public List<Map.Entry<Prefix, V>> matches(Ip ip) {
        List<Map.Entry<Prefix, V>> out = new ArrayList<>();
        Node<V> n = root(ip.family());
        if (n.prefix != null) out.add(Map.entry(n.prefix, n.value));
        for (int i = 0; i < ip.family().bits(); i++) {
            n = ip.bit(i) == 0 ? n.zero : n.one;
            if (n == null) break;
            if (n.prefix != null) out.add(0, Map.entry(n.prefix, n.value));
        }
        return out;
    }

    /** All entries, IPv4 before IPv6, in address order. */
    public List<Map.Entry<Prefix, V>> entries() {
        List<Map.Entry<Prefix, V>> out = new ArrayList<>(size);
        collect(v4, out);
        collect(v6, out);
        return out;
    }

    private static <V> void collect(Node<V> n, List<Map.Entry<Prefix, V>> out) {
        if (n == null) return;
        if (n.prefix != null) out.add(Map.entry(n.prefix, n.value));
        collect(n.zero, out);
        collect(n.one, out);
    }

    public int size() { return size; }
}
