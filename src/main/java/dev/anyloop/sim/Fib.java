package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The forwarding information base of one host and one family, compiled once: policy rules in
 * priority order, then a longest-prefix-match trie per table whose entries hold the usable routes of
 * that prefix ordered by metric. Routes through a device that is down are left out, as the kernel
 * flushes them; the local table is completed with the routes the kernel adds for each address.
 */
public final class Fib {
    private final Family family;
    private final PolicyRule[] rules;
    private final List<Optional<PolicyRule>> ruleOpts;
    /** Per rule, resolved once: its table (null if it has none or is not a lookup), and whether it always selects. */
    private final PrefixTrie<Entry>[] ruleTables;
    private final byte[] selector;
    /** The local table, or null: isLocal and addrType ask it for every ARP request and -m addrtype. */
    private final PrefixTrie<Entry> local;
    private final List<Route> routes;
    private final boolean customRules;
    private final boolean customLocalRoutes;

    private static final byte ALWAYS = 0;
    private static final byte NEVER = 1;
    private static final byte CHECK = 2;

    /**
     * The routes of one prefix in one table, best first, with the Optional the result hands out, and per policy
     * rule the result it answers with, made on first use: a lookup then allocates nothing.
     */
    private static final class Entry {
        final List<Route> routes;
        final Optional<Route> best;
        final Route.Type type;
        final FibResult[] results;

        Entry(List<Route> routes, int ruleCount) {
            this.routes = routes;
            this.best = Optional.of(routes.get(0));
            this.type = routes.get(0).type();
            this.results = new FibResult[ruleCount];
        }
    }

    @SuppressWarnings("unchecked")
    private Fib(Family family, List<PolicyRule> rules, Map<Integer, PrefixTrie<Entry>> tables, List<Route> routes,
                boolean customRules) {
        this.family = family;
        this.rules = rules.toArray(new PolicyRule[0]);
        this.ruleOpts = rules.stream().map(Optional::of).toList();
        this.ruleTables = new PrefixTrie[this.rules.length];
        this.selector = new byte[this.rules.length];
        for (int i = 0; i < this.rules.length; i++) {
            PolicyRule r = this.rules[i];
            if (r.action() == PolicyRule.Action.LOOKUP) ruleTables[i] = tables.get(r.table());
            boolean none = r.from().isEmpty() && r.to().isEmpty() && r.iif().isEmpty() && r.oif().isEmpty()
                    && r.fwmark().isEmpty();
            selector[i] = !none ? CHECK : r.not() ? NEVER : ALWAYS;
        }
        this.local = tables.get(Route.TABLE_LOCAL);
        this.routes = routes;
        this.customRules = customRules;
        this.customLocalRoutes = routes.stream().anyMatch(r -> r.type() == Route.Type.LOCAL && !"kernel".equals(r.proto()));
    }

