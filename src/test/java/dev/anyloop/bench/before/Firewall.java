package dev.anyloop.bench.before;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Chain;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The iptables tables of one host and family, compiled for evaluation: chains by name, rules as
 * arrays of conditions, jump targets resolved. Evaluation follows iptables: first match wins; -j
 * into a user chain and back; -g without coming back; RETURN; the built-in chain's policy; LOG and
 * rules without a target go on. A rule whose supported conditions hold but which has a match or
 * target anyloop does not model yields UNKNOWN, naming the rule.
 */
final class Firewall {
    /** A built-in chain of a table, in the order the kernel's hooks run them. */
    enum Hook {
        RAW_PREROUTING("raw", "PREROUTING"), RAW_OUTPUT("raw", "OUTPUT"),
        MANGLE_PREROUTING("mangle", "PREROUTING"), MANGLE_INPUT("mangle", "INPUT"), MANGLE_FORWARD("mangle", "FORWARD"),
        MANGLE_OUTPUT("mangle", "OUTPUT"), MANGLE_POSTROUTING("mangle", "POSTROUTING"),
        NAT_PREROUTING("nat", "PREROUTING"), NAT_INPUT("nat", "INPUT"), NAT_OUTPUT("nat", "OUTPUT"),
        NAT_POSTROUTING("nat", "POSTROUTING"),
        FILTER_INPUT("filter", "INPUT"), FILTER_FORWARD("filter", "FORWARD"), FILTER_OUTPUT("filter", "OUTPUT");

        final String table;
        final String chain;

        Hook(String table, String chain) {
            this.table = table;
            this.chain = chain;
        }
    }

    /** What a table decided for the packet. */
    enum Kind { ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT, UNKNOWN, CONTINUE }

    /** A decision and the rule (or policy) that made it; precomputed so evaluation allocates nothing. */
    static final class Hit {
        final Kind kind;
        final Target target;
        final String table;
        final String chain;
        final int index;
        final Rule rule;

        Hit(Kind kind, Target target, String table, String chain, int index, Rule rule) {
            this.kind = kind;
            this.target = target;
            this.table = table;
            this.chain = chain;
            this.index = index;
            this.rule = rule;
        }

        Step step(String host) {
            if (kind == Kind.UNKNOWN) return new Step.UnknownRule(host, table, chain, index, rule);
            if (rule == null) return new Step.PolicyApplied(host, table, chain, target);
            return new Step.RuleMatched(host, table, chain, index, rule);
        }
    }

    /** A compiled condition. */
    interface Cond {
        boolean test(Packet p, String in, String out, HostModel h);
    }

    /**
     * A compiled rule. IPv4 -s / -d are kept as primitive net/mask pairs checked inline: evaluation
     * over thousands of hosts is bound by memory loads, not arithmetic.
     */
    private static final class CRule {
        final Rule rule;
        final Cond[] conds;
        final boolean unknown;
        final Hit hit;
        CChain jump;
        boolean hasSrc;
        boolean srcNeg;
        long srcNet;
        long srcMask;
        boolean hasDst;
        boolean dstNeg;
        long dstNet;
        long dstMask;

        CRule(Rule rule, Cond[] conds, boolean unknown, Hit hit) {
            this.rule = rule;
            this.conds = conds;
            this.unknown = unknown;
            this.hit = hit;
        }

        boolean addresses(Packet p) {
            if (hasSrc && ((((p.src().lo() ^ srcNet) & srcMask) == 0) == srcNeg)) return false;
            return !hasDst || ((((p.dst().lo() ^ dstNet) & dstMask) == 0) != dstNeg);
        }
    }

    private static long mask4(int len) { return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL; }

    private static final class CChain {
        final String name;
        final CRule[] rules;
        final Hit policy;

        CChain(String name, CRule[] rules, Hit policy) {
            this.name = name;
            this.rules = rules;
            this.policy = policy;
        }
    }

    private static final Hit NO_TABLE = new Hit(Kind.ACCEPT, new Target.Accept(), "", "", 0, null);
    private final Map<String, Map<String, CChain>> tables = new HashMap<>();
    private final CChain[] hooks = new CChain[Hook.values().length];
    private final Family family;

