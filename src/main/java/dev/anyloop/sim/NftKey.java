package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Route;
import dev.anyloop.state.nft.NftExpr;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the left side of an nft match reads from a packet, compiled once: an address, a number (ports,
 * protocols, marks, flags, types) or a name (interfaces), or a concatenation of those. A field the packet
 * does not have (tcp dport of a UDP packet, ip saddr of an IPv6 one) is absent, and a match on it fails, as
 * the dependency nft adds to the rule (meta l4proto tcp, meta nfproto ipv4) does in the kernel.
 */
abstract class NftKey {
    /** What a key yields. */
    enum Kind { ADDR, NUM, NAME, TUPLE }

    static final long ABSENT = Long.MIN_VALUE;

    final Kind kind;
    /** The word table constants of this key are written in (ct state words, ICMP types, ...). */
    final Map<String, Long> words;
    /** For an address key, its family. */
    final Family family;

    NftKey(Kind kind, Map<String, Long> words, Family family) {
        this.kind = kind;
        this.words = words;
        this.family = family;
    }

    long num(NftCtx c) { throw new IllegalStateException(kind + " key"); }

    Ip addr(NftCtx c) { throw new IllegalStateException(kind + " key"); }

    String name(NftCtx c) { throw new IllegalStateException(kind + " key"); }

    /** A constant of this key's type as a number; empty when it is not one. */
    OptionalLong constant(String text) { return NftConstants.number(text, words); }

    private abstract static class Num extends NftKey {
        Num(Map<String, Long> words) { super(Kind.NUM, words, null); }

        @Override
        abstract long num(NftCtx c);
    }

    private abstract static class Addr extends NftKey {
        Addr(Family f) { super(Kind.ADDR, Map.of(), f); }

        @Override
        abstract Ip addr(NftCtx c);
    }

    private abstract static class Name extends NftKey {
        Name() { super(Kind.NAME, Map.of(), null); }

        @Override
        abstract String name(NftCtx c);
    }

    /** A concatenation: its parts, read one by one. */
    static final class Tuple extends NftKey {
        final NftKey[] parts;

        Tuple(NftKey[] parts) {
            super(Kind.TUPLE, Map.of(), null);
            this.parts = parts;
        }
    }

    private static NftKey num(Map<String, Long> words, java.util.function.ToLongFunction<NftCtx> f) {
        return new Num(words) {
            @Override
            long num(NftCtx c) { return f.applyAsLong(c); }
        };
    }

    private static NftKey addr(Family fam, java.util.function.Function<NftCtx, Ip> f) {
        return new Addr(fam) {
            @Override
            Ip addr(NftCtx c) { return f.apply(c); }
        };
    }

    private static NftKey name(java.util.function.Function<NftCtx, String> f) {
        return new Name() {
            @Override
            String name(NftCtx c) { return f.apply(c); }
        };
    }

    /** Compiles a left side; null when anyloop does not model it (the match is then unknown). */
    static NftKey of(NftExpr e) {
        return e.accept(new NftExpr.Visitor<NftKey>() {
            public NftKey visit(NftExpr.Payload p) { return payload(p.protocol(), p.field()); }

            public NftKey visit(NftExpr.Meta m) { return meta(m.key()); }

            public NftKey visit(NftExpr.Ct ct) { return ct(ct.key(), ct.dir()); }

            public NftKey visit(NftExpr.Fib f) { return NftFib.key(f); }

            public NftKey visit(NftExpr.Binary b) {
                NftKey l = of(b.left());
                if (l == null || l.kind != Kind.NUM) return null;
                OptionalLong mask = NftMatch.bits(b.right(), l);
                if (mask.isEmpty()) return null;
                long m = mask.getAsLong();
                String op = b.op();
                return num(l.words, c -> {
                    long v = l.num(c);
                    if (v == ABSENT) return ABSENT;
                    switch (op) {
                        case "&": return v & m;
                        case "|": return v | m;
                        case "^": return v ^ m;
                        case "<<": return v << m;
                        default: return v >>> m;
                    }
                });
            }

            public NftKey visit(NftExpr.Concat c) {
                List<NftExpr> ps = c.parts();
                NftKey[] keys = new NftKey[ps.size()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = of(ps.get(i));
                    if (keys[i] == null || keys[i].kind == Kind.TUPLE) return null;
                }
                return new Tuple(keys);
            }

            public NftKey visit(NftExpr.Value v) { return null; }

            public NftKey visit(NftExpr.Prefix p) { return null; }

            public NftKey visit(NftExpr.Range r) { return null; }

            public NftKey visit(NftExpr.SetLiteral s) { return null; }

            public NftKey visit(NftExpr.SetRef s) { return null; }

            public NftKey visit(NftExpr.Flags f) { return null; }

            public NftKey visit(NftExpr.VerdictValue v) { return null; }

            public NftKey visit(NftExpr.Unknown u) { return null; }
        });
    }

    private static boolean ports(Packet p) { return p.proto() != Proto.ICMP; }

