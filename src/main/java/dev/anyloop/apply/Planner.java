package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.Address;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pure differ: what anyloop owns on a host now × what it is to own → the fewest {@link Change}s that get
 * there, touching nothing else. Objects are compared the way the kernel keys them (a route by table, prefix
 * and metric; a rule whole; a chain by its rules as iptables-save prints them), so an equal host yields an
 * empty plan and a second plan after an apply is empty.
 */
public final class Planner {
    private Planner() { }

    /** What the last apply left in the nft table: the hash of what it loaded and the listing that followed. */
    public record NftMemory(String loadedHash, String listing) {
        public static final NftMemory NONE = new NftMemory("", "");
    }

    /** The changes, and what could not be planned (a jump into a chain of another tool that does not exist). */
    public record Result(List<Change> changes, List<String> warnings) {
        public Result {
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }
    }

    public static Result plan(Owned live, Owned target, NftMemory nft) {
        List<Change> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        addresses(live, target, out);
        routes(live, target, out);
        srcRoutes(live, target, out);
        rules(live, target, out);
        sysctls(live, target, out);
        for (Family f : Family.values()) chains(f, live, target, out, warnings);
        nft(live, target, nft, out);
        return new Result(out, warnings);
    }

    private static void addresses(Owned live, Owned target, List<Change> out) {
        Set<Address> have = new LinkedHashSet<>();
        live.addresses().forEach(a -> have.add(Ownership.key(a)));
        Set<Address> want = new LinkedHashSet<>();
        target.addresses().forEach(a -> want.add(Ownership.key(a)));
        for (Address a : target.addresses()) if (!have.contains(Ownership.key(a))) out.add(new Change.AddressAdd(a));
        for (Address a : live.addresses()) if (!want.contains(Ownership.key(a))) out.add(new Change.AddressDel(a));
    }

    /**
     * The kernel's key of a route: family, table, prefix and metric (IPv4 also tos, which anyloop never
     * sets). A second route with the same key replaces the first (ip route replace), so one per key.
     */
    record RouteKey(Family family, int table, dev.anyloop.net.Prefix dst, int metric) {
        static RouteKey of(Route r) { return new RouteKey(r.family(), r.table(), r.dst(), r.metric()); }
    }

    private static void routes(Owned live, Owned target, List<Change> out) {
        Map<RouteKey, Route> have = new LinkedHashMap<>();
        for (Route r : live.routes()) have.putIfAbsent(RouteKey.of(r), r);
        Set<RouteKey> want = new HashSet<>();
        for (Route r : target.routes()) {
            RouteKey k = RouteKey.of(r);
            want.add(k);
            Route now = have.get(k);
            if (now == null) out.add(new Change.RouteReplace(r, Optional.empty()));
            else if (!same(now, r)) out.add(new Change.RouteReplace(r, Optional.of(now)));
        }
        for (Route r : live.routes()) if (!want.contains(RouteKey.of(r))) out.add(new Change.RouteDel(r));
    }

    private static void srcRoutes(Owned live, Owned target, List<Change> out) {
        Map<Ownership.SrcKey, Route> have = new LinkedHashMap<>();
        for (Route r : live.srcRoutes()) have.put(Ownership.SrcKey.of(r), r);
        for (Route r : target.srcRoutes()) {
            Route now = have.get(Ownership.SrcKey.of(r));
            // a connected route that is not there belongs to an interface address the host lacks: an expectation, not a change
            if (now != null && !now.src().equals(r.src())) out.add(new Change.RouteReplace(r, Optional.of(now)));
        }
    }

    /**
     * Whether a live route is the wanted one. The kernel reports what it stores: IPv6 routes carry no scope
     * and a single next hop has weight 1, so those are compared as the kernel would store them.
     */
    static boolean same(Route live, Route want) {
        return live.type() == want.type() && live.src().equals(want.src()) && live.proto().equals(want.proto())
                && hops(live).equals(hops(want)) && (want.family() == Family.V6 || live.scope() == want.scope());
    }

    private static List<NextHop> hops(Route r) {
        if (r.nexthops().size() != 1) return r.nexthops();
        NextHop h = r.nexthops().get(0);
        return List.of(new NextHop(h.via(), h.dev(), 1));
    }

    private static void rules(Owned live, Owned target, List<Change> out) {
        Set<PolicyRule> have = new HashSet<>(live.rules());
        Set<PolicyRule> want = new HashSet<>(target.rules());
        for (PolicyRule r : live.rules()) if (!want.contains(r)) out.add(new Change.RuleDel(r));
        for (PolicyRule r : target.rules()) if (!have.contains(r)) out.add(new Change.RuleAdd(r));
    }

