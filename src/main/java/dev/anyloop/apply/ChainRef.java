package dev.anyloop.apply;

import dev.anyloop.net.Family;

/** One netfilter chain of one family: "ipv4 filter INPUT". */
public record ChainRef(Family family, String table, String chain) implements Comparable<ChainRef> {
    @Override
    public String toString() { return family.word() + " " + table + " " + chain; }

    @Override
    public int compareTo(ChainRef o) {
        int c = family.compareTo(o.family);
        if (c == 0) c = table.compareTo(o.table);
        return c != 0 ? c : chain.compareTo(o.chain);
    }
}