    static NftKey payload(String proto, String field) {
        switch (proto + " " + field) {
            case "ip saddr": return addr(Family.V4, c -> c.family() == Family.V4 ? c.pkt.src() : null);
            case "ip daddr": return addr(Family.V4, c -> c.family() == Family.V4 ? c.pkt.dst() : null);
            case "ip6 saddr": return addr(Family.V6, c -> c.family() == Family.V6 ? c.pkt.src() : null);
            case "ip6 daddr": return addr(Family.V6, c -> c.family() == Family.V6 ? c.pkt.dst() : null);
            case "ip protocol": return num(NftConstants.PROTOCOLS, c -> c.family() == Family.V4 ? NftConstants.protocolOf(c.pkt) : ABSENT);
            case "ip6 nexthdr": return num(NftConstants.PROTOCOLS, c -> c.family() == Family.V6 ? NftConstants.protocolOf(c.pkt) : ABSENT);
            case "ip ttl": return num(Map.of(), c -> c.family() == Family.V4 ? c.pkt.ttl() : ABSENT);
            case "ip6 hoplimit": return num(Map.of(), c -> c.family() == Family.V6 ? c.pkt.ttl() : ABSENT);
            case "tcp sport": return num(NftConstants.SERVICES, c -> c.pkt.proto() == Proto.TCP ? c.pkt.sport() : ABSENT);
            case "tcp dport": return num(NftConstants.SERVICES, c -> c.pkt.proto() == Proto.TCP ? c.pkt.dport() : ABSENT);
            case "udp sport": return num(NftConstants.SERVICES, c -> c.pkt.proto() == Proto.UDP ? c.pkt.sport() : ABSENT);
            case "udp dport": return num(NftConstants.SERVICES, c -> c.pkt.proto() == Proto.UDP ? c.pkt.dport() : ABSENT);
            // th reads the first 4 bytes of any transport header: for ICMP that is type, code and checksum, no port
            case "th sport": return num(NftConstants.SERVICES, c -> ports(c.pkt) ? c.pkt.sport() : ABSENT);
            case "th dport": return num(NftConstants.SERVICES, c -> ports(c.pkt) ? c.pkt.dport() : ABSENT);
            // a probe's TCP request is a SYN, its reply a SYN-ACK (Packet's convention)
            case "tcp flags": return num(NftConstants.TCP_FLAGS, c -> c.pkt.proto() != Proto.TCP ? ABSENT : c.pkt.reply() ? 0x12 : 0x02);
            case "icmp type": return num(NftConstants.ICMP_TYPES, c -> icmp(c, Family.V4) ? c.pkt.icmpType() : ABSENT);
            case "icmp code": return num(Map.of(), c -> icmp(c, Family.V4) ? 0 : ABSENT);
            case "icmpv6 type": return num(NftConstants.ICMPV6_TYPES, c -> icmp(c, Family.V6) ? c.pkt.icmpType() : ABSENT);
            case "icmpv6 code": return num(Map.of(), c -> icmp(c, Family.V6) ? 0 : ABSENT);
            default: return null;
        }
    }

    private static boolean icmp(NftCtx c, Family f) { return c.pkt.proto() == Proto.ICMP && c.family() == f; }

    static NftKey meta(String key) {
        switch (key) {
            case "iifname": case "iif": return name(c -> c.in.isEmpty() ? null : c.in);
            case "oifname": case "oif": return name(c -> c.out.isEmpty() ? null : c.out);
            case "l4proto": return num(NftConstants.PROTOCOLS, c -> NftConstants.protocolOf(c.pkt));
            case "nfproto": return num(NftConstants.NFPROTO, c -> c.family() == Family.V4 ? 2 : 10);
            case "protocol": return num(Map.of("ip", 0x0800L, "ip6", 0x86ddL), c -> c.family() == Family.V4 ? 0x0800 : 0x86dd);
            case "mark": return num(Map.of(), c -> c.pkt.mark());
            // every probe is unicast to this host or through it
            case "pkttype": return num(NftConstants.PKTTYPE, c -> 0);
            case "iiftype": return num(NftConstants.IFTYPE, c -> c.in.isEmpty() ? ABSENT : "lo".equals(c.in) ? 772 : 1);
            case "oiftype": return num(NftConstants.IFTYPE, c -> c.out.isEmpty() ? ABSENT : "lo".equals(c.out) ? 772 : 1);
            default: return null; // skuid, skgid, cgroup, length, priority, random, time, ...: not modelled
        }
    }

    static NftKey ct(String key, String dir) {
        switch (key) {
            case "state": return num(NftConstants.CT_STATE, c -> stateBits(c.pkt.ct()));
            case "status": return num(NftConstants.CT_STATUS, NftKey::statusBits);
            case "mark": return num(Map.of(), NftCtx::ctMark);
            case "direction": return num(NftConstants.DIRECTION, c -> c.pkt.reply() ? 1 : 0);
            default: return null;
        }
    }

    static long stateBits(CtState s) {
        switch (s.state()) {
            case INVALID: return 1;
            case ESTABLISHED: return 2;
            case RELATED: return 4;
            case NEW: return 8;
            case UNTRACKED: return 64;
            default: throw new IllegalStateException("not a conntrack state: " + s.state());
        }
    }

    /** The conntrack status bits a probe's connection has: seen-reply and confirmed once the reply is seen, NAT bits. */
    static long statusBits(NftCtx c) {
        CtState s = c.pkt.ct();
        long bits = (s.dnat() ? 32 : 0) | (s.snat() ? 16 : 0);
        if (s.state() == dev.anyloop.state.ConntrackState.ESTABLISHED) bits |= 2 | 8;
        return bits;
    }

    /** The route type numbers nft's fib ... type compares (RTN_*). */
    static final Map<String, Long> ROUTE_TYPES = Map.ofEntries(Map.entry("unspec", 0L), Map.entry("unicast", 1L),
            Map.entry("local", 2L), Map.entry("broadcast", 3L), Map.entry("anycast", 4L), Map.entry("multicast", 5L),
            Map.entry("blackhole", 6L), Map.entry("unreachable", 7L), Map.entry("prohibit", 8L), Map.entry("throw", 9L),
            Map.entry("nat", 10L), Map.entry("xresolve", 11L));

    static long routeType(Route.Type t) { return ROUTE_TYPES.getOrDefault(t.word(), 0L); }
}
