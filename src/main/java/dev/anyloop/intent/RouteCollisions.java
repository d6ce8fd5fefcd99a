package dev.anyloop.intent;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.HashMap;
import java.util.Map;

/**
 * A declared route with the destination and metric of another route of the same host (one anyloop derives from a
 * gateway, a connected subnet or a service, or an earlier declared one): the kernel keeps one route per destination,
 * metric and table, and refuses the second with EEXIST ("File exists"), so the host could never be set up.
 */
final class RouteCollisions {
    private final Intent intent;
    private final Problems problems;
    private final ServicePaths paths;

    RouteCollisions(Intent intent, Problems problems, ServicePaths paths) {
        this.intent = intent;
        this.problems = problems;
        this.paths = paths;
    }

    /** Destination and metric in the main table: what identifies a route to the kernel (with TOS, which anyloop leaves 0). */
    private record Key(Prefix dst, int metric) { }

    void run() {
        for (HostDef h : intent.hosts().values()) {
            if (h.routes().isEmpty() || problems.broken("hosts/" + h.name())) continue;
            Map<Key, String> taken = derived(h);
            for (RouteDef r : h.routes()) {
                Key k = new Key(r.to(), KernelMetrics.user(r.to().family(), r.metric()));
                String path = problems.pathOf(r.pos());
                String first = taken.putIfAbsent(k, "declared route " + (index(path) + 1) + " to " + r.to());
                if (first != null) {
                    problems.at(path, "host " + h.name() + ": route to " + r.to() + ": collides with " + first + " (same destination"
                            + " and metric " + Integer.toUnsignedString(k.metric()) + "; Linux refuses the second with 'File exists'):"
                            + " give one of them another metric");
                }
            }
        }
    }

    /** The routes anyloop derives on {@code h}, by key, each with a phrase naming where it comes from. */
    private Map<Key, String> derived(HostDef h) {
        Map<Key, String> out = new HashMap<>();
        for (InterfaceDef i : h.interfaces().values()) {
            for (Ip gw : i.gateways()) {
                out.putIfAbsent(new Key(Prefix.any(gw.family()), KernelMetrics.user(gw.family(), 0)),
                        "the default route of interface " + i.name() + "'s gateway " + gw);
            }
            for (InterfaceAddress a : i.addresses()) {
                if (a.length() == a.family().bits() && a.ip().isV4()) continue; // a /32 gets no prefix route
                out.putIfAbsent(new Key(a.network(), KernelMetrics.connected(a.family())),
                        "the connected route of interface " + i.name() + " (" + a.network() + ")");
            }
        }
        for (ServicePaths.Hop hop : paths.on(h.name())) {
            out.putIfAbsent(new Key(Prefix.host(hop.address()), hop.metric()), "the route anyloop derives for service "
                    + hop.service() + " toward " + hop.target());
        }
        return out;
    }

    private static int index(String path) {
        return Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.length() - 1));
    }
}
