package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.render.NftRenderer;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What anyloop owns on a host (DESIGN.md "Operating live hosts"), decided from the objects themselves so
 * that a host anyloop configured can be read back by anyone: addresses on {@code lo} other than the ones the
 * kernel puts there, routes and policy rules with anyloop's proto (77), chains named {@code AL-*} and the
 * rules elsewhere that jump into them (whatever their comment says), its sysctls, and the nft table
 * {@code inet anyloop}. Everything else is foreign and never touched. On a live host an lo address is
 * anyloop's only when the state file says anyloop added it (a {@link Scope}): one added by hand stays.
 */
public final class Ownership {
    /** The prefix of every chain anyloop owns. */
    public static final String CHAIN_PREFIX = "AL-";
    public static final String LO = "lo";

    private Ownership() { }

    /** Which live objects, beyond those marked by proto or chain name, a state file says are anyloop's. */
    public record Scope(Set<Address> addresses, Set<String> sysctls, Set<SrcKey> srcRoutes) {
        public Scope {
            addresses = Set.copyOf(addresses);
            sysctls = Set.copyOf(sysctls);
            srcRoutes = Set.copyOf(srcRoutes);
        }
    }

    /** The key of a connected route anyloop gives a src: the kernel's key (table, prefix, metric) and its device. */
    public record SrcKey(Family family, int table, dev.anyloop.net.Prefix dst, int metric, String dev) {
        public static SrcKey of(Route r) {
            return new SrcKey(r.family(), r.table(), r.dst(), r.metric(), r.nexthops().isEmpty() ? "" : r.nexthops().get(0).dev());
        }

        @Override
        public String toString() {
            return dst + " dev " + dev + (table == Route.TABLE_MAIN ? "" : " table " + Route.tableName(table)) + (metric == 0 ? "" : " metric " + metric);
        }
    }

    public static boolean ownsChain(String chain) { return chain.startsWith(CHAIN_PREFIX); }

    /** A rule in a chain anyloop does not own is anyloop's when it jumps (or goes) into an {@code AL-*} chain. */
    public static boolean ownsRule(Rule r) { return called(r).map(Ownership::ownsChain).orElse(false); }

    /** The chain a rule's target evaluates next ({@code -j CHAIN}, {@code -g CHAIN}), if it names one. */
    static Optional<String> called(Rule r) { return r.target().accept(CALLED); }

    private static final Target.Visitor<Optional<String>> CALLED = new Target.Visitor<>() {
        public Optional<String> visit(Target.Jump t) { return Optional.of(t.chain()); }

        public Optional<String> visit(Target.Goto t) { return Optional.of(t.chain()); }

        public Optional<String> visit(Target.Accept t) { return Optional.empty(); }

        public Optional<String> visit(Target.Drop t) { return Optional.empty(); }

        public Optional<String> visit(Target.Reject t) { return Optional.empty(); }

        public Optional<String> visit(Target.Return t) { return Optional.empty(); }

        public Optional<String> visit(Target.Log t) { return Optional.empty(); }

        public Optional<String> visit(Target.Dnat t) { return Optional.empty(); }

        public Optional<String> visit(Target.Snat t) { return Optional.empty(); }

        public Optional<String> visit(Target.Masquerade t) { return Optional.empty(); }

        public Optional<String> visit(Target.Redirect t) { return Optional.empty(); }

        public Optional<String> visit(Target.None t) { return Optional.empty(); }

        // a target anyloop does not model never names one of its chains
        public Optional<String> visit(Target.Unsupported t) { return Optional.empty(); }
    };

    /** An address anyloop may own: on lo, and not one the kernel adds itself (127.0.0.1/8, ::1). */
    public static boolean ownable(Address a) { return a.dev().equals(LO) && !Realised.kernelMade(a); }

    /** The same address, whatever its scope says: device, address and length. */
    public static Address key(Address a) { return Address.global(a.dev(), a.address()); }

