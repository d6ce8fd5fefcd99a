package dev.anyloop.compile;

import dev.anyloop.net.Family;
import dev.anyloop.state.Route;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the compiler recorded about why it made each rule and route of a network, keyed the way the simulator names
 * them (host, family, table, chain, 1-based rule number; host and route). Immutable once compiled.
 */
public final class Provenance {
    private final Map<String, RuleOrigin> rules;
    private final Map<String, Map<Route, RouteOrigin>> routes;

    Provenance(Map<String, RuleOrigin> rules, Map<String, Map<Route, RouteOrigin>> routes) {
        this.rules = Collections.unmodifiableMap(new HashMap<>(rules));
        Map<String, Map<Route, RouteOrigin>> r = new HashMap<>();
        routes.forEach((h, m) -> r.put(h, Collections.unmodifiableMap(new HashMap<>(m))));
        this.routes = Collections.unmodifiableMap(r);
    }

    static String key(String host, Family f, String table, String chain, int index) {
        return host + "|" + f + "|" + table + "|" + chain + "|" + index;
    }

    /** Why rule {@code index} (1-based) of {@code table}/{@code chain} on {@code host} exists, if anyloop made it. */
    public Optional<RuleOrigin> rule(String host, Family f, String table, String chain, int index) {
        return Optional.ofNullable(rules.get(key(host, f, table, chain, index)));
    }

    /** Why {@code route} exists on {@code host}, if anyloop derived it. */
    public Optional<RouteOrigin> route(String host, Route route) {
        return Optional.ofNullable(routes.getOrDefault(host, Map.of()).get(route));
    }
}
