package dev.anyloop.bgp;

import dev.anyloop.intent.Intent;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * BGP as the kernels see it: the routes BIRD installs on every router once BGP has converged, added to the
 * network the simulator runs on (never to the state {@code plan} and {@code export} apply: BIRD owns them).
 * BIRD marks its kernel routes {@code proto bird} (RTPROT_BIRD, 12); anyloop's bird.conf also gives them metric
 * {@link #KERNEL_METRIC}, so they are recognisable and never clash with anyloop's static routes (metric 1, 2, ...),
 * which win where both exist (a service with {@code static-routes: true}).
 */
public final class Bgp {
    /** The kernel metric of every route anyloop's BIRD installs. */
    public static final int KERNEL_METRIC = 1077;
    /** iproute2's name for RTPROT_BIRD, the protocol BIRD's kernel routes carry ("12" read is canonicalised to it). */
    public static final String PROTO = Route.PROTO_BIRD;

    private Bgp() { }

    /** The network with BGP's routes, and where each was learned. */
    public record Converged(Network network, Rib rib) { }

    /**
     * {@code network} with every router's BGP routes as BGP converges on it (hosts missing from it are down, links
     * down take their sessions down). Routes of {@code proto bird} already in it are replaced, so this re-runs after a
     * failure. Without a {@code bgp:} section the network is returned as it is.
     */
    public static Converged converge(Intent intent, Network network) { return converge(intent, network, Set.of()); }

    /** One host's announcement of one service, as a health check withdraws it ({@code birdc disable 'announce.dns.v4'}). */
    public record Announcement(String host, String service) { }

    /** As {@link #converge(Intent, Network)}, with the {@code withdrawn} announcements taken back by their hosts. */
    public static Converged converge(Intent intent, Network network, Set<Announcement> withdrawn) {
        if (!intent.bgp().enabled()) return new Converged(network, Rib.empty());
        Rib rib = Convergence.solve(intent, network, withdrawn);
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (DeviceState d : network.hosts().values()) {
            List<Route> routes = new ArrayList<>();
            for (Route r : d.routes()) if (!PROTO.equals(r.proto())) routes.add(r);
            int before = routes.size();
            rib.forEachRoute(d.host(), (p, hops) -> routes.add(route(p, hops)));
            // IPv4 before IPv6, as the compiler orders them (the BGP routes come last within their family, in file order)
            if (routes.size() > before) routes.sort(Comparator.comparing(Route::family));
            // the same object where nothing changed: the simulator derives a drained network's hosts that changed only
            hosts.put(d.host(), routes.equals(d.routes()) ? d : d.withRoutes(routes));
        }
        return new Converged(new Network(hosts, network.segments()), rib);
    }

    /** A network read from live hosts: BIRD's routes are in it already, and where they were learned is not known. */
    public static Converged snapshot(Network n) { return new Converged(n, Rib.empty()); }

    /** The kernel route BIRD's kernel protocol installs for a prefix: one next hop per merged path, by gateway. */
    static Route route(Prefix p, List<NextHop> hops) {
        return new Route(Route.Type.UNICAST, p, Route.TABLE_MAIN, hops, KERNEL_METRIC, Optional.empty(), PROTO, Route.Scope.GLOBAL);
    }

    /** True for a route BIRD installed ({@code proto bird}). */
    public static boolean installedByBird(Route r) { return PROTO.equals(r.proto()); }
}