    Firewall(Netfilter nf, boolean fwmarkRules) {
        this.family = nf.family();
        for (Table t : nf.tables()) {
            Map<String, CChain> chains = new HashMap<>();
            Map<CRule, String> jumps = new HashMap<>();
            for (Chain c : t.chains()) {
                CRule[] rs = new CRule[c.rules().size()];
                for (int i = 0; i < rs.length; i++) {
                    Rule r = c.rules().get(i);
                    rs[i] = compile(t.name(), c.name(), i + 1, r, fwmarkRules);
                    if (r.target() instanceof Target.Jump j) jumps.put(rs[i], j.chain());
                    if (r.target() instanceof Target.Goto g) jumps.put(rs[i], g.chain());
                }
                Hit policy = c.policy().map(p -> new Hit(kindOf(p), p, t.name(), c.name(), 0, null)).orElse(null);
                chains.put(c.name(), new CChain(c.name(), rs, policy));
            }
            for (Map.Entry<CRule, String> j : jumps.entrySet()) j.getKey().jump = chains.get(j.getValue());
            tables.put(t.name(), chains);
        }
        for (Hook k : Hook.values()) {
            CChain c = tables.getOrDefault(k.table, Map.of()).get(k.chain);
            hooks[k.ordinal()] = c != null && c.policy != null ? c : null;
        }
    }

    private static Kind kindOf(Target t) {
        if (t instanceof Target.Accept) return Kind.ACCEPT;
        if (t instanceof Target.Drop) return Kind.DROP;
        if (t instanceof Target.Reject) return Kind.REJECT;
        if (t instanceof Target.Dnat) return Kind.DNAT;
        if (t instanceof Target.Snat) return Kind.SNAT;
        if (t instanceof Target.Masquerade) return Kind.MASQUERADE;
        if (t instanceof Target.Redirect) return Kind.REDIRECT;
        if (t instanceof Target.Unsupported) return Kind.UNKNOWN;
        return Kind.CONTINUE; // jump, goto, return, log, no target: evaluation goes on
    }

    /**
     * Targets that do not end evaluation nor change where a packet goes: they are stepped over.
     * MARK / CONNMARK only matter through fwmark policy rules, so they are harmless without them.
     */
    private static boolean harmless(String text, boolean fwmarkRules) {
        String t = text.toUpperCase(Locale.ROOT);
        for (String w : List.of("TCPMSS", "CHECKSUM", "NFLOG", "ULOG", "AUDIT")) if (t.contains(w)) return true;
        return !fwmarkRules && (t.contains("MARK"));
    }

    private CRule compile(String table, String chain, int index, Rule r, boolean fwmarkRules) {
        Cond[] conds = new Cond[r.matches().size()];
        boolean unsupportedMatch = false;
        int n = 0;
        Match.Source fastSrc = null;
        Match.Destination fastDst = null;
        for (Match m : r.matches()) {
            if (m instanceof Match.Unsupported) {
                unsupportedMatch = true;
                continue;
            }
            if (family == Family.V4 && fastSrc == null && m instanceof Match.Source s && s.prefix().family() == Family.V4) {
                fastSrc = s;
                continue;
            }
            if (family == Family.V4 && fastDst == null && m instanceof Match.Destination d && d.prefix().family() == Family.V4) {
                fastDst = d;
                continue;
            }
            Cond c = cond(m);
            conds[n++] = m.negated() ? (p, i, o, h) -> !c.test(p, i, o, h) : c;
        }
        Cond[] used = java.util.Arrays.copyOf(conds, n);
        Target t = r.target();
        boolean passes = t instanceof Target.Log || t instanceof Target.None
                || (t instanceof Target.Unsupported u && harmless(u.text(), fwmarkRules));
        boolean unknown = !passes && (unsupportedMatch || t instanceof Target.Unsupported);
        Kind k = unknown ? Kind.UNKNOWN : passes ? Kind.CONTINUE : kindOf(t);
        CRule c = new CRule(r, used, unknown, new Hit(k, t, table, chain, index, r));
        if (fastSrc != null) {
            c.hasSrc = true;
            c.srcNeg = fastSrc.negated();
            c.srcNet = fastSrc.prefix().network().lo();
            c.srcMask = mask4(fastSrc.prefix().length());
        }
        if (fastDst != null) {
            c.hasDst = true;
            c.dstNeg = fastDst.negated();
            c.dstNet = fastDst.prefix().network().lo();
            c.dstMask = mask4(fastDst.prefix().length());
        }
        return c;
    }

    private Cond cond(Match m) {
        if (m instanceof Match.Source s) return (p, i, o, h) -> Prefixes.contains(s.prefix(), p.src());
        if (m instanceof Match.Destination d) return (p, i, o, h) -> Prefixes.contains(d.prefix(), p.dst());
        if (m instanceof Match.InInterface x) return (p, i, o, h) -> x.matches(i);
        if (m instanceof Match.OutInterface x) return (p, i, o, h) -> x.matches(o);
        if (m instanceof Match.Protocol x) {
            int num = protoNumber(x.name());
            return (p, i, o, h) -> num == 0 || num == protoOf(p);
        }
        if (m instanceof Match.DstPorts x) {
            PortRange[] rs = x.ranges().toArray(new PortRange[0]);
            return (p, i, o, h) -> p.proto() != Proto.ICMP && anyContains(rs, p.dport());
        }
        if (m instanceof Match.SrcPorts x) {
            PortRange[] rs = x.ranges().toArray(new PortRange[0]);
            return (p, i, o, h) -> p.proto() != Proto.ICMP && anyContains(rs, p.sport());
        }
        if (m instanceof Match.IcmpType x) {
            // type 255 is "any"; our echo packets carry code 0
            return (p, i, o, h) -> p.proto() == Proto.ICMP && (x.type() == 255 || x.type() == p.icmpType() && x.code() <= 0);
        }
        if (m instanceof Match.ConnState x) {
            Set<String> states = x.states();
            return (p, i, o, h) -> {
                for (String s : states) if (p.ct().is(s)) return true;
                return false;
            };
        }
        Match.AddrType a = (Match.AddrType) m;
        String want = a.type().toUpperCase(Locale.ROOT);
        return (p, i, o, h) -> addrType(h, a.source() ? p.src() : p.dst()).equals(want);
    }

