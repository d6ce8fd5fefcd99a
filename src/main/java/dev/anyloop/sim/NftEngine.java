package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.state.ChainType;
import dev.anyloop.state.Hook;
import dev.anyloop.state.nft.NftChain;
import dev.anyloop.state.nft.NftRule;
import dev.anyloop.state.nft.NftRuleset;
import dev.anyloop.state.nft.NftSet;
import dev.anyloop.state.nft.NftStatement;
import dev.anyloop.state.nft.NftTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's native nftables ruleset for one family, compiled: the base chains of every table of family ip /
 * ip6 (as the family says) and inet, by hook and priority, and their regular chains. Evaluation is nft's: the
 * rules of a chain in order; {@code jump} comes back, {@code goto} does not, {@code return} goes back to the
 * caller (in a base chain: the policy); {@code accept} ends only this base chain (the next base chain on the
 * hook still runs), {@code drop} and {@code reject} end the packet.
 */
final class NftEngine {
    /** A compiled chain; {@code targets[i]} is where rule i's jump or goto lands (null: a chain that does not exist). */
    static final class Chain {
        final String table;
        final String name;
        NftRuleOps[] rules = new NftRuleOps[0];
        Chain[] targets = new Chain[0];

        Chain(String table, String name) {
            this.table = table;
            this.name = name;
        }
    }

    /** A base chain on a hook. */
    static final class Base {
        final int priority;
        final ChainType type;
        final Chain chain;
        final Firewall.Hit policy;

        Base(int priority, ChainType type, Chain chain, boolean drop) {
            this.priority = priority;
            this.type = type;
            this.chain = chain;
            this.policy = new Firewall.Hit(drop ? Firewall.Kind.DROP : Firewall.Kind.ACCEPT, chain.table, chain.name, null, null, "");
        }
    }

    private static final Firewall.Hit CONTINUE = new Firewall.Hit(Firewall.Kind.CONTINUE, "", "", null, null, "");

    @SuppressWarnings("unchecked")
    private final List<Base>[] hooks = new List[Hook.values().length];

    NftEngine(NftRuleset rs, Family family) {
        for (Hook h : Hook.values()) hooks[h.ordinal()] = new ArrayList<>();
        for (NftTable t : rs.tables()) {
            if (!t.family().covers(family)) continue;
            compile(t, family);
        }
        for (List<Base> l : hooks) l.sort(Comparator.comparingInt(b -> b.priority));
    }

    /** The base chains on {@code h}, by priority. */
    List<Base> on(Hook h) { return hooks[h.ordinal()]; }

    boolean isEmpty() {
        for (List<Base> l : hooks) if (!l.isEmpty()) return false;
        return true;
    }

    private void compile(NftTable t, Family family) {
        String tableName = t.toString();
        Map<String, Chain> chains = new HashMap<>();
        for (NftChain c : t.chains()) chains.put(c.name(), new Chain(tableName, c.name()));
        Map<NftMatch.NftSetKey, NftSetIndex> cache = new HashMap<>();
        NftMatch.Sets sets = k -> cache.computeIfAbsent(k, key -> {
            NftSet s = t.set(key.name()).orElse(null);
            if (s == null) return null;
            return s.isMap() ? NftSetIndex.map(key.key(), s.elements(), NftMatch::verdictOf) : NftSetIndex.set(key.key(), s.elements());
        });
        for (NftChain c : t.chains()) {
            Chain cc = chains.get(c.name());
            List<NftRule> rules = c.rules();
            cc.rules = new NftRuleOps[rules.size()];
            cc.targets = new Chain[rules.size()];
            for (int i = 0; i < rules.size(); i++) {
                cc.rules[i] = NftRuleOps.compile(rules.get(i), tableName, c.name(), sets, family);
                for (NftRuleOps.Op op : cc.rules[i].ops) {
                    if (op.kind == NftRuleOps.Kind.VERDICT && op.verdict.chain().isPresent()) cc.targets[i] = chains.get(op.verdict.chain().get());
                }
            }
            c.base().flatMap(NftChain.Base::inetHook).ifPresent(h -> {
                NftChain.Base b = c.base().get();
                hooks[h.ordinal()].add(new Base(b.priority(), b.type(), cc, b.drop()));
            });
        }
        this.chainsByTable.put(tableName, chains);
    }

    /** Every compiled chain by table, so a vmap's jump can find its chain. */
    private final Map<String, Map<String, Chain>> chainsByTable = new HashMap<>();

    /** What one rule did. */
    private enum Out { NOMATCH, DONE, VERDICT }

