package dev.anyloop.bench.before;

import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.List;
import java.util.Optional;

/**
 * The answer of one route lookup: the route chosen (empty when none, or when a policy rule itself
 * refused), its type, the table and policy rule that answered, and every usable route of the same
 * prefix in that table ordered by metric (the chosen one first).
 */
public record FibResult(Route.Type type, Optional<Route> route, int table, Optional<PolicyRule> rule,
                        List<Route> candidates) {
    public FibResult {
        candidates = List.copyOf(candidates);
    }

    static final FibResult NONE = new FibResult(Route.Type.UNREACHABLE, Optional.empty(), 0, Optional.empty(), List.of());

    /** True when a route answered (unicast, local, or an error type such as blackhole). */
    public boolean found() { return route.isPresent(); }

    /** True for a route that carries the packet: unicast (forward / send) or local (deliver). */
    public boolean usable() { return route.isPresent() && (type == Route.Type.UNICAST || type == Route.Type.LOCAL); }

    public String tableName() { return route.isPresent() || rule.isPresent() ? Route.tableName(table) : "-"; }
}