    /** What {@code d} (compiled, to be applied) asks anyloop to own; the firewall for {@code backend}. */
    public static Owned desired(DeviceState d, Backend backend) {
        List<Address> addresses = d.addresses().stream().filter(Ownership::ownable).toList();
        List<Route> routes = d.routes().stream().filter(Route::ownedByAnyloop).toList();
        List<PolicyRule> rules = d.rules().stream().filter(PolicyRule::ownedByAnyloop).toList();
        Map<ChainRef, List<Rule>> chains = new LinkedHashMap<>();
        Map<ChainRef, List<Rule>> jumps = new LinkedHashMap<>();
        Optional<String> nft = Optional.empty();
        if (backend == Backend.IPTABLES) {
            firewall(d, chains, jumps, new LinkedHashMap<>());
        } else {
            DeviceState own = ownedState(d, true);
            if (!own.ipv4().tables().isEmpty() || !own.ipv6().tables().isEmpty()) nft = Optional.of(NftRenderer.render(own));
        }
        return new Owned(addresses, routes, Realised.srcOverrides(d), rules, d.sysctls().values(), chains, jumps, Map.of(), nft);
    }

    /**
     * What anyloop owns of a host as read ({@code live}): lo addresses and sysctls in {@code scope}, the
     * connected routes in scope, everything marked with its proto or chain name, and its nft table listing.
     */
    public static Owned live(DeviceState live, Scope scope, Optional<String> nftListing) {
        List<Address> addresses = live.addresses().stream().filter(a -> ownable(a) && scope.addresses().contains(key(a))).toList();
        List<Route> routes = live.routes().stream().filter(Route::ownedByAnyloop).toList();
        List<Route> src = live.routes().stream().filter(r -> r.proto().equals("kernel") && scope.srcRoutes().contains(SrcKey.of(r))).toList();
        List<PolicyRule> rules = live.rules().stream().filter(PolicyRule::ownedByAnyloop).toList();
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String k : scope.sysctls()) live.sysctls().get(k).ifPresent(v -> sysctls.put(k, v.strip()));
        Map<ChainRef, List<Rule>> chains = new LinkedHashMap<>();
        Map<ChainRef, List<Rule>> jumps = new LinkedHashMap<>();
        Map<ChainRef, List<Rule>> parents = new LinkedHashMap<>();
        firewall(live, chains, jumps, parents);
        return new Owned(addresses, routes, src, rules, sysctls, chains, jumps, parents, nftListing);
    }

    /** Sorts every chain of {@code d} into anyloop's chains, its jumps inside other chains, and those other chains whole. */
    private static void firewall(DeviceState d, Map<ChainRef, List<Rule>> chains, Map<ChainRef, List<Rule>> jumps,
                                 Map<ChainRef, List<Rule>> parents) {
        for (Family f : Family.values()) {
            for (Table t : d.netfilter(f).tables()) {
                for (Chain c : t.chains()) {
                    ChainRef ref = new ChainRef(f, t.name(), c.name());
                    if (ownsChain(c.name())) {
                        chains.put(ref, c.rules());
                        continue;
                    }
                    parents.put(ref, c.rules());
                    List<Rule> mine = c.rules().stream().filter(Ownership::ownsRule).toList();
                    if (!mine.isEmpty()) jumps.put(ref, mine);
                }
            }
        }
    }

    /**
     * {@code d} with only what anyloop owns: lo's own addresses, proto-77 routes and rules, src-overridden
     * connected routes, sysctls, {@code AL-*} chains and built-in chains holding just the jumps into them
     * (policy ACCEPT: a built-in chain's policy is whoever made the chain's). With {@code hoist}, a jump that
     * sits in another tool's user chain (Docker's DOCKER-USER) moves to the top of the built-in chain that calls
     * that chain, for nft: a table of anyloop's own cannot be entered from iptables' chains, and its base chain
     * sees the same packets there. Without it, such jumps stay in a chain of that name.
     */
    public static DeviceState ownedState(DeviceState d, boolean hoist) {
        List<Address> addresses = d.addresses().stream().filter(Ownership::ownable).toList();
        List<Route> routes = new ArrayList<>(d.routes().stream().filter(Route::ownedByAnyloop).toList());
        routes.addAll(Realised.srcOverrides(d));
        List<PolicyRule> rules = d.rules().stream().filter(PolicyRule::ownedByAnyloop).toList();
        return new DeviceState(d.host(), d.links(), addresses, routes, rules, d.sysctls(), ownedNetfilter(d.ipv4(), hoist),
                ownedNetfilter(d.ipv6(), hoist), d.listeners());
    }

    private static Netfilter ownedNetfilter(Netfilter nf, boolean hoist) {
        List<Table> tables = new ArrayList<>();
        for (Table t : nf.tables()) {
            Map<String, List<Rule>> builtin = new LinkedHashMap<>();
            List<Chain> user = new ArrayList<>();
            for (Chain c : t.chains()) {
                if (ownsChain(c.name())) {
                    user.add(c);
                    continue;
                }
                List<Rule> mine = c.rules().stream().filter(Ownership::ownsRule).toList();
                if (mine.isEmpty()) continue;
                if (c.builtin()) {
                    builtin.computeIfAbsent(c.name(), k -> new ArrayList<>()).addAll(mine);
                } else if (hoist) {
                    Optional<String> caller = callerOf(t, c.name());
                    caller.ifPresent(b -> builtin.computeIfAbsent(b, k -> new ArrayList<>()).addAll(0, mine));
                } else {
                    user.add(Chain.user(c.name(), mine));
                }
            }
            if (builtin.isEmpty() && user.isEmpty()) continue;
            List<Chain> chains = new ArrayList<>();
            for (String b : Table.BUILTIN.getOrDefault(t.name(), List.of())) {
                if (builtin.containsKey(b)) chains.add(Chain.builtin(b, new Target.Accept(), builtin.get(b)));
            }
            chains.addAll(user);
            tables.add(new Table(t.name(), chains));
        }
        return new Netfilter(nf.family(), tables);
    }

    /** The built-in chain of {@code t} that jumps to user chain {@code chain} (Docker's FORWARD for DOCKER-USER). */
    private static Optional<String> callerOf(Table t, String chain) {
        for (Chain c : t.chains()) {
            if (!c.builtin()) continue;
            for (Rule r : c.rules()) if (called(r).equals(Optional.of(chain))) return Optional.of(c.name());
        }
        return Optional.empty();
    }

    /**
     * {@code d} without what anyloop owns: what the host's network manager, Docker and other tools hold
     * (interface addresses, gateways and other routes, their rules and chains). The lab sets this up itself,
     * as a host would have it, before apply adds anyloop's part. Connected routes get back the src the
     * kernel gives them; sysctls are all anyloop's.
     */
    public static DeviceState environment(DeviceState d) {
        List<Address> addresses = d.addresses().stream().filter(a -> !ownable(a)).toList();
        List<Route> routes = new ArrayList<>();
        for (Route r : d.routes()) {
            if (r.ownedByAnyloop()) continue;
            if (r.proto().equals("kernel") && r.table() != Route.TABLE_LOCAL) r = r.withSrc(Realised.naturalSrc(d, r));
            routes.add(r);
        }
        List<PolicyRule> rules = d.rules().stream().filter(r -> !r.ownedByAnyloop()).toList();
        return new DeviceState(d.host(), d.links(), addresses, routes, rules, dev.anyloop.state.Sysctls.of(Map.of()),
                foreign(d.ipv4()), foreign(d.ipv6()), d.listeners());
    }

    private static Netfilter foreign(Netfilter nf) {
        List<Table> tables = new ArrayList<>();
        for (Table t : nf.tables()) {
            List<Chain> chains = new ArrayList<>();
            for (Chain c : t.chains()) {
                if (ownsChain(c.name())) continue;
                chains.add(new Chain(c.name(), c.policy(), c.rules().stream().filter(r -> !ownsRule(r)).toList()));
            }
            tables.add(new Table(t.name(), chains));
        }
        return new Netfilter(nf.family(), tables);
    }
}