    private static void sysctls(Owned live, Owned target, List<Change> out) {
        for (Map.Entry<String, String> e : target.sysctls().entrySet()) {
            Optional<String> now = Optional.ofNullable(live.sysctls().get(e.getKey()));
            if (!now.map(v -> v.strip().equals(e.getValue().strip())).orElse(false)) {
                out.add(new Change.SysctlSet(e.getKey(), e.getValue(), now));
            }
        }
    }

    /** One family: {@code AL-*} chains created, rewritten or removed, then the jumps into them moved into place. */
    private static void chains(Family f, Owned live, Owned target, List<Change> out, List<String> warnings) {
        Set<ChainRef> names = new TreeSet<>();
        live.chains().keySet().stream().filter(c -> c.family() == f).forEach(names::add);
        target.chains().keySet().stream().filter(c -> c.family() == f).forEach(names::add);
        List<Change> deletes = new ArrayList<>();
        for (ChainRef c : names) {
            List<Rule> now = live.chains().get(c);
            List<Rule> want = target.chains().get(c);
            if (want == null) deletes.add(new Change.ChainDelete(c, now));
            else if (now == null) out.add(new Change.ChainReplace(c, want, Optional.empty()));
            else if (!specs(f, now).equals(specs(f, want))) out.add(new Change.ChainReplace(c, want, Optional.of(now)));
        }
        Set<ChainRef> parents = new TreeSet<>();
        live.jumps().keySet().stream().filter(c -> c.family() == f).forEach(parents::add);
        target.jumps().keySet().stream().filter(c -> c.family() == f).forEach(parents::add);
        for (ChainRef p : parents) {
            List<Rule> want = target.jumps().getOrDefault(p, List.of());
            boolean exists = live.parents().containsKey(p) || Table.BUILTIN.getOrDefault(p.table(), List.of()).contains(p.chain());
            if (!exists) {
                warnings.add(p + " does not exist (its tool is not running?): " + want.size() + " jump" + (want.size() == 1 ? "" : "s")
                        + " into anyloop's chains wait for it: " + want.stream().map(r -> Change.spec(f, r)).toList());
                continue;
            }
            jumps(p, live.parents().getOrDefault(p, List.of()), want, out);
        }
        out.addAll(deletes);
    }

    private static List<String> specs(Family f, List<Rule> rules) { return rules.stream().map(r -> IptablesRenderer.spec(f, r)).toList(); }

    /** A rule of a chain as the plan follows it while placing jumps; kept ones are found again by identity. */
    private static final class Slot {
        final String spec;
        final boolean mine;

        Slot(String spec, boolean mine) {
            this.spec = spec;
            this.mine = mine;
        }
    }

    /**
     * Moves the jumps in {@code parent} (now {@code rules}, foreign ones included) to {@code want}, in order,
     * changing as few as it can: the longest run of jumps already in the right order stays, the others are
     * deleted (by specification) and the missing ones inserted right after the previous wanted jump, the first
     * at the top of the chain. Positions are counted as the kernel will count them, after the deletes.
     */
    static void jumps(ChainRef parent, List<Rule> rules, List<Rule> want, List<Change> out) {
        Family f = parent.family();
        List<Slot> chain = new ArrayList<>();
        List<Slot> mine = new ArrayList<>();
        Map<Slot, Rule> ruleOf = new HashMap<>();
        for (Rule r : rules) {
            Slot s = new Slot(IptablesRenderer.spec(f, r), Ownership.ownsRule(r));
            chain.add(s);
            if (s.mine) {
                mine.add(s);
                ruleOf.put(s, r);
            }
        }
        // match each wanted jump to the first unused live jump with the same text
        Map<String, Deque<Integer>> bySpec = new HashMap<>();
        for (int i = 0; i < mine.size(); i++) bySpec.computeIfAbsent(mine.get(i).spec, k -> new ArrayDeque<>()).add(i);
        List<String> wantSpecs = specs(f, want);
        int[] match = new int[want.size()];
        for (int j = 0; j < want.size(); j++) {
            Deque<Integer> q = bySpec.get(wantSpecs.get(j));
            match[j] = q == null || q.isEmpty() ? -1 : q.poll();
        }
        boolean[] keep = increasing(match);
        Set<Integer> kept = new HashSet<>();
        for (int j = 0; j < want.size(); j++) if (keep[j]) kept.add(match[j]);
        for (int i = 0; i < mine.size(); i++) {
            if (kept.contains(i)) continue;
            Slot s = mine.get(i);
            out.add(new Change.JumpDelete(parent, ruleOf.get(s)));
            // -D CHAIN SPEC removes the first rule equal to SPEC, which is one of anyloop's (only they jump to AL-*); when
            // the chain holds that jump twice and the first copy is the one kept, the kernel removes the kept copy and
            // leaves this one, equal to it: this slot then stands for the kept jump
            for (int k = 0; k < chain.size(); k++) {
                if (chain.get(k).spec.equals(s.spec)) {
                    Slot gone = chain.remove(k);
                    if (gone != s) chain.set(chain.indexOf(s), gone);
                    break;
                }
            }
        }
        int prev = -1;
        for (int j = 0; j < want.size(); j++) {
            if (keep[j]) {
                prev = indexOf(chain, mine.get(match[j]));
                continue;
            }
            Slot s = new Slot(wantSpecs.get(j), true);
            chain.add(prev + 1, s);
            out.add(new Change.JumpInsert(parent, prev + 2, want.get(j)));
            prev = prev + 1;
        }
    }