    /**
     * Runs base chain {@code b} on the packet in {@code c} (whose mark a rule may change); the hit says what
     * decided: ACCEPT (this chain let it through), DROP, REJECT, a NAT, or UNKNOWN naming the rule.
     */
    Firewall.Hit run(Base b, NftCtx c) {
        Chain cur = b.chain;
        int pos = 0;
        Chain[] stackC = new Chain[16];
        int[] stackP = new int[16];
        int depth = 0;
        for (int guard = 0; guard < 100_000; guard++) {
            if (pos >= cur.rules.length) {
                if (depth == 0) return policy(b, c);
                depth--;
                cur = stackC[depth];
                pos = stackP[depth];
                continue;
            }
            int at = pos++;
            NftRuleOps r = cur.rules[at];
            Result res = rule(r, c);
            if (res.out == Out.NOMATCH) continue;
            if (c.rec.explain()) {
                if (c.limited != null) c.rec.add(new Step.Note(c.host.name, c.limited + ": a single probe passes while the bucket has tokens"));
                c.rec.add(res.hit != null && res.hit.kind == Firewall.Kind.UNKNOWN ? res.hit.step(c.host.name)
                        : new Step.NftRuleMatched(c.host.name, r.table, r.chain, r.rule.handle(), r.rule));
            }
            if (res.out == Out.DONE) continue;
            if (res.hit != null) return res.hit;
            NftStatement.Verdict v = res.verdict;
            switch (v.kind()) {
                case ACCEPT: return new Firewall.Hit(Firewall.Kind.ACCEPT, r.table, r.chain, r.rule, null, "");
                case DROP: return new Firewall.Hit(Firewall.Kind.DROP, r.table, r.chain, r.rule, null, "");
                case QUEUE: return new Firewall.Hit(Firewall.Kind.UNKNOWN, r.table, r.chain, r.rule, null, "queue to userspace is not modelled");
                case CONTINUE: continue;
                case RETURN:
                    if (depth == 0) return policy(b, c);
                    depth--;
                    cur = stackC[depth];
                    pos = stackP[depth];
                    continue;
                default: {
                    Chain to = res.target != null ? res.target : cur.targets[at];
                    if (to == null) return new Firewall.Hit(Firewall.Kind.UNKNOWN, r.table, r.chain, r.rule, null, "chain " + v.chain().orElse("?") + " is missing");
                    if (v.kind() == NftStatement.Verdict.Kind.JUMP) {
                        if (depth == stackC.length) {
                            return new Firewall.Hit(Firewall.Kind.UNKNOWN, r.table, r.chain, r.rule, null, "jumps nested deeper than the kernel allows");
                        }
                        stackC[depth] = cur;
                        stackP[depth] = pos;
                        depth++;
                    }
                    cur = to;
                    pos = 0;
                }
            }
        }
        throw new IllegalStateException("nft evaluation on " + c.host.name + " did not end in " + b.chain.table + " " + b.chain.name);
    }

    private static Firewall.Hit policy(Base b, NftCtx c) {
        if (c.rec.explain()) c.rec.add(b.policy.step(c.host.name));
        return b.policy;
    }

    /** A rule's outcome: no match, done without a verdict, or a verdict (with the chain a vmap's jump lands in) or a hit. */
    private record Result(Out out, NftStatement.Verdict verdict, Chain target, Firewall.Hit hit) {
        static final Result NOMATCH = new Result(Out.NOMATCH, null, null, null);
        static final Result DONE = new Result(Out.DONE, null, null, null);
    }

    private Result rule(NftRuleOps r, NftCtx c) {
        c.unknown = null;
        c.limited = null;
        for (NftRuleOps.Op op : r.ops) {
            switch (op.kind) {
                case MATCH:
                    if (!op.cond.test(c)) return Result.NOMATCH;
                    break;
                case UNKNOWN:
                    if (c.unknown == null) c.unknown = op.why;
                    if (op.effect) return unknown(r, c);
                    break;
                case NOOP:
                    break;
                case LIMIT:
                    c.limited = op.why;
                    break;
                case SET_MARK:
                    if (c.unknown != null) return unknown(r, c);
                    c.pkt = c.pkt.withMark(op.value.applyAsLong(c));
                    break;
                case SET_CT_MARK:
                    if (c.unknown != null) return unknown(r, c);
                    if (c.ct != null) c.ct.mark = op.value.applyAsLong(c) & 0xffffffffL;
                    break;
                case VERDICT:
                    if (c.unknown != null) return unknown(r, c);
                    return new Result(Out.VERDICT, op.verdict, null, null);
                case REJECT:
                    if (c.unknown != null) return unknown(r, c);
                    return new Result(Out.VERDICT, null, null, new Firewall.Hit(Firewall.Kind.REJECT, r.table, r.chain, r.rule, null, ""));
                case NAT: {
                    if (c.unknown != null) return unknown(r, c);
                    // "dnat ip to ..." in an inet table does nothing to an IPv6 packet: the rule breaks
                    if (op.natFamily != null && op.natFamily != c.family()) return Result.NOMATCH;
                    Firewall.Kind k = Firewall.Kind.valueOf(op.nat.kind().name());
                    return new Result(Out.VERDICT, null, null, new Firewall.Hit(k, r.table, r.chain, r.rule, op.nat, ""));
                }
                default: { // VMAP
                    if (c.unknown != null) return unknown(r, c);
                    Object v = op.map.lookup(c);
                    if (!(v instanceof NftStatement.Verdict verdict)) return Result.NOMATCH;
                    Chain to = verdict.chain().map(n -> chainsByTable.getOrDefault(r.table, Map.of()).get(n)).orElse(null);
                    return new Result(Out.VERDICT, verdict, to, null);
                }
            }
        }
        return Result.DONE;
    }

    private static Result unknown(NftRuleOps r, NftCtx c) {
        return new Result(Out.VERDICT, null, null, new Firewall.Hit(Firewall.Kind.UNKNOWN, r.table, r.chain, r.rule, null, c.unknown));
    }
}
