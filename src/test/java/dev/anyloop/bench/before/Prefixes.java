package dev.anyloop.bench.before;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;

/** Allocation-free prefix containment for the per-packet path (Prefix.contains masks into a new Ip). */
final class Prefixes {
    private Prefixes() { }

    static boolean contains(Prefix p, Ip ip) {
        if (p.family() != ip.family()) return false;
        int len = p.length();
        if (len == 0) return true;
        Ip n = p.network();
        if (ip.family() == Family.V4) {
            long mask = (0xffffffffL << (32 - len)) & 0xffffffffL;
            return ((ip.lo() ^ n.lo()) & mask) == 0;
        }
        if (len <= 64) return ((ip.hi() ^ n.hi()) & (-1L << (64 - len))) == 0;
        if (ip.hi() != n.hi()) return false;
        return len == 128 ? ip.lo() == n.lo() : ((ip.lo() ^ n.lo()) & (-1L << (128 - len))) == 0;
    }
}
