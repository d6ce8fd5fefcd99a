package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * T2/T7: on every forwarding host R that does not serve a service itself, one route per service address
 * and service host H that shares a segment with R: {@code X via H_addr dev R_if metric i+1 proto 77},
 * i being H's place in the service's preference order. Deleting the metric-1 route fails over to 2.
 */
final class ServiceRoutes {
    private ServiceRoutes() { }

    static List<Route> of(Intent intent, HostDef router) {
        List<Route> out = new ArrayList<>();
        if (!router.forwarding()) return out;
        for (ServiceDef s : intent.services().values()) {
            if (s.hosts().contains(router.name())) continue;
            if (intent.bgp().replacesStatic(s.name())) continue; // announced over BGP instead: bgp.Convergence routes it
            for (int i = 0; i < s.hosts().size(); i++) {
                HostDef h = intent.hosts().get(s.hosts().get(i));
                if (h == null) throw new IllegalArgumentException("service " + s.name() + ": host '" + s.hosts().get(i) + "' is not defined");
                for (Ip x : s.addresses()) {
                    int metric = i + 1;
                    nextHop(router, h, x.family()).ifPresent(nh -> out.add(
                            Route.via(Prefix.host(x), nh.via(), nh.dev(), metric, Route.PROTO_ANYLOOP)));
                }
            }
        }
        return out;
    }

    private record Hop(Ip via, String dev) { }

    /**
     * The first of the router's interfaces (file order) on a segment where {@code h} has an address of
     * family {@code f}. One route per metric only: IPv4 refuses a second route with the same
     * destination and metric (EEXIST), so a multi-homed pair uses its first shared segment.
     */
    private static Optional<Hop> nextHop(HostDef router, HostDef h, Family f) {
        for (InterfaceDef ri : router.interfaces().values()) {
            for (InterfaceDef hi : h.interfaces().values()) {
                if (!hi.segment().equals(ri.segment())) continue;
                for (InterfaceAddress a : hi.addresses()) {
                    if (a.family() == f) return Optional.of(new Hop(a.ip(), ri.name()));
                }
            }
        }
        return Optional.empty();
    }
}