    /**
     * {@code parents} (every chain anyloop does not own, all its rules, as {@link Owned#parents()}) after
     * {@code changes} ran on the host: each jump delete removes the first rule with its specification
     * ({@code iptables -D}), each insert goes to its 1-based position ({@code iptables -I}), in order; a built-in
     * chain missing from {@code parents} starts empty. An undo planned from a state nobody read yet (the timer's undo
     * of a step armed before it runs) needs it: planned against empty chains it would insert every jump again.
     */
    public static Map<ChainRef, List<Rule>> parentsAfter(Map<ChainRef, List<Rule>> parents, List<Change> changes) {
        ParentsAfter edit = new ParentsAfter(parents);
        for (Change c : changes) c.accept(edit);
        return edit.out;
    }

    /** Runs a plan's jump changes on a copy of the parent chains; every other change leaves them as they are. */
    private static final class ParentsAfter implements Change.Visitor<Void> {
        final Map<ChainRef, List<Rule>> out = new java.util.TreeMap<>();

        ParentsAfter(Map<ChainRef, List<Rule>> parents) { parents.forEach((k, v) -> out.put(k, new ArrayList<>(v))); }

        public Void jumpInsert(Change.JumpInsert c) {
            List<Rule> rules = out.computeIfAbsent(c.parent(), k -> new ArrayList<>());
            rules.add(Math.min(rules.size(), Math.max(0, c.position() - 1)), c.rule());
            return null;
        }

        public Void jumpDelete(Change.JumpDelete c) {
            List<Rule> rules = out.getOrDefault(c.parent(), new ArrayList<>());
            String spec = IptablesRenderer.spec(c.parent().family(), c.rule());
            for (int i = 0; i < rules.size(); i++) {
                if (IptablesRenderer.spec(c.parent().family(), rules.get(i)).equals(spec)) {
                    rules.remove(i);
                    break;
                }
            }
            return null;
        }

        public Void addressAdd(Change.AddressAdd c) { return null; }

        public Void addressDel(Change.AddressDel c) { return null; }

        public Void routeReplace(Change.RouteReplace c) { return null; }

        public Void routeDel(Change.RouteDel c) { return null; }

        public Void ruleAdd(Change.RuleAdd c) { return null; }

        public Void ruleDel(Change.RuleDel c) { return null; }

        public Void sysctlSet(Change.SysctlSet c) { return null; }

        // AL-* chains are anyloop's own, never a parent
        public Void chainReplace(Change.ChainReplace c) { return null; }

        public Void chainDelete(Change.ChainDelete c) { return null; }

        // the nft backend keeps its jumps inside its own table
        public Void nftReplace(Change.NftReplace c) { return null; }

        public Void nftDelete(Change.NftDelete c) { return null; }
    }

    private static int indexOf(List<Slot> chain, Slot s) {
        for (int i = 0; i < chain.size(); i++) if (chain.get(i) == s) return i;
        throw new IllegalStateException("a kept jump left the chain");
    }

    /** Marks a longest strictly increasing subsequence of the non-negative entries of {@code a} (patience sorting, n log n). */
    static boolean[] increasing(int[] a) {
        int n = a.length;
        int[] tails = new int[n];
        int[] tailIdx = new int[n];
        int[] prev = new int[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] < 0) continue;
            int lo = 0, hi = len;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tails[mid] < a[i]) lo = mid + 1;
                else hi = mid;
            }
            tails[lo] = a[i];
            tailIdx[lo] = i;
            prev[i] = lo > 0 ? tailIdx[lo - 1] : -1;
            if (lo == len) len++;
        }
        boolean[] keep = new boolean[n];
        for (int i = len > 0 ? tailIdx[len - 1] : -1; i >= 0; i = prev[i]) keep[i] = true;
        return keep;
    }

    private static void nft(Owned live, Owned target, NftMemory mem, List<Change> out) {
        if (target.nft().isPresent()) {
            String text = target.nft().get();
            if (live.nft().isEmpty()) out.add(new Change.NftReplace(text, true));
            else if (!hash(text).equals(mem.loadedHash()) || !Objects.equals(live.nft().get(), mem.listing())) {
                out.add(new Change.NftReplace(text, false));
            }
        } else if (live.nft().isPresent()) {
            out.add(new Change.NftDelete());
        }
    }

    /** SHA-256 of what is loaded into the nft table, kept in the state file to tell an intent change from drift. */
    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
