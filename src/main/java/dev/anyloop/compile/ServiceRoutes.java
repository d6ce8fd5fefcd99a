package dev.anyloop.compile;

import dev.anyloop.intent.ServicePaths;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Route;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * T2/T7: the routes {@link ServicePaths} derives on one forwarding host, each
 * {@code X via NEXT dev R_if metric i+1 proto 77}, i being the target host's place in the service's preference order.
 * Deleting the metric-1 routes (on every router) fails over to 2.
 */
final class ServiceRoutes {
    private ServiceRoutes() { }

    /** The routes on {@code router}, in derivation order, each with its origin. */
    static Map<Route, RouteOrigin> of(ServicePaths paths, String router) {
        Map<Route, RouteOrigin> out = new LinkedHashMap<>();
        for (ServicePaths.Hop hop : paths.on(router)) {
            Route r = Route.via(Prefix.host(hop.address()), hop.via(), hop.dev(), hop.metric(), Route.PROTO_ANYLOOP);
            out.putIfAbsent(r, RouteOrigin.service(hop));
        }
        return out;
    }
}
