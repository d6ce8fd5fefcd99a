package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.nft.NftExpr;
import dev.anyloop.state.nft.NftRule;
import dev.anyloop.state.nft.NftStatement;
import dev.anyloop.state.nft.NftText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One nft rule compiled into the steps the kernel runs in order: matches that may stop the rule, statements
 * with side effects (a mark set), and the statement that decides (a verdict, reject, NAT, a vmap). A
 * statement or match anyloop does not model is kept as an unknown step: the rule is UNKNOWN only if every
 * modelled match of it holds and it would change something.
 */
final class NftRuleOps {
    /** What a compiled step does. */
    enum Kind { MATCH, UNKNOWN, SET_MARK, SET_CT_MARK, LIMIT, NOOP, VERDICT, REJECT, NAT, VMAP }

    /** One step; which fields count depends on {@link #kind}. */
    static final class Op {
        final Kind kind;
        NftMatch.Cond cond;
        String why;
        /** For SET_MARK / SET_CT_MARK: the new value from the packet, the ct mark, or a constant. */
        java.util.function.ToLongFunction<NftCtx> value;
        NftStatement.Verdict verdict;
        NatAction nat;
        /** For NAT in an inet table: the family it applies to, or null for both. */
        Family natFamily;
        NftSetIndex map;
        /** For UNKNOWN: true when the unknown step changes the packet or decides (not a match that may fail). */
        boolean effect;

        Op(Kind kind) { this.kind = kind; }
    }

    final NftRule rule;
    final String table;
    final String chain;
    final Op[] ops;

    private NftRuleOps(NftRule rule, String table, String chain, Op[] ops) {
        this.rule = rule;
        this.table = table;
        this.chain = chain;
        this.ops = ops;
    }

    /** Statements that change nothing a probe's verdict depends on: set updates, flow offload, helpers. */
    private static final java.util.Set<String> HARMLESS = java.util.Set.of("set", "flow", "ct helper", "ct timeout",
            "ct expectation", "meter", "counter", "quota");

    static NftRuleOps compile(NftRule r, String table, String chain, NftMatch.Sets sets, Family family) {
        List<Op> out = new ArrayList<>();
        for (NftStatement s : r.statements()) out.add(s.accept(new NftStatement.Visitor<Op>() {
            public Op visit(NftStatement.Match m) {
                NftMatch.Compiled c = NftMatch.compile(m, sets);
                if (c.cond() == null) return unknown(c.why());
                Op o = new Op(Kind.MATCH);
                o.cond = c.cond();
                return o;
            }

            public Op visit(NftStatement.Counter s) { return new Op(Kind.NOOP); }

            public Op visit(NftStatement.Log s) { return new Op(Kind.NOOP); }

            public Op visit(NftStatement.Limit s) {
                Op o = new Op(Kind.LIMIT);
                o.why = s.over() ? null : NftText.statement(s);
                // "limit rate over N" matches only once the rate is exceeded: never for a single probe
                if (s.over()) {
                    o = new Op(Kind.MATCH);
                    o.cond = c -> false;
                }
                return o;
            }

            public Op visit(NftStatement.Verdict v) {
                Op o = new Op(Kind.VERDICT);
                o.verdict = v;
                return o;
            }

            public Op visit(NftStatement.Reject s) { return new Op(Kind.REJECT); }

            public Op visit(NftStatement.Nat s) { return nat(s, family); }

            public Op visit(NftStatement.Mangle s) { return mangle(s); }

            public Op visit(NftStatement.Vmap s) {
                NftKey key = NftKey.of(s.key());
                if (key == null) return unknownEffect("'" + NftText.expr(s.key()) + "' is not modelled");
                NftSetIndex idx = s.map() instanceof NftExpr.SetLiteral l ? NftSetIndex.map(key, l.elements(), NftMatch::verdictOf)
                        : s.map() instanceof NftExpr.SetRef ref ? sets.apply(new NftMatch.NftSetKey(ref.name(), key)) : null;
                if (idx == null) return unknownEffect("the map of '" + NftText.statement(s) + "' is not in the table");
                if (idx.unknown != null) return unknownEffect(idx.unknown);
                Op o = new Op(Kind.VMAP);
                o.map = idx;
                return o;
            }

            public Op visit(NftStatement.Notrack s) { return unknownEffect("notrack (an untracked packet) is not modelled"); }

            public Op visit(NftStatement.Unsupported s) {
                if (HARMLESS.contains(s.name())) return new Op(Kind.NOOP);
                // an iptables-nft compat match may fail like any match; anything else changes the packet or decides
                return s.name().startsWith("xt match") ? unknown("'" + s.name() + "' is not modelled")
                        : unknownEffect("'" + s.name() + "' is not modelled");
            }
        }));
        return new NftRuleOps(r, table, chain, out.toArray(new Op[0]));
    }

