package dev.anyloop.bgp;

import java.util.AbstractList;
import java.util.List;

/**
 * An AS path as an immutable list that shares its tail: prepending an AS (what every eBGP hop does) is one small
 * object instead of a copy, which is what keeps the convergence of a large network in memory and in time.
 */
final class AsPath extends AbstractList<Long> {
    static final AsPath EMPTY = new AsPath(0, null, 0);

    private final long head;
    private final AsPath tail;
    private final int size;

    private AsPath(long head, AsPath tail, int size) {
        this.head = head;
        this.tail = tail;
        this.size = size;
    }

    static AsPath of(List<Long> path) {
        if (path instanceof AsPath p) return p;
        AsPath out = EMPTY;
        for (int i = path.size() - 1; i >= 0; i--) out = out.prepend(path.get(i));
        return out;
    }

    /** {@code asn} then this path. */
    AsPath prepend(long asn) { return new AsPath(asn, this, size + 1); }

    /** {@code asn} {@code times} times, then this path. */
    AsPath prepend(long asn, int times) {
        AsPath out = this;
        for (int i = 0; i < times; i++) out = out.prepend(asn);
        return out;
    }

    boolean containsAs(long asn) {
        for (AsPath p = this; p.size > 0; p = p.tail) if (p.head == asn) return true;
        return false;
    }

    @Override
    public Long get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
        AsPath p = this;
        for (int i = 0; i < index; i++) p = p.tail;
        return p.head;
    }

    @Override
    public int size() { return size; }

    /** Walks the path once (AbstractList's iterator would call get(i), walking it again for every element). */
    @Override
    public java.util.Iterator<Long> iterator() {
        return new java.util.Iterator<>() {
            private AsPath p = AsPath.this;

            public boolean hasNext() { return p.size > 0; }

            public Long next() {
                if (p.size == 0) throw new java.util.NoSuchElementException();
                long h = p.head;
                p = p.tail;
                return h;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof AsPath other)) return super.equals(o);
        if (other.size != size) return false;
        for (AsPath a = this, b = other; a.size > 0; a = a.tail, b = b.tail) {
            if (a == b) return true; // a shared tail
            if (a.head != b.head) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (AsPath p = this; p.size > 0; p = p.tail) h = 31 * h + Long.hashCode(p.head);
        return h;
    }
}
