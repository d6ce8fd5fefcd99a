package dev.anyloop.apply;

import dev.anyloop.state.Address;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The part of one host anyloop owns, as it is (read from the host) or as it is to be: addresses on lo,
 * routes and policy rules with its proto, kernel routes it gave a preferred source (T8), its sysctls, its
 * {@code AL-*} chains and the jumps into them, or its {@code inet anyloop} nft table.
 *
 * @param srcRoutes  connected (proto kernel) routes whose src anyloop sets; the kernel made the route
 * @param chains     every {@code AL-*} chain and its rules
 * @param jumps      per chain anyloop does not own, the jumps into {@code AL-*} chains it holds, in order
 * @param parents    read from a host only: every chain anyloop does not own, with all its rules (where the
 *                   jumps sit, which foreign chains exist); empty for a state that is to be
 * @param nft        the nft table: what to load (to be), or {@code nft list table inet anyloop} (as it is)
 */
public record Owned(List<Address> addresses, List<Route> routes, List<Route> srcRoutes, List<PolicyRule> rules,
                    Map<String, String> sysctls, Map<ChainRef, List<Rule>> chains, Map<ChainRef, List<Rule>> jumps,
                    Map<ChainRef, List<Rule>> parents, Optional<String> nft) {
    public Owned {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        srcRoutes = List.copyOf(srcRoutes);
        rules = List.copyOf(rules);
        sysctls = Collections.unmodifiableMap(new TreeMap<>(sysctls));
        chains = frozen(chains);
        jumps = frozen(jumps);
        parents = frozen(parents);
    }

    private static Map<ChainRef, List<Rule>> frozen(Map<ChainRef, List<Rule>> m) {
        Map<ChainRef, List<Rule>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    /** Nothing owned: a host anyloop never touched. */
    public static Owned none() {
        return new Owned(List.of(), List.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
    }

    public Owned withSysctls(Map<String, String> s) {
        return new Owned(addresses, routes, srcRoutes, rules, s, chains, jumps, parents, nft);
    }

    public Owned withSrcRoutes(List<Route> s) {
        return new Owned(addresses, routes, s, rules, sysctls, chains, jumps, parents, nft);
    }

    /** How many objects: for messages. */
    public int size() {
        int n = addresses.size() + routes.size() + srcRoutes.size() + rules.size() + sysctls.size() + (nft.isPresent() ? 1 : 0);
        for (List<Rule> r : chains.values()) n += r.size();
        for (List<Rule> r : jumps.values()) n += r.size();
        return n;
    }
}