    private static Op unknown(String why) {
        Op o = new Op(Kind.UNKNOWN);
        o.why = why;
        return o;
    }

    private static Op unknownEffect(String why) {
        Op o = unknown(why);
        o.effect = true;
        return o;
    }

    private static Op mangle(NftStatement.Mangle s) {
        boolean meta = s.key() instanceof NftExpr.Meta m && m.key().equals("mark");
        boolean ct = s.key() instanceof NftExpr.Ct c && c.key().equals("mark");
        if (!meta && !ct) return unknownEffect("'" + NftText.statement(s) + "': only meta mark and ct mark are modelled");
        java.util.function.ToLongFunction<NftCtx> v = value(s.value());
        if (v == null) return unknownEffect("'" + NftText.statement(s) + "': the value is not modelled");
        Op o = new Op(meta ? Kind.SET_MARK : Kind.SET_CT_MARK);
        o.value = v;
        return o;
    }

    /** A mark's new value: a constant, the packet's mark, the ct mark, or one of those masked and combined. */
    private static java.util.function.ToLongFunction<NftCtx> value(NftExpr e) {
        if (e instanceof NftExpr.Value v) {
            OptionalLong n = NftConstants.number(v.text(), java.util.Map.of());
            if (n.isEmpty()) return null;
            long k = n.getAsLong();
            return c -> k;
        }
        if (e instanceof NftExpr.Meta m && m.key().equals("mark")) return c -> c.pkt.mark();
        if (e instanceof NftExpr.Ct c && c.key().equals("mark")) return NftCtx::ctMark;
        if (e instanceof NftExpr.Binary b) {
            java.util.function.ToLongFunction<NftCtx> l = value(b.left());
            java.util.function.ToLongFunction<NftCtx> r = value(b.right());
            if (l == null || r == null) return null;
            switch (b.op()) {
                case "&": return c -> l.applyAsLong(c) & r.applyAsLong(c);
                case "|": return c -> l.applyAsLong(c) | r.applyAsLong(c);
                case "^": return c -> l.applyAsLong(c) ^ r.applyAsLong(c);
                default: return null;
            }
        }
        return null;
    }

    private static Op nat(NftStatement.Nat s, Family family) {
        NatAction.Kind k = NatAction.Kind.valueOf(s.kind().name());
        Optional<Ip> to = Optional.empty();
        if (s.addr().isPresent()) {
            if (!(s.addr().get() instanceof NftExpr.Value v) || Ip.tryParse(v.text()).isEmpty()) {
                return unknownEffect("'" + NftText.statement(s) + "': a NAT address from a map, range or expression is not modelled");
            }
            to = Ip.tryParse(v.text());
        }
        Optional<PortRange> port = Optional.empty();
        if (s.port().isPresent()) {
            NftExpr p = s.port().get();
            long[] iv = p instanceof NftExpr.Range r ? NftMatch.interval(r, NftKey.payload("tcp", "dport"))
                    : NftMatch.interval(p, NftKey.payload("tcp", "dport"));
            if (iv == null) return unknownEffect("'" + NftText.statement(s) + "': the port is not modelled");
            port = Optional.of(new PortRange((int) iv[0], (int) iv[1]));
        }
        if ((k == NatAction.Kind.DNAT || k == NatAction.Kind.SNAT) && to.isEmpty()) {
            return unknownEffect("'" + NftText.statement(s) + "' without an address is not modelled");
        }
        Op o = new Op(Kind.NAT);
        o.nat = new NatAction(k, to, port);
        o.natFamily = s.family().map(f -> f.equals("ip6") ? Family.V6 : Family.V4)
                .orElse(to.map(Ip::family).orElse(null));
        return o;
    }
}
