package dev.anyloop.fleet;

import dev.anyloop.apply.Ownership;
import dev.anyloop.net.Family;
import dev.anyloop.render.Realised;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The part of one host anyloop owns (DESIGN.md "Operating live hosts"), as DeviceState objects: addresses on
 * lo, routes and policy rules with its proto, the connected routes it gives a src (T8), its {@code AL-*} chains
 * and the jumps into them. {@link #of} takes it out of a host, {@link #onto} puts it into another (the rest of
 * that host kept), and {@link #make}/{@link #moved} mix a live host's part with the desired one, so that a
 * rollout can go through states that are neither: the steps between them are what fleet apply does.
 */
public record OwnedParts(List<Address> addresses, List<Route> routes, List<Route> srcRoutes, List<PolicyRule> rules,
                         Map<ChainKey, Chain> chains, Map<ChainKey, List<Rule>> jumps) {
    /** A chain of one family's table: an {@code AL-*} chain, or (for jumps) the chain that holds them. */
    public record ChainKey(Family family, String table, String chain) { }

    /** The kernel's key of a route ({@code ip route replace} finds the route to replace by it). */
    record RouteKey(Family family, int table, dev.anyloop.net.Prefix dst, int metric) {
        static RouteKey of(Route r) { return new RouteKey(r.family(), r.table(), r.dst(), r.metric()); }
    }

    public OwnedParts {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        srcRoutes = List.copyOf(srcRoutes);
        rules = List.copyOf(rules);
        chains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        Map<ChainKey, List<Rule>> j = new LinkedHashMap<>();
        jumps.forEach((k, v) -> { if (!v.isEmpty()) j.put(k, List.copyOf(v)); });
        jumps = java.util.Collections.unmodifiableMap(j);
    }

    /** What anyloop owns of {@code d}; an lo address counts only when {@code ownsLo} says so (on a live host: the state file's). */
    public static OwnedParts of(DeviceState d, Predicate<Address> ownsLo) {
        List<Address> addresses = d.addresses().stream().filter(a -> Ownership.ownable(a) && ownsLo.test(a)).toList();
        List<Route> routes = d.routes().stream().filter(Route::ownedByAnyloop).toList();
        List<PolicyRule> rules = d.rules().stream().filter(PolicyRule::ownedByAnyloop).toList();
        Map<ChainKey, Chain> chains = new LinkedHashMap<>();
        Map<ChainKey, List<Rule>> jumps = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            for (Table t : d.netfilter(f).tables()) {
                for (Chain c : t.chains()) {
                    ChainKey k = new ChainKey(f, t.name(), c.name());
                    if (Ownership.ownsChain(c.name())) chains.put(k, c);
                    else jumps.put(k, c.rules().stream().filter(Ownership::ownsRule).toList());
                }
            }
        }
        return new OwnedParts(addresses, routes, Realised.srcOverrides(d), rules, chains, jumps);
    }

    /**
     * The step before any router moves: {@code desired}'s addresses and chains added, {@code live}'s kept; new
     * routes and rules added, every route and rule that changes or goes kept as it is; chains that change kept
     * as they are (their new rules come with the routes).
     */
    public static OwnedParts make(OwnedParts live, OwnedParts desired) {
        return new OwnedParts(union(live.addresses, desired.addresses, Ownership::key), addRoutes(live.routes, desired.routes),
                live.srcRoutes, union(live.rules, desired.rules, r -> r), addChains(live.chains, desired.chains),
                unionJumps(live.jumps, desired.jumps));
    }

    /**
     * The step where traffic moves: routes, rules, src and chains as {@code desired} has them; addresses and chains
     * that go away kept until the break step, so nothing routed there a moment ago loses its destination.
     */
    public static OwnedParts moved(OwnedParts live, OwnedParts desired) {
        Map<ChainKey, Chain> chains = new LinkedHashMap<>(desired.chains);
        live.chains.forEach(chains::putIfAbsent);
        Map<ChainKey, List<Rule>> jumps = unionJumps(desired.jumps, onlyTo(live.jumps, live.chains.keySet(), desired.chains.keySet()));
        return new OwnedParts(union(live.addresses, desired.addresses, Ownership::key), desired.routes, desired.srcRoutes, desired.rules,
                chains, jumps);
    }

    /** Jumps of {@code jumps} into chains in {@code from} but not in {@code without}. */
    private static Map<ChainKey, List<Rule>> onlyTo(Map<ChainKey, List<Rule>> jumps, Set<ChainKey> from, Set<ChainKey> without) {
        Map<ChainKey, List<Rule>> out = new LinkedHashMap<>();
        jumps.forEach((parent, rules) -> out.put(parent, rules.stream().filter(r -> {
            String target = jumpTarget(r);
            ChainKey k = new ChainKey(parent.family(), parent.table(), target);
            return from.contains(k) && !without.contains(k);
        }).toList()));
        return out;
    }

    private static String jumpTarget(Rule r) {
        Target t = r.target();
        if (t instanceof Target.Jump) return ((Target.Jump) t).chain();
        if (t instanceof Target.Goto) return ((Target.Goto) t).chain();
        return "";
    }

    private static <T, K> List<T> union(List<T> first, List<T> second, java.util.function.Function<T, K> key) {
        Map<K, T> out = new LinkedHashMap<>();
        for (T t : second) out.putIfAbsent(key.apply(t), t);
        for (T t : first) out.putIfAbsent(key.apply(t), t);
        return List.copyOf(out.values());
    }

    /** {@code live}'s routes, plus {@code desired}'s whose key {@code live} does not have. */
    private static List<Route> addRoutes(List<Route> live, List<Route> desired) {
        Set<RouteKey> have = new LinkedHashSet<>();
        for (Route r : live) have.add(RouteKey.of(r));
        List<Route> out = new ArrayList<>(live);
        for (Route r : desired) if (have.add(RouteKey.of(r))) out.add(r);
        return out;
    }

    private static Map<ChainKey, Chain> addChains(Map<ChainKey, Chain> live, Map<ChainKey, Chain> desired) {
        Map<ChainKey, Chain> out = new LinkedHashMap<>(live);
        desired.forEach(out::putIfAbsent);
        return out;
    }

    /** Per parent chain: {@code first}'s jumps in order, then those of {@code second} it lacks. */
    private static Map<ChainKey, List<Rule>> unionJumps(Map<ChainKey, List<Rule>> first, Map<ChainKey, List<Rule>> second) {
        Map<ChainKey, List<Rule>> out = new LinkedHashMap<>();
        first.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        second.forEach((k, v) -> {
            List<Rule> l = out.computeIfAbsent(k, x -> new ArrayList<>());
            for (Rule r : v) if (!l.contains(r)) l.add(r);
        });
        return out;
    }

    /**
     * {@code base} with its own owned part replaced by this one: its other addresses (and the lo addresses
     * {@code baseOwnsLo} says are not anyloop's), foreign routes, rules and chains stay; the jumps go to the top
     * of their chains, where apply puts them; a jump into a chain {@code base} lacks (another tool's, not running)
     * is left out, as apply leaves it out.
     */
    public DeviceState onto(DeviceState base, Predicate<Address> baseOwnsLo) {
        List<Address> addresses = new ArrayList<>();
        Set<Address> mine = new LinkedHashSet<>();
        for (Address a : this.addresses) mine.add(Ownership.key(a));
        for (Address a : base.addresses()) {
            boolean owned = Ownership.ownable(a) && baseOwnsLo.test(a);
            if (!owned && !mine.contains(Ownership.key(a))) addresses.add(a);
        }
        addresses.addAll(this.addresses);
        Map<Ownership.SrcKey, Route> src = new LinkedHashMap<>();
        for (Route r : srcRoutes) src.put(Ownership.SrcKey.of(r), r);
        List<Route> baseOverrides = Realised.srcOverrides(base);
        List<Route> routes = new ArrayList<>();
        for (Route r : base.routes()) {
            if (r.ownedByAnyloop()) continue;
            Route s = src.remove(Ownership.SrcKey.of(r));
            if (s != null && r.proto().equals("kernel")) routes.add(r.withSrc(s.src()));
            else if (baseOverrides.contains(r)) routes.add(r.withSrc(Realised.naturalSrc(base, r)));
            else routes.add(r);
        }
        routes.addAll(this.routes);
        List<PolicyRule> rules = new ArrayList<>(base.rules().stream().filter(r -> !r.ownedByAnyloop()).toList());
        rules.addAll(this.rules);
        return new DeviceState(base.host(), base.links(), addresses, routes, rules, base.sysctls(), netfilter(base.ipv4()),
                netfilter(base.ipv6()), base.listeners());
    }

    private Netfilter netfilter(Netfilter nf) {
        Family f = nf.family();
        Map<String, List<Chain>> tables = new LinkedHashMap<>();
        for (Table t : nf.tables()) {
            List<Chain> chains = new ArrayList<>();
            for (Chain c : t.chains()) {
                if (Ownership.ownsChain(c.name())) continue;
                List<Rule> rules = new ArrayList<>(jumps.getOrDefault(new ChainKey(f, t.name(), c.name()), List.of()));
                c.rules().stream().filter(r -> !Ownership.ownsRule(r)).forEach(rules::add);
                chains.add(new Chain(c.name(), c.policy(), rules));
            }
            tables.put(t.name(), chains);
        }
        for (Map.Entry<ChainKey, List<Rule>> j : jumps.entrySet()) {
            ChainKey k = j.getKey();
            if (k.family() != f || tables.containsKey(k.table())) continue;
            // a table the host does not have yet: its built-in chains, policy ACCEPT, as the kernel creates them
            List<Chain> chains = new ArrayList<>();
            for (String b : Table.BUILTIN.getOrDefault(k.table(), List.of())) chains.add(Chain.builtin(b, new Target.Accept(), List.of()));
            tables.put(k.table(), chains);
            for (int i = 0; i < chains.size(); i++) {
                Chain c = chains.get(i);
                chains.set(i, new Chain(c.name(), c.policy(), jumps.getOrDefault(new ChainKey(f, k.table(), c.name()), List.of())));
            }
        }
        for (Map.Entry<ChainKey, Chain> c : chains.entrySet()) {
            if (c.getKey().family() != f) continue;
            tables.computeIfAbsent(c.getKey().table(), t -> {
                List<Chain> l = new ArrayList<>();
                for (String b : Table.BUILTIN.getOrDefault(t, List.of())) l.add(Chain.builtin(b, new Target.Accept(), List.of()));
                return l;
            }).add(c.getValue());
        }
        List<Table> out = new ArrayList<>();
        tables.forEach((name, chains) -> out.add(new Table(name, chains)));
        return new Netfilter(f, out);
    }

    /** True when both hold the same objects, order aside (apply would find nothing to do between them). */
    public boolean sameAs(OwnedParts o) {
        return Set.copyOf(addresses.stream().map(Ownership::key).toList()).equals(Set.copyOf(o.addresses.stream().map(Ownership::key).toList()))
                && Set.copyOf(routes).equals(Set.copyOf(o.routes)) && Set.copyOf(srcRoutes).equals(Set.copyOf(o.srcRoutes))
                && Set.copyOf(rules).equals(Set.copyOf(o.rules)) && chains.equals(o.chains) && jumpSets().equals(o.jumpSets());
    }

    /** The jumps per chain as sets: each jumps for its own destination, so their order decides nothing a step must wait for. */
    private Map<ChainKey, Set<Rule>> jumpSets() {
        Map<ChainKey, Set<Rule>> out = new LinkedHashMap<>();
        jumps.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }

    /** The lo addresses this part has and {@code o} lacks, or the other way round. */
    Set<dev.anyloop.net.Ip> addressesChangedFrom(OwnedParts o) {
        Set<dev.anyloop.net.Ip> a = new LinkedHashSet<>();
        for (Address x : addresses) a.add(x.address().ip());
        Set<dev.anyloop.net.Ip> b = new LinkedHashSet<>();
        for (Address x : o.addresses) b.add(x.address().ip());
        Set<dev.anyloop.net.Ip> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        b.removeAll(a);
        out.addAll(b);
        return out;
    }
}
