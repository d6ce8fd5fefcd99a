package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.nft.NftExpr;
import dev.anyloop.state.nft.NftSet;
import dev.anyloop.state.nft.NftStatement;
import dev.anyloop.state.nft.NftText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Compiles one nft match ({@code left op right}) into a condition: equality, inequality and order on numbers,
 * bit tests on flag types ({@code ct state established,related}, {@code tcp flags & (syn|ack) == syn}),
 * membership in prefixes, ranges, anonymous and named sets, interface names with a trailing {@code *}.
 * A match anyloop cannot read compiles to null with the reason in {@link Compiled#why}.
 */
final class NftMatch {
    private NftMatch() { }

    /** A compiled condition. */
    interface Cond {
        boolean test(NftCtx c);
    }

    /** The condition, or null and why not. */
    record Compiled(Cond cond, String why) {
        static Compiled no(String why) { return new Compiled(null, why); }
    }

    /** Finds a named set of the rule's table, compiled for a key. */
    interface Sets extends Function<NftSetKey, NftSetIndex> { }

    /** A named set asked for with the kind of key it is looked up by. */
    record NftSetKey(String name, NftKey key) { }

    static Compiled compile(NftStatement.Match m, Sets sets) {
        String text = NftText.statement(m);
        if (m.left() instanceof NftExpr.Meta meta && SOCKET_OWNER.contains(meta.key())) return socketOwner(text);
        NftKey key = NftKey.of(m.left());
        if (key == null) return Compiled.no("'" + NftText.expr(m.left()) + "' is not modelled");
        NftExpr right = m.right();
        NftStatement.Op op = m.op();
        // membership: anonymous or named sets
        if (right instanceof NftExpr.SetLiteral s || right instanceof NftExpr.SetRef) {
            NftSetIndex idx = right instanceof NftExpr.SetLiteral s2 ? NftSetIndex.set(key, s2.elements())
                    : sets.apply(new NftSetKey(((NftExpr.SetRef) right).name(), key));
            if (idx == null) return Compiled.no("set @" + ((NftExpr.SetRef) right).name() + " is not in the table");
            if (idx.unknown != null) return Compiled.no(idx.unknown);
            if (op != NftStatement.Op.EQ && op != NftStatement.Op.NE && op != NftStatement.Op.IN) return Compiled.no("'" + text + "'");
            boolean neg = op == NftStatement.Op.NE;
            return new Compiled(c -> present(key, c) && (idx.lookup(c) != null) != neg, null);
        }
        switch (key.kind) {
            case ADDR: {
                List<Prefix> ps = prefixes(right, key.family);
                if (ps == null || (op != NftStatement.Op.EQ && op != NftStatement.Op.NE)) return Compiled.no("'" + text + "'");
                NftSetIndex idx = NftSetIndex.ofPrefixes(key.family, ps);
                boolean neg = op == NftStatement.Op.NE;
                return new Compiled(c -> {
                    Ip a = key.addr(c);
                    return a != null && idx.containsAddr(a) != neg;
                }, null);
            }
            case NAME: return name(key, op, right, text);
            case NUM: return number(key, op, right, text);
            default: return Compiled.no("'" + text + "': a concatenation compared with a single value");
        }
    }

    /** Meta keys that read the owner of the packet's socket. */
    private static final java.util.Set<String> SOCKET_OWNER = java.util.Set.of("skuid", "skgid");

    /**
     * meta skuid/skgid read the owner of skb->sk: a packet that arrived on a device has no socket before local
     * delivery, and a new connection none at input either (early demux attaches only an established TCP socket), so
     * the expression breaks and the rule does not match (nft_meta_get_eval_skugid). A packet a local socket sent, or
     * an established one at input, has an owner nobody told us: the rule is unknown unless another match fails.
     */
    private static Compiled socketOwner(String text) {
        String why = "'" + text + "' needs the uid of the socket, which a query does not say";
        return new Compiled(c -> {
            boolean local = c.in.isEmpty();
            boolean demuxed = c.hook == dev.anyloop.state.Hook.INPUT && c.pkt.proto() == dev.anyloop.net.Proto.TCP
                    && c.pkt.ct().state() == dev.anyloop.state.ConntrackState.ESTABLISHED;
            if (!local && !demuxed) return false;
            if (c.unknown == null) c.unknown = why;
            return true;
        }, null);
    }

    private static boolean present(NftKey key, NftCtx c) {
        switch (key.kind) {
            case ADDR: return key.addr(c) != null;
            case NUM: return key.num(c) != NftKey.ABSENT;
            case NAME: return true; // a fib lookup that finds nothing is a value (missing), not an absent field
            default: {
                for (NftKey p : ((NftKey.Tuple) key).parts) if (!present(p, c)) return false;
                return true;
            }
        }
    }

    private static Compiled name(NftKey key, NftStatement.Op op, NftExpr right, String text) {
        if (!(right instanceof NftExpr.Value v) || (op != NftStatement.Op.EQ && op != NftStatement.Op.NE)) return Compiled.no("'" + text + "'");
        boolean neg = op == NftStatement.Op.NE;
        String want = v.text();
        // fib ... oif missing / exists: the lookup found no route (or one) back
        if (want.equals("false") || want.equals("true")) {
            boolean exists = want.equals("true");
            return new Compiled(c -> (key.name(c) != null) == exists != neg, null);
        }
        boolean wild = want.endsWith("*");
        String prefix = wild ? want.substring(0, want.length() - 1) : want;
        return new Compiled(c -> {
            String n = key.name(c);
            if (n == null) return false;
            return (wild ? n.startsWith(prefix) : n.equals(want)) != neg;
        }, null);
    }

    private static Compiled number(NftKey key, NftStatement.Op op, NftExpr right, String text) {
        if (right instanceof NftExpr.Range r) {
            long[] iv = interval(r, key);
            if (iv == null || (op != NftStatement.Op.EQ && op != NftStatement.Op.NE)) return Compiled.no("'" + text + "'");
            boolean neg = op == NftStatement.Op.NE;
            return new Compiled(c -> {
                long v = key.num(c);
                return v != NftKey.ABSENT && (v >= iv[0] && v <= iv[1]) != neg;
            }, null);
        }
        OptionalLong k = bits(right, key);
        if (k.isEmpty()) return Compiled.no("'" + text + "': the value is not one anyloop reads");
        long want = k.getAsLong();
        return new Compiled(c -> {
            long v = key.num(c);
            if (v == NftKey.ABSENT) return false;
            switch (op) {
                case EQ: return v == want;
                case NE: return v != want;
                case LT: return v < want;
                case GT: return v > want;
                case LE: return v <= want;
                case GE: return v >= want;
                default: return (v & want) != 0; // IN: any of the bits ("ct state established,related")
            }
        }, null);
    }

    /** A constant number, a flags list or a {@code |} of them as one bitmask, in the key's word table. */
    static OptionalLong bits(NftExpr e, NftKey key) {
        if (e instanceof NftExpr.Value v) return key.constant(v.text());
        if (e instanceof NftExpr.Flags f) {
            long m = 0;
            for (String w : f.words()) {
                OptionalLong b = key.constant(w);
                if (b.isEmpty()) return OptionalLong.empty();
                m |= b.getAsLong();
            }
            return OptionalLong.of(m);
        }
        if (e instanceof NftExpr.Binary b && b.op().equals("|")) {
            OptionalLong l = bits(b.left(), key);
            OptionalLong r = bits(b.right(), key);
            return l.isPresent() && r.isPresent() ? OptionalLong.of(l.getAsLong() | r.getAsLong()) : OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** A number or range as [lo, hi], or null. */
    static long[] interval(NftExpr e, NftKey key) {
        if (e instanceof NftExpr.Range r) {
            OptionalLong a = bits(r.lo(), key);
            OptionalLong b = bits(r.hi(), key);
            return a.isPresent() && b.isPresent() ? new long[] {a.getAsLong(), b.getAsLong()} : null;
        }
        OptionalLong v = bits(e, key);
        return v.isPresent() ? new long[] {v.getAsLong(), v.getAsLong()} : null;
    }

    /** An address, prefix or address range of family {@code f} as the prefixes that cover it exactly; null if none. */
    static List<Prefix> prefixes(NftExpr e, Family f) {
        if (e instanceof NftExpr.Value v) {
            Optional<Ip> ip = Ip.tryParse(v.text());
            return ip.isPresent() && ip.get().family() == f ? List.of(Prefix.host(ip.get())) : null;
        }
        if (e instanceof NftExpr.Prefix p) {
            Optional<Ip> ip = Ip.tryParse(p.addr());
            if (ip.isEmpty() || ip.get().family() != f || p.len() < 0 || p.len() > f.bits()) return null;
            return List.of(Prefix.containing(ip.get(), p.len()));
        }
        if (e instanceof NftExpr.Range r && r.lo() instanceof NftExpr.Value a && r.hi() instanceof NftExpr.Value b) {
            Optional<Ip> lo = Ip.tryParse(a.text());
            Optional<Ip> hi = Ip.tryParse(b.text());
            if (lo.isEmpty() || hi.isEmpty() || lo.get().family() != f || hi.get().family() != f || lo.get().compareTo(hi.get()) > 0) return null;
            return cover(lo.get(), hi.get());
        }
        return null;
    }

    /** The fewest prefixes whose union is exactly [lo, hi] (at most 2 x bits of them). */
    static List<Prefix> cover(Ip lo, Ip hi) {
        List<Prefix> out = new ArrayList<>();
        int bits = lo.family().bits();
        Ip cur = lo;
        while (true) {
            int len = bits;
            // grow the block while it stays aligned at cur and inside [cur, hi]
            while (len > 0) {
                Prefix bigger = Prefix.containing(cur, len - 1);
                if (!bigger.network().equals(cur) || last(bigger).compareTo(hi) > 0) break;
                len--;
            }
            Prefix p = Prefix.containing(cur, len);
            out.add(p);
            Ip end = last(p);
            if (end.compareTo(hi) >= 0 || isMax(end)) return out;
            cur = end.plus(1);
        }
    }

    private static Ip last(Prefix p) {
        Ip n = p.network();
        int host = p.family().bits() - p.length();
        if (p.family() == Family.V4) return Ip.v4(n.lo() | (host == 0 ? 0 : (1L << host) - 1));
        long hiBits = host <= 64 ? 0 : host >= 128 ? -1L : (1L << (host - 64)) - 1;
        long loBits = host >= 64 ? -1L : host == 0 ? 0 : (1L << host) - 1;
        return Ip.v6(n.hi() | hiBits, n.lo() | loBits);
    }

    private static boolean isMax(Ip ip) {
        return ip.family() == Family.V4 ? ip.lo() == 0xffffffffL : ip.hi() == -1L && ip.lo() == -1L;
    }

    /** The verdict a map element holds, for vmaps. */
    static Object verdictOf(NftSet.Element e) {
        return e.data().filter(d -> d instanceof NftExpr.VerdictValue).map(d -> (Object) ((NftExpr.VerdictValue) d).verdict()).orElse(null);
    }
}