    private String addrType(HostModel h, Ip ip) {
        Route.Type t = h.fib(family).addrType(ip);
        return t == Route.Type.UNICAST && ip.isZero() ? "UNSPEC" : t.name();
    }

    private static boolean anyContains(PortRange[] rs, int port) {
        for (PortRange r : rs) if (r.contains(port)) return true;
        return false;
    }

    private int protoOf(Packet p) {
        if (p.proto() == Proto.TCP) return 6;
        if (p.proto() == Proto.UDP) return 17;
        return p.family() == Family.V4 ? 1 : 58;
    }

    /** iptables' protocol words and numbers; 0 is "all". An unknown word matches nothing (-1). */
    static int protoNumber(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "all": case "0": return 0;
            case "tcp": return 6;
            case "udp": return 17;
            case "icmp": return 1;
            case "ipv6-icmp": case "icmpv6": case "icmp6": return 58;
            default:
                try {
                    return Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    return -1;
                }
        }
    }

    /**
     * Runs the built-in {@code chain} of {@code table}. A missing table or chain accepts, as a kernel
     * without those rules does. Each rule that matches is recorded when explaining.
     */
    Hit run(String table, String chain, Packet p, String in, String out, HostModel h, Recorder rec) {
        for (Hook k : Hook.values()) if (k.table.equals(table) && k.chain.equals(chain)) return run(k, p, in, out, h, rec);
        throw new IllegalArgumentException("no built-in chain " + chain + " in table " + table);
    }

    /** Runs one hook's built-in chain; the chains were resolved when the firewall was compiled. */
    Hit run(Hook hook, Packet p, String in, String out, HostModel h, Recorder rec) {
        CChain base = hooks[hook.ordinal()];
        if (base == null) return NO_TABLE;
        String table = hook.table;
        CChain cur = base;
        int pos = 0;
        CChain[] stackC = null;
        int[] stackP = null;
        int depth = 0;
        for (int guard = 0; guard < 100_000; guard++) {
            if (pos >= cur.rules.length) {
                if (depth == 0) return policy(base, h, rec);
                depth--;
                cur = stackC[depth];
                pos = stackP[depth];
                continue;
            }
            CRule r = cur.rules[pos++];
            if (!matches(r, p, in, out, h)) continue;
            if (rec.explain()) rec.add(r.hit.step(h.name));
            if (r.unknown) return r.hit;
            Target tg = r.rule.target();
            if (tg instanceof Target.Log || tg instanceof Target.None || tg instanceof Target.Unsupported) continue;
            if (tg instanceof Target.Return) {
                if (depth == 0) return policy(base, h, rec);
                depth--;
                cur = stackC[depth];
                pos = stackP[depth];
                continue;
            }
            if (tg instanceof Target.Jump || tg instanceof Target.Goto) {
                if (r.jump == null) return new Hit(Kind.UNKNOWN, tg, table, cur.name, pos, r.rule); // chain missing
                if (tg instanceof Target.Jump) {
                    if (stackC == null) {
                        stackC = new CChain[32];
                        stackP = new int[32];
                    }
                    if (depth == stackC.length) return new Hit(Kind.UNKNOWN, tg, table, cur.name, pos, r.rule);
                    stackC[depth] = cur;
                    stackP[depth] = pos;
                    depth++;
                }
                cur = r.jump;
                pos = 0;
                continue;
            }
            return r.hit;
        }
        throw new IllegalStateException("netfilter evaluation on " + h.name + " did not end in " + table + " " + hook.chain);
    }

    private static Hit policy(CChain base, HostModel h, Recorder rec) {
        if (rec.explain()) rec.add(base.policy.step(h.name));
        return base.policy;
    }

    private static boolean matches(CRule r, Packet p, String in, String out, HostModel h) {
        if (!r.addresses(p)) return false;
        for (Cond c : r.conds) if (!c.test(p, in, out, h)) return false;
        return true;
    }
}
