package dev.anyloop.compile;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.KernelMetrics;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes the user declared: an interface's {@code gateway} (a default route) and raw {@code routes}.
 * A gateway belongs to the host's own network manager (DHCP, ifupdown, NetworkManager), not to anyloop:
 * it carries proto boot, what a plain {@code ip route add} gets, so apply expects it and never adds or
 * removes it. Raw routes are anyloop's (proto 77).
 */
final class DeclaredRoutes {
    /** RTPROT_BOOT: the protocol of a route the host's network manager (or an admin) added. */
    static final String GATEWAY_PROTO = "boot";

    private DeclaredRoutes() { }

    static int userMetric(Family f, int metric) { return KernelMetrics.user(f, metric); }

    /** The gateways' default routes, then the declared routes, each with its origin. */
    static Map<Route, RouteOrigin> of(HostDef host) {
        Map<Route, RouteOrigin> out = new LinkedHashMap<>();
        for (InterfaceDef i : host.interfaces().values()) {
            for (Ip gw : i.gateways()) {
                // a link-local gateway (fe80::1, as router advertisements give it) is on-link through this interface
                out.putIfAbsent(Route.via(Prefix.any(gw.family()), gw, i.name(), userMetric(gw.family(), 0), GATEWAY_PROTO),
                        new RouteOrigin(RouteOrigin.Kind.GATEWAY, "gateway of interface " + i.name(), Optional.empty(), i.pos()));
            }
        }
        for (RouteDef r : host.routes()) {
            out.putIfAbsent(raw(host, r), new RouteOrigin(RouteOrigin.Kind.DECLARED, "declared route to " + r.to(), Optional.empty(), r.pos()));
        }
        return out;
    }

    private static Route raw(HostDef host, RouteDef r) {
        Route.Type type = Route.Type.parse(r.type());
        int metric = userMetric(r.to().family(), r.metric());
        if (type != Route.Type.UNICAST) {
            // blackhole / unreachable / prohibit: no next hop, the kernel answers (or drops) itself.
            return new Route(type, r.to(), Route.TABLE_MAIN, List.of(), metric, r.src(), Route.PROTO_ANYLOOP,
                    Route.Scope.GLOBAL);
        }
        if (r.via().isPresent()) {
            Ip via = r.via().get();
            String dev = r.dev().orElseGet(() -> deviceFor(host, via).orElseThrow(() -> new IllegalArgumentException(
                    "host " + host.name() + ": route to " + r.to() + " via " + via + ": no interface has a subnet holding " + via)));
            return new Route(type, r.to(), Route.TABLE_MAIN, List.of(NextHop.via(via, dev)), metric, r.src(),
                    Route.PROTO_ANYLOOP, Route.Scope.GLOBAL);
        }
        String dev = r.dev().orElseThrow(() -> new IllegalArgumentException(
                "host " + host.name() + ": route to " + r.to() + " has neither via nor dev"));
        // `ip route add P dev D` without a gateway is on-link: iproute2 gives it scope link.
        return new Route(type, r.to(), Route.TABLE_MAIN, List.of(NextHop.dev(dev)), metric, r.src(),
                Route.PROTO_ANYLOOP, Route.Scope.LINK);
    }

    /** The first interface (file order) whose connected subnet holds {@code ip}: where the kernel would send it. */
    static Optional<String> deviceFor(HostDef host, Ip ip) {
        for (InterfaceDef i : host.interfaces().values()) {
            for (InterfaceAddress a : i.addresses()) if (a.network().contains(ip)) return Optional.of(i.name());
        }
        return Optional.empty();
    }
}
