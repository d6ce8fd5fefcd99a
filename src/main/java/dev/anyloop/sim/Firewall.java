package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Proto;
import dev.anyloop.state.BuiltinChain;
import dev.anyloop.state.Chain;
import dev.anyloop.state.IpSet;
import dev.anyloop.state.ConntrackState;
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
    /** What a table decided for the packet. */
    enum Kind { ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT, UNKNOWN, CONTINUE }

    /** What evaluation does after a rule matched: go on, leave the chain, enter another, or decide. */
    private enum Flow { CONTINUE, RETURN, JUMP, GOTO, DECIDE }

    /** A target's flow and, when it decides, its kind (and NAT); one visitor so that a new target cannot fall through. */
    private record Effect(Flow flow, Kind kind, NatAction nat) {
        Effect(Flow flow, Kind kind) { this(flow, kind, null); }
    }

    private static final class Effects implements Target.Visitor<Effect> {
        private final boolean fwmarkRules;

        Effects(boolean fwmarkRules) { this.fwmarkRules = fwmarkRules; }

        private static Effect decide(Kind k) { return new Effect(Flow.DECIDE, k); }

        public Effect visit(Target.Accept t) { return decide(Kind.ACCEPT); }

        public Effect visit(Target.Drop t) { return decide(Kind.DROP); }

        public Effect visit(Target.Reject t) { return decide(Kind.REJECT); }

        public Effect visit(Target.Return t) { return new Effect(Flow.RETURN, Kind.CONTINUE); }

        public Effect visit(Target.Jump t) { return new Effect(Flow.JUMP, Kind.CONTINUE); }

        public Effect visit(Target.Goto t) { return new Effect(Flow.GOTO, Kind.CONTINUE); }

        public Effect visit(Target.Log t) { return new Effect(Flow.CONTINUE, Kind.CONTINUE); }

        public Effect visit(Target.Dnat t) {
            return new Effect(Flow.DECIDE, Kind.DNAT, new NatAction(NatAction.Kind.DNAT, java.util.Optional.of(t.to()), t.port()));
        }

        public Effect visit(Target.Snat t) {
            return new Effect(Flow.DECIDE, Kind.SNAT, new NatAction(NatAction.Kind.SNAT, java.util.Optional.of(t.to()), t.port()));
        }

        public Effect visit(Target.Masquerade t) {
            return new Effect(Flow.DECIDE, Kind.MASQUERADE, new NatAction(NatAction.Kind.MASQUERADE, java.util.Optional.empty(),
                    java.util.Optional.empty()));
        }

        public Effect visit(Target.Redirect t) {
            return new Effect(Flow.DECIDE, Kind.REDIRECT, new NatAction(NatAction.Kind.REDIRECT, java.util.Optional.empty(), t.port()));
        }

        public Effect visit(Target.None t) { return new Effect(Flow.CONTINUE, Kind.CONTINUE); }

        public Effect visit(Target.Unsupported t) {
            return harmless(t.text(), fwmarkRules) ? new Effect(Flow.CONTINUE, Kind.CONTINUE) : decide(Kind.UNKNOWN);
        }
    }

    /** A decision and the rule (or policy) that made it; precomputed so evaluation allocates nothing. */
    static final class Hit {
        final Kind kind;
        final Target target;
        final String table;
        final String chain;
        final int index;
        final Rule rule;
        /** What a NAT hit does; null for the others. */
        final NatAction nat;
        /** For a hit of an nftables rule: the rule (null for its chain's policy), and why it is unknown. */
        final dev.anyloop.state.nft.NftRule nft;
        final boolean nftPolicy;
        final long handle;
        final String why;

        Hit(Kind kind, Target target, String table, String chain, int index, Rule rule) { this(kind, target, table, chain, index, rule, null); }

        Hit(Kind kind, Target target, String table, String chain, int index, Rule rule, NatAction nat) {
            this.kind = kind;
            this.target = target;
            this.table = table;
            this.chain = chain;
            this.index = index;
            this.rule = rule;
            this.nat = nat;
            this.nft = null;
            this.nftPolicy = false;
            this.handle = 0;
            this.why = "";
        }

        /** A hit of an nftables rule ({@code rule} null: the base chain's policy). */
        Hit(Kind kind, String table, String chain, dev.anyloop.state.nft.NftRule rule, NatAction nat, String why) {
            this.kind = kind;
            this.target = kind == Kind.DROP ? new Target.Drop() : new Target.Accept();
            this.table = table;
            this.chain = chain;
            this.index = 0;
            this.rule = null;
            this.nat = nat;
            this.nft = rule;
            this.nftPolicy = rule == null;
            this.handle = rule == null ? 0 : rule.handle();
            this.why = why;
        }

        Step step(String host) {
            if (nftPolicy) return new Step.NftPolicyApplied(host, table, chain, kind == Kind.DROP);
            if (nft != null && kind == Kind.UNKNOWN) return new Step.UnknownNftRule(host, table, chain, handle, nft, why);
            if (nft != null) return new Step.NftRuleMatched(host, table, chain, handle, nft);
            if (kind == Kind.UNKNOWN) return new Step.UnknownRule(host, table, chain, index, rule);
            if (rule == null) return new Step.PolicyApplied(host, table, chain, target);
            return new Step.RuleMatched(host, table, chain, index, rule);
        }
    }

    /** A compiled condition. */
    interface Cond {
        boolean test(Packet p, String in, String out, HostModel h);
    }

    /** A condition some packets cannot decide: {@link #NO}, {@link #YES} or {@link #UNDECIDED}. */
    interface TriCond extends Cond {
        int NO = 0;
        int YES = 1;
        int UNDECIDED = 2;

        int decide(Packet p, String in, String out, HostModel h);

        default boolean test(Packet p, String in, String out, HostModel h) { return decide(p, in, out, h) != NO; }
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
        final Flow flow;
        /** Conditions a packet may leave undecided (owner of a local socket), checked after {@link #conds}; null if none. */
        TriCond[] tri;
        /** What the rule gives when a {@link #tri} condition is undecided and none fails. */
        Hit undecided;
        /** The rule's {@code -m limit}, said in the trace when it matched. */
        String limit;
        CChain jump;
        boolean hasSrc;
        boolean srcNeg;
        long srcNet;
        long srcMask;
        boolean hasDst;
        boolean dstNeg;
        long dstNet;
        long dstMask;

        CRule(Rule rule, Cond[] conds, boolean unknown, Hit hit, Flow flow) {
            this.rule = rule;
            this.conds = conds;
            this.unknown = unknown;
            this.hit = hit;
            this.flow = flow;
        }
    }

    private static long mask4(int len) { return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL; }

    /**
     * A compiled chain. Its rules' IPv4 -s / -d are also packed side by side (net, mask, net, mask per rule; mask 0
     * where the rule has none), so a scan past rules whose addresses do not match reads one array instead of every
     * rule object: with thousands of hosts those objects are rarely in cache.
     */
    private static final class CChain {
        final String name;
        final CRule[] rules;
        final Hit policy;
        final long[] addr;
        /** Per rule: bit 0 -s negated, bit 1 -d negated. */
        final byte[] neg;

        CChain(String name, CRule[] rules, Hit policy) {
            this.name = name;
            this.rules = rules;
            this.policy = policy;
            this.addr = new long[rules.length * 4];
            this.neg = new byte[rules.length];
            for (int i = 0; i < rules.length; i++) {
                CRule r = rules[i];
                if (r.hasSrc) {
                    addr[4 * i] = r.srcNet;
                    addr[4 * i + 1] = r.srcMask;
                    neg[i] |= r.srcNeg ? 1 : 0;
                }
                if (r.hasDst) {
                    addr[4 * i + 2] = r.dstNet;
                    addr[4 * i + 3] = r.dstMask;
                    neg[i] |= r.dstNeg ? 2 : 0;
                }
            }
        }

        /** CRule.addresses of rule {@code i}, from the packed arrays. */
        boolean addresses(int i, long src, long dst) {
            int n = neg[i];
            long[] a = addr;
            if ((((src ^ a[4 * i]) & a[4 * i + 1]) == 0) == ((n & 1) != 0)) return false;
            return (((dst ^ a[4 * i + 2]) & a[4 * i + 3]) == 0) != ((n & 2) != 0);
        }
    }

    private static final Hit NO_TABLE = new Hit(Kind.ACCEPT, new Target.Accept(), "", "", 0, null);
    private final Map<String, Map<String, CChain>> tables = new HashMap<>();
    private final CChain[] hooks = new CChain[BuiltinChain.values().length];
    private final Family family;
    private final IpSet.Sets ipsets;
    private final Map<String, IpSetIndex> setIndex = new HashMap<>();

    Firewall(Netfilter nf, IpSet.Sets ipsets, boolean fwmarkRules) {
        this.family = nf.family();
        this.ipsets = ipsets;
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
        for (BuiltinChain k : BuiltinChain.values()) {
            CChain c = tables.getOrDefault(k.table().word(), Map.of()).get(k.chain());
            hooks[k.ordinal()] = c != null && c.policy != null ? c : null;
        }
    }

    /** A policy's kind: ACCEPT or DROP (the parsers allow no other). */
    private static Kind kindOf(Target t) { return t.accept(new Effects(false)).kind(); }

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
        Conds compiler = new Conds();
        List<TriCond> tri = new java.util.ArrayList<>();
        String limit = null;
        for (Match m : r.matches()) {
            if (m instanceof Match.Limit l) limit = "-m limit " + l.text();
            if (family == Family.V4 && fastSrc == null && m instanceof Match.Source s && s.prefix().family() == Family.V4) {
                fastSrc = s;
                continue;
            }
            if (family == Family.V4 && fastDst == null && m instanceof Match.Destination d && d.prefix().family() == Family.V4) {
                fastDst = d;
                continue;
            }
            Cond c = m.accept(compiler);
            if (c == null) {
                unsupportedMatch = true;
                continue;
            }
            if (c instanceof TriCond t) {
                // ! swaps yes and no; what cannot be decided stays so
                tri.add(m.negated() ? (p, i, o, h) -> {
                    int d = t.decide(p, i, o, h);
                    return d == TriCond.UNDECIDED ? d : TriCond.YES - d;
                } : t);
                continue;
            }
            conds[n++] = m.negated() ? (p, i, o, h) -> !c.test(p, i, o, h) : c;
        }
        Cond[] used = java.util.Arrays.copyOf(conds, n);
        Target t = r.target();
        Effect e = t.accept(new Effects(fwmarkRules));
        // a rule that only counts or logs changes nothing, whatever its unmodelled matches say
        boolean unknown = e.kind() == Kind.UNKNOWN || (unsupportedMatch && e.flow() != Flow.CONTINUE);
        Kind k = unknown ? Kind.UNKNOWN : e.kind();
        CRule c = new CRule(r, used, unknown, new Hit(k, t, table, chain, index, r, unknown ? null : e.nat()), unknown ? Flow.DECIDE : e.flow());
        c.limit = limit;
        if (!tri.isEmpty()) {
            c.tri = tri.toArray(new TriCond[0]);
            // a rule that only counts or logs goes on whatever the undecided match says
            c.undecided = e.flow() == Flow.CONTINUE ? null : new Hit(Kind.UNKNOWN, t, table, chain, index, r);
        }
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

    /** A match compiled to a condition; null for one anyloop does not model. */
    private final class Conds implements Match.Visitor<Cond> {
        public Cond visit(Match.Source s) { return (p, i, o, h) -> Prefixes.contains(s.prefix(), p.src()); }

        public Cond visit(Match.Destination d) { return (p, i, o, h) -> Prefixes.contains(d.prefix(), p.dst()); }

        public Cond visit(Match.InInterface x) { return (p, i, o, h) -> x.matches(i); }

        public Cond visit(Match.OutInterface x) { return (p, i, o, h) -> x.matches(o); }

        public Cond visit(Match.Protocol x) {
            int num = protoNumber(x.name());
            return (p, i, o, h) -> num == 0 || num == protoOf(p);
        }

        public Cond visit(Match.DstPorts x) {
            PortRange[] rs = x.ranges().toArray(new PortRange[0]);
            return (p, i, o, h) -> p.proto() != Proto.ICMP && anyContains(rs, p.dport());
        }

        public Cond visit(Match.SrcPorts x) {
            PortRange[] rs = x.ranges().toArray(new PortRange[0]);
            return (p, i, o, h) -> p.proto() != Proto.ICMP && anyContains(rs, p.sport());
        }

        public Cond visit(Match.IcmpType x) {
            // type 255 is "any"; our echo packets carry code 0
            return (p, i, o, h) -> p.proto() == Proto.ICMP && (x.type() == 255 || x.type() == p.icmpType() && x.code() <= 0);
        }

        public Cond visit(Match.ConnState x) {
            // a word iptables would not load matches nothing here
            ConntrackState[] states = x.states().stream().flatMap(w -> ConntrackState.of(w).stream()).toArray(ConntrackState[]::new);
            return (p, i, o, h) -> {
                for (ConntrackState s : states) if (p.ct().is(s)) return true;
                return false;
            };
        }

        public Cond visit(Match.AddrType a) {
            String want = a.type().toUpperCase(Locale.ROOT);
            return (p, i, o, h) -> addrType(h, a.source() ? p.src() : p.dst()).equals(want);
        }

        public Cond visit(Match.InSet m) {
            IpSetIndex idx = ipsets.get(m.set()).map(s -> setIndex.computeIfAbsent(m.set(), k -> IpSetIndex.of(s, ipsets))).orElse(null);
            // iptables does not load a rule naming a missing set: the snapshot is not of one moment
            if (idx == null || idx.unknown != null) return null;
            List<String> flags = m.flags();
            if (!m.returnNomatch()) return (p, i, o, h) -> idx.lookup(p, flags) == IpSetIndex.Found.YES;
            // --return-nomatch: what a nomatch element then gives is not pinned by a kernel test here, so it is undecided
            return (TriCond) (p, i, o, h) -> {
                IpSetIndex.Found f = idx.lookup(p, flags);
                return f == IpSetIndex.Found.YES ? TriCond.YES : f == IpSetIndex.Found.NO ? TriCond.NO : TriCond.UNDECIDED;
            };
        }

        public Cond visit(Match.IpRange x) { return (p, i, o, h) -> x.contains(x.source() ? p.src() : p.dst()); }

        public Cond visit(Match.Owner x) { return (TriCond) (p, i, o, h) -> owner(x, p, i); }

        public Cond visit(Match.RpFilter x) { return (p, i, o, h) -> rpfilter(x, p, i, h); }

        public Cond visit(Match.Mark x) { return (p, i, o, h) -> (p.mark() & x.mask()) == x.value(); }

        public Cond visit(Match.TcpFlags x) {
            // the simulator's TCP packets are a SYN (request) and a SYN-ACK (its answer)
            return (p, i, o, h) -> p.proto() == Proto.TCP && (tcpFlags(p) & x.mask()) == x.comp();
        }

        public Cond visit(Match.Limit x) { return (p, i, o, h) -> true; }

        public Cond visit(Match.Unsupported m) { return null; }
    }

    static int tcpFlags(Packet p) { return Match.TcpFlag.SYN.bit | (p.reply() ? Match.TcpFlag.ACK.bit : 0); }

    /**
     * xt_owner: a packet without a socket (forwarded, or at a hook before local delivery) matches only a negated
     * option; an echo reply is sent from the kernel's ICMP control socket, which has no file (no uid or gid, but a
     * socket); a packet of a local application has an owner the query does not say.
     */
    private static int owner(Match.Owner x, Packet p, String in) {
        // the value before the rule's '!', which the caller applies: without a socket "! --uid-owner 0" matches
        if (!in.isEmpty()) return TriCond.NO;
        if (x.kind() == Match.OwnerKind.SOCKET_EXISTS) return TriCond.YES;
        boolean ctl = p.proto() == Proto.ICMP && p.reply();
        return ctl ? TriCond.NO : TriCond.UNDECIDED;
    }

    /**
     * ipt_rpfilter / ip6t_rpfilter: a packet from lo passes; otherwise the source is looked up from lo (with the
     * packet's mark under --validmark); the route must be unicast (or local with --accept-local) and use the input
     * device among its next hops (any device with --loose). --invert flips the result.
     */
    private boolean rpfilter(Match.RpFilter x, Packet p, String in, HostModel h) {
        if (in.equals("lo") || in.isEmpty()) return !x.invert();
        Fib fib = h.fib(family);
        Ip saddr = p.dst().isMulticast() ? Ip.zero(family) : p.dst();
        FibResult r = fib.lookup(p.src(), saddr, "lo", x.validMark() ? p.mark() : 0);
        boolean ok;
        if (!r.found() || (r.type() != Route.Type.UNICAST && !(r.type() == Route.Type.LOCAL && x.acceptLocal()))) {
            ok = false;
        } else if (r.type() == Route.Type.LOCAL) {
            ok = true;
        } else {
            ok = x.loose() || r.route().get().nexthops().stream().anyMatch(nh -> nh.dev().equals(in));
        }
        return ok != x.invert();
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
        BuiltinChain k = BuiltinChain.of(table, chain)
                .orElseThrow(() -> new IllegalArgumentException("no built-in chain " + chain + " in table " + table));
        return run(k, p, in, out, h, rec);
    }

    /** True when this host has built-in chain {@code b} (its table is there). */
    boolean has(BuiltinChain b) { return hooks[b.ordinal()] != null; }

    /** Runs one hook's built-in chain; the chains were resolved when the firewall was compiled. */
    Hit run(BuiltinChain hook, Packet p, String in, String out, HostModel h, Recorder rec) {
        CChain base = hooks[hook.ordinal()];
        if (base == null) return NO_TABLE;
        String table = hook.table().word();
        CChain cur = base;
        int pos = 0;
        CChain[] stackC = null;
        int[] stackP = null;
        int depth = 0;
        long src = p.src().lo();
        long dst = p.dst().lo();
        for (int guard = 0; guard < 100_000; guard++) {
            if (pos >= cur.rules.length) {
                if (depth == 0) return policy(base, h, rec);
                depth--;
                cur = stackC[depth];
                pos = stackP[depth];
                continue;
            }
            if (!cur.addresses(pos, src, dst)) {
                pos++;
                continue;
            }
            CRule r = cur.rules[pos++];
            if (!conds(r, p, in, out, h)) continue;
            if (r.tri != null) {
                int d = TriCond.YES;
                for (TriCond t : r.tri) {
                    int x = t.decide(p, in, out, h);
                    if (x == TriCond.NO) {
                        d = x;
                        break;
                    }
                    if (x == TriCond.UNDECIDED) d = x;
                }
                if (d == TriCond.NO) continue;
                if (d == TriCond.UNDECIDED) {
                    if (r.undecided == null) continue;
                    if (rec.explain()) rec.add(r.undecided.step(h.name));
                    return r.undecided;
                }
            }
            if (rec.explain()) {
                rec.add(r.hit.step(h.name));
                if (r.limit != null) rec.add(new Step.Note(h.name, r.limit + ": a single probe passes while the bucket has tokens"));
            }
            Flow flow = r.flow;
            if (flow == Flow.DECIDE) return r.hit;
            if (flow == Flow.CONTINUE) continue;
            if (flow == Flow.RETURN) {
                if (depth == 0) return policy(base, h, rec);
                depth--;
                cur = stackC[depth];
                pos = stackP[depth];
                continue;
            }
            {
                Target tg = r.rule.target();
                if (r.jump == null) return new Hit(Kind.UNKNOWN, tg, table, cur.name, pos, r.rule); // chain missing
                if (flow == Flow.JUMP) {
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
        }
        throw new IllegalStateException("netfilter evaluation on " + h.name + " did not end in " + table + " " + hook.chain());
    }

    private static Hit policy(CChain base, HostModel h, Recorder rec) {
        if (rec.explain()) rec.add(base.policy.step(h.name));
        return base.policy;
    }

    /** The rule's conditions other than the packed -s / -d, which the caller has checked. */
    private static boolean conds(CRule r, Packet p, String in, String out, HostModel h) {
        for (Cond c : r.conds) if (!c.test(p, in, out, h)) return false;
        return true;
    }
}
