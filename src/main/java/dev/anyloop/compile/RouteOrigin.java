package dev.anyloop.compile;

import dev.anyloop.intent.Pos;
import dev.anyloop.intent.ServicePaths;
import java.util.Optional;

/**
 * Why the compiler made one route: a gateway, a declared route, a service (the derived hop, with the service host
 * it leads to), or a source intent (T8) that gave a destination a route of its own.
 */
public record RouteOrigin(Kind kind, String detail, Optional<ServicePaths.Hop> hop, Pos pos) {
    /** Where a route comes from. */
    public enum Kind { GATEWAY, DECLARED, SERVICE, SOURCE }

    static RouteOrigin service(ServicePaths.Hop hop) {
        return new RouteOrigin(Kind.SERVICE, "service " + hop.service() + " toward " + hop.target() + " (metric " + hop.metric()
                + (hop.path().size() > 2 ? ", path " + String.join(" > ", hop.path()) : "") + ")", Optional.of(hop), Pos.NONE);
    }

    /** True when this route leads to service host {@code host} of service {@code service}: what draining that host withdraws. */
    public boolean leadsTo(String service, String host) {
        return hop.map(h -> h.service().equals(service) && h.target().equals(host)).orElse(false);
    }
}