    /** Compiles the FIB of {@code d} for {@code f}. */
    public static Fib of(DeviceState d, Family f) {
        Map<String, Boolean> up = new HashMap<>();
        for (Link l : d.links()) up.put(l.name(), l.up());
        List<Route> usable = new ArrayList<>();
        Set<Prefix> localHave = new HashSet<>();
        for (Route r : d.routes(f)) {
            Optional<Route> u = usable(r, up);
            if (u.isEmpty()) continue;
            usable.add(u.get());
            if (r.table() == Route.TABLE_LOCAL) localHave.add(r.dst());
        }
        usable.addAll(kernelLocalRoutes(d, f, up, localHave));
        List<PolicyRule> rules = new ArrayList<>(d.rules(f));
        boolean custom = !rules.isEmpty() && !sameRules(rules, PolicyRule.defaults(f));
        if (rules.isEmpty()) rules.addAll(PolicyRule.defaults(f));
        rules.sort(Comparator.comparingInt(PolicyRule::priority)); // stable: equal priorities keep their order

        int ruleCount = rules.size();
        Map<Integer, List<Route>> byTable = new HashMap<>();
        for (Route r : usable) byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r);
        Map<Integer, PrefixTrie<Entry>> tables = new HashMap<>();
        for (Map.Entry<Integer, List<Route>> t : byTable.entrySet()) {
            Map<Prefix, List<Route>> byPrefix = new HashMap<>();
            for (Route r : t.getValue()) byPrefix.computeIfAbsent(r.dst(), p -> new ArrayList<>()).add(r);
            PrefixTrie<Entry> trie = new PrefixTrie<>();
            for (Map.Entry<Prefix, List<Route>> e : byPrefix.entrySet()) {
                List<Route> rs = new ArrayList<>(e.getValue());
                // equal prefix: the kernel keeps aliases ordered by priority (metric), lowest first
                rs.sort(Comparator.comparingLong(r -> Integer.toUnsignedLong(r.metric())));
                trie.put(e.getKey(), new Entry(List.copyOf(rs), ruleCount));
            }
            tables.put(t.getKey(), trie);
        }
        return new Fib(f, rules, tables, List.copyOf(usable), custom);
    }

    private static boolean sameRules(List<PolicyRule> a, List<PolicyRule> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }

    /** The route as the kernel holds it with devices that are down removed, or empty if none is left. */
    private static Optional<Route> usable(Route r, Map<String, Boolean> up) {
        // the kernel flushes a down device's unicast routes but keeps its local ones: the address stays
        // local (checked on 6.x: "ip link set d0 down" leaves "local 10.5.0.1 dev d0" and ping works)
        if (r.nexthops().isEmpty() || r.type() == Route.Type.LOCAL) return Optional.of(r);
        List<NextHop> alive = r.nexthops().stream().filter(nh -> up.getOrDefault(nh.dev(), true)).toList();
        if (alive.isEmpty()) return Optional.empty();
        if (alive.size() == r.nexthops().size()) return Optional.of(r);
        return Optional.of(new Route(r.type(), r.dst(), r.table(), alive, r.metric(), r.src(), r.proto(), r.scope()));
    }

    /**
     * The local-table routes fib_add_ifaddr() installs for each address (IPv6: of an up device), where the
     * state does not already hold them: "local ADDR" and, on lo, "local PREFIX" for a shorter prefix
     * (that is why all of 127.0.0.0/8 is local).
     */
    private static List<Route> kernelLocalRoutes(DeviceState d, Family f, Map<String, Boolean> up, Set<Prefix> have) {
        List<Route> out = new ArrayList<>();
        for (Address a : d.addresses()) {
            if (a.address().family() != f) continue;
            // IPv4 keeps the local route of a down device; IPv6 drops its addresses (keep_addr_on_down=0)
            if (f == Family.V6 && !up.getOrDefault(a.dev(), true)) continue;
            Ip ip = a.address().ip();
            List<Prefix> wanted = new ArrayList<>(List.of(Prefix.host(ip)));
            boolean lo = "lo".equals(a.dev()) || d.link(a.dev()).map(l -> l.kind() == Link.Kind.LOOPBACK).orElse(false);
            if (lo && f == Family.V4 && a.address().length() < 32) wanted.add(a.address().network());
            for (Prefix p : wanted) {
                if (!have.add(p)) continue;
                out.add(new Route(Route.Type.LOCAL, p, Route.TABLE_LOCAL, List.of(NextHop.dev(a.dev())), 0,
                        Optional.of(ip), "kernel", Route.Scope.HOST));
            }
        }
        return out;
    }

    public Family family() { return family; }

    /** Every usable route, the kernel's local routes included. */
    public List<Route> routes() { return routes; }

    /** The policy rules in the order the kernel walks them. */
    public List<PolicyRule> rules() { return List.of(rules); }

    /** True when the host has ip rules other than the three defaults (the kernel then checks sources fully). */
    public boolean customRules() { return customRules; }

    /** True when someone added local routes by hand (fib_has_custom_local_routes). */
    public boolean customLocalRoutes() { return customLocalRoutes; }

    /**
     * Looks up {@code dst} as the kernel does: each policy rule in priority order whose selectors hold
     * (from {@code src}, where the zero address is "not chosen yet"; iif {@code iif}, "lo" for locally
     * generated traffic; oif never matches as no socket is bound to a device), then the longest prefix
     * in that rule's table; a throw route or an empty table goes on to the next rule.
     */
    public FibResult lookup(Ip dst, Ip src, String iif) { return lookup(dst, src, iif, 0); }

    /** As {@link #lookup(Ip, Ip, String)} for a packet carrying {@code mark} (skb->mark, what {@code ip rule fwmark} compares). */
    public FibResult lookup(Ip dst, Ip src, String iif, long mark) {
        for (int i = 0; i < rules.length; i++) {
            byte sel = selector[i];
            if (sel == NEVER) continue;
            PolicyRule r = rules[i];
            if (sel == CHECK && !selects(r, dst, src, iif, mark)) continue;
            if (r.action() != PolicyRule.Action.LOOKUP) {
                Route.Type t = r.action() == PolicyRule.Action.BLACKHOLE ? Route.Type.BLACKHOLE
                        : r.action() == PolicyRule.Action.PROHIBIT ? Route.Type.PROHIBIT : Route.Type.UNREACHABLE;
                return new FibResult(t, Optional.empty(), r.table(), ruleOpts.get(i), List.of());
            }
            PrefixTrie<Entry> table = ruleTables[i];
            Entry e = table == null ? null : table.lookupOrDefault(dst, null);
            if (e == null) continue;
            if (e.type == Route.Type.THROW) continue; // fib_table_lookup returns -EAGAIN: next rule
            // fib4_rule_suppress / fib6_rule_suppress: a route of N bits or fewer is dropped, the next rule runs
            if (r.suppressPrefixlen() >= 0 && e.best.get().dst().length() <= r.suppressPrefixlen()) continue;
            FibResult res = e.results[i];
            if (res == null) {
                // racy but safe: FibResult is immutable, and two threads would store equal results
                res = new FibResult(e.type, e.best, r.table(), ruleOpts.get(i), e.routes);
                e.results[i] = res;
            }
            return res;
        }
        return FibResult.NONE;
    }

    private Entry localLookup(Ip ip) { return local == null ? null : local.lookupOrDefault(ip, null); }

    private static boolean selects(PolicyRule r, Ip dst, Ip src, String iif, long mark) {
        boolean m = (r.from().isEmpty() || Prefixes.contains(r.from().get(), src))
                && (r.to().isEmpty() || Prefixes.contains(r.to().get(), dst))
                && (r.iif().isEmpty() || r.iif().get().equals(iif))
                && r.oif().isEmpty()
                && r.markMatches(mark);
        return r.not() != m;
    }

    /** The local table's answer for {@code ip}, as {@code -m addrtype} and the ARP responder see it. */
    public Route.Type addrType(Ip ip) {
        if (ip.isMulticast()) return Route.Type.MULTICAST;
        if (family == Family.V4 && (ip.isZero() || ip.lo() == 0xffffffffL)) return Route.Type.BROADCAST;
        Entry e = localLookup(ip);
        return e != null ? e.type : Route.Type.UNICAST;
    }

    /** True when {@code ip} is an address of this host (a local route in the local table). */
    public boolean isLocal(Ip ip) {
        Entry e = localLookup(ip);
        return e != null && e.type == Route.Type.LOCAL;
    }
}
