package dev.anyloop.bench.before;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import java.util.List;
import java.util.Optional;

/** The kernel's choice of a source address: inet_select_addr() for IPv4, RFC 6724 for IPv6. */
final class SourceSelection {
    private SourceSelection() { }

    /** rtnetlink scopes, as numbers: a smaller number is a wider scope. */
    static final int UNIVERSE = 0;
    static final int LINK = 253;
    static final int HOST = 254;

    /** Which kernel rule chose a source. */
    enum Why { GIVEN, SUBNET, FIRST, FALLBACK, RFC6724 }

    /** The address chosen and which kernel rule chose it; the words are built only when a trace asks. */
    record Choice(Ip ip, Why rule, String dev, Ip target, String other) {
        Choice(Ip ip, Why rule, String dev, Ip target) { this(ip, rule, dev, target, ""); }

        static Choice of(Ip ip, String why) { return new Choice(ip, Why.GIVEN, "", ip, why); }

        String why() {
            switch (rule) {
                case SUBNET: return "first primary address on " + dev + " whose subnet holds the gateway " + target;
                case FIRST: return "first primary address on " + dev;
                case FALLBACK: return dev + " has no usable address: first eligible address of the host, on " + other;
                case RFC6724: return "RFC 6724 source selection (scope, outgoing interface " + dev
                        + ", label, longest prefix) among the host's addresses, on " + other;
                default: return other;
            }
        }
    }

    static int scope(Address.Scope s) {
        return s == Address.Scope.GLOBAL ? UNIVERSE : s == Address.Scope.LINK ? LINK : HOST;
    }

    /**
     * inet_select_addr(dev, dst, scope): the first primary address on {@code dev} of a scope no wider
     * than allowed whose subnet holds {@code dst} (the gateway, or zero), else the first such
     * address on {@code dev}; else, walking every device from lo on, the first primary address that is
     * neither link scope nor narrower than {@code scope} — how a loopback address becomes the source
     * when the egress device has none.
     */
    static Optional<Choice> v4(HostModel h, String dev, Ip dst, int scope) {
        int localnet = h.conf(dev).routeLocalnet() ? LINK : HOST;
        Ip first = null;
        for (HostModel.Addr a : h.v4ByDev.getOrDefault(dev, List.of())) {
            if (!a.primary()) continue;
            if (Math.min(scope(a.address().scope()), localnet) > scope) continue;
            if (!dst.isZero() && Prefixes.contains(a.net(), dst)) return Optional.of(new Choice(a.ip(), Why.SUBNET, dev, dst));
            if (first == null) first = a.ip();
        }
        if (first != null) return Optional.of(new Choice(first, Why.FIRST, dev, dst));
        for (String d : h.devices) {
            for (HostModel.Addr a : h.v4ByDev.getOrDefault(d, List.of())) {
                int s = scope(a.address().scope());
                if (a.primary() && s != LINK && s <= scope) {
                    return Optional.of(new Choice(a.ip(), Why.FALLBACK, dev, dst, d));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * IPv6 default address selection (RFC 6724 as ipv6_dev_get_saddr applies it): the destination
     * itself if local, then appropriate scope, the outgoing interface, matching label and longest
     * matching prefix; ties keep the first candidate in device order. Link-local and multicast
     * destinations only consider the outgoing interface.
     */
    static Optional<Choice> v6(HostModel h, String oif, Ip dst) {
        int dscope = scope6(dst);
        boolean onlyOif = dst.isMulticast() || dscope <= 2;
        HostModel.Addr best = null;
        int[] bestScore = null;
        for (HostModel.Addr a : h.v6All) {
            if (onlyOif && !a.dev().equals(oif)) continue;
            if (a.ip().equals(dst)) return Optional.of(Choice.of(dst, "the destination is a local address"));
            int s = scope6(a.ip());
            int[] score = {
                s >= dscope ? -s : s - 128,
                a.dev().equals(oif) ? 1 : 0,
                label(a.ip()) == label(dst) ? 1 : 0,
                Math.min(commonPrefix(a.ip(), dst), a.address().address().length())
            };
            if (best == null || better(score, bestScore)) {
                best = a;
                bestScore = score;
            }
        }
        if (best == null) return Optional.empty();
        return Optional.of(new Choice(best.ip(), Why.RFC6724, oif, dst, best.dev()));
    }

    private static boolean better(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return a[i] > b[i];
        return false;
    }

    /** IPv6 address scope as the kernel numbers it: 1 node (::1), 2 link, 5 site, 14 global. */
    static int scope6(Ip ip) {
        if (ip.isMulticast()) return (int) ((ip.hi() >>> 48) & 0xf);
        if (ip.isLoopback()) return 1;
        if (ip.isLinkLocal()) return 2;
        if ((ip.hi() >>> 54) == 0x3fb) return 5; // fec0::/10 site-local
        return 14;
    }

    private static final Object[][] LABELS = {
        {"::1/128", 0}, {"::ffff:0.0.0.0/96", 4}, {"2002::/16", 2}, {"2001::/32", 5}, {"fc00::/7", 13},
        {"::/96", 3}, {"fec0::/10", 11}, {"3ffe::/16", 12}, {"2001:10::/28", 7},
    };

    private static final Prefix[] LABEL_PREFIX = new Prefix[LABELS.length];

    static {
        for (int i = 0; i < LABELS.length; i++) LABEL_PREFIX[i] = Prefix.parse((String) LABELS[i][0]);
    }

    /** The RFC 6724 default policy table's label. */
    static int label(Ip ip) {
        int best = 1;
        int bestLen = -1;
        for (int i = 0; i < LABELS.length; i++) {
            if (LABEL_PREFIX[i].length() > bestLen && LABEL_PREFIX[i].contains(ip)) {
                best = (Integer) LABELS[i][1];
                bestLen = LABEL_PREFIX[i].length();
            }
        }
        return best;
    }

    static int commonPrefix(Ip a, Ip b) {
        if (a.family() == Family.V4) return Long.numberOfLeadingZeros((a.lo() ^ b.lo()) & 0xffffffffL) - 32;
        long x = a.hi() ^ b.hi();
        if (x != 0) return Long.numberOfLeadingZeros(x);
        return 64 + Long.numberOfLeadingZeros(a.lo() ^ b.lo());
    }
}
