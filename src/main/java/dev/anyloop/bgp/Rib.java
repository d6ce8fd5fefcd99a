package dev.anyloop.bgp;

import dev.anyloop.net.Prefix;
import dev.anyloop.state.NextHop;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The converged BGP tables of a network: for every router and service prefix, the next hops BIRD installs, and on
 * request the whole {@link Choice} (every route it holds, and why the best won), for {@code trace}. The choices are
 * solved again when asked for rather than kept: a network of a thousand routers has a million of them, and only a
 * trace ever reads one.
 */
public final class Rib {
    /** Prefixes announced by the same hosts alike, solved together on the solver of their family. */
    record Group(Solver solver, List<Solver.Origin> origins, List<Prefix> prefixes) { }

    private final List<Group> groups;
    private final Map<Prefix, Integer> groupOf = new HashMap<>();
    /** Per host, per group: the kernel route's next hops, or null (no route, or the host's own announcement). */
    private final Map<String, List<NextHop>[]> hops;

    Rib(List<Group> groups, Map<String, List<NextHop>[]> hops) {
        this.groups = List.copyOf(groups);
        for (int g = 0; g < groups.size(); g++) for (Prefix p : groups.get(g).prefixes()) groupOf.put(p, g);
        this.hops = hops;
    }

    public static Rib empty() { return new Rib(List.of(), new HashMap<>()); }

    /** One speaker's choice for one prefix. */
    public record Selection(String host, Prefix prefix, Choice choice) { }

    /** What {@code host} holds for {@code prefix}: empty when it has no route to it at all. */
    public Optional<Selection> selection(String host, Prefix prefix) {
        Integer g = groupOf.get(prefix);
        if (g == null) return Optional.empty();
        Group group = groups.get(g);
        return group.solver().choice(group.origins(), host).map(c -> new Selection(host, prefix, c));
    }

    /** Every prefix {@code host} holds a route to, with its choice (each group solved again: for small networks and tests). */
    public Map<Prefix, Choice> of(String host) {
        Map<Prefix, Choice> out = new LinkedHashMap<>();
        for (Group g : groups) {
            Optional<Choice> c = g.solver().choice(g.origins(), host);
            if (c.isPresent()) for (Prefix p : g.prefixes()) out.put(p, c.get());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Each prefix {@code host}'s kernel gets a BGP route to, with its next hops (best gateway first, at most 16). */
    public void forEachRoute(String host, BiConsumer<Prefix, List<NextHop>> f) {
        List<NextHop>[] hs = hops.get(host);
        if (hs == null) return;
        for (int g = 0; g < hs.length; g++) {
            if (hs[g] == null) continue;
            for (Prefix p : groups.get(g).prefixes()) f.accept(p, hs[g]);
        }
    }

    public boolean isEmpty() { return groups.isEmpty(); }
}
