package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * T8: {@code ip route change PREFIX ... src FROM}. The main-table unicast routes to {@code to} (connected, declared,
 * gateway or derived for a service) get the preferred source FROM, so connections the host opens toward it carry
 * FROM. When {@code to} is only inside a route's prefix (one address of a subnet, say), the routes the kernel would
 * pick for it (the longest matching prefix, each metric of it) are copied to {@code to} with FROM: the intent
 * changes the source toward {@code to} only, not toward the rest of the subnet.
 */
final class SourceAddresses {
    private SourceAddresses() { }

    /** {@code routes} of {@code host} (with their origins) with every source intent of the host applied; throws when no route covers {@code to}. */
    static Map<Route, RouteOrigin> apply(Intent intent, String host, Map<Route, RouteOrigin> routes) {
        List<Route> out = new ArrayList<>(routes.keySet());
        Map<Route, RouteOrigin> origins = new LinkedHashMap<>(routes);
        for (SourceDef s : intent.sources()) {
            if (!s.host().equals(host)) continue;
            if (s.from().family() != s.to().family()) {
                throw new IllegalArgumentException("source-addresses: host " + host + ": from " + s.from()
                        + " and to " + s.to() + " are of different families");
            }
            boolean exact = false;
            for (int i = 0; i < out.size(); i++) {
                Route r = out.get(i);
                if (carries(r) && r.dst().equals(s.to())) {
                    Route changed = r.withSrc(Optional.of(s.from()));
                    out.set(i, changed);
                    origins.put(changed, origins.remove(r));
                    exact = true;
                }
            }
            if (exact) continue;
            int best = -1;
            for (Route r : out) if (carries(r) && r.dst().contains(s.to())) best = Math.max(best, r.dst().length());
            if (best < 0) {
                throw new IllegalArgumentException("source-addresses: host " + host + " has no route covering " + s.to()
                        + " to give src " + s.from());
            }
            List<Route> copies = new ArrayList<>();
            for (Route r : out) {
                if (carries(r) && r.dst().length() == best && r.dst().contains(s.to())) {
                    Route copy = new Route(r.type(), s.to(), r.table(), r.nexthops(), r.metric(), Optional.of(s.from()),
                            Route.PROTO_ANYLOOP, r.scope());
                    copies.add(copy);
                    RouteOrigin was = origins.get(r);
                    origins.put(copy, new RouteOrigin(RouteOrigin.Kind.SOURCE, "source " + s.from() + " toward " + s.to()
                            + " (as the route to " + r.dst() + ")", was == null ? Optional.empty() : was.hop(), s.pos()));
                }
            }
            out.addAll(copies);
        }
        Map<Route, RouteOrigin> result = new LinkedHashMap<>();
        for (Route r : out) result.put(r, origins.get(r));
        return result;
    }

    /** A route that sends packets and may carry a preferred source: unicast, in the main table. */
    private static boolean carries(Route r) { return r.table() == Route.TABLE_MAIN && r.type() == Route.Type.UNICAST; }
}
