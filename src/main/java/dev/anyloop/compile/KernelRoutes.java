package dev.anyloop.compile;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The routes Linux adds by itself for interface addresses ({@code proto kernel}), so a compiled host
 * looks like a snapshot of a live one. Broadcast routes and IPv6 link-local/multicast entries are left
 * out: the simulator does not need them and link-local addresses depend on the MAC.
 */
final class KernelRoutes {
    /** IPv6 prefix routes get IP6_RT_PRIO_ADDRCONF. */
    static final int V6_CONNECTED_METRIC = dev.anyloop.intent.KernelMetrics.V6_CONNECTED;

    private KernelRoutes() { }

    static List<Route> of(List<Address> addresses) {
        List<Route> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Address a : addresses) {
            InterfaceAddress ia = a.address();
            String dev = a.dev();
            boolean lo = HostAddresses.LO.equals(dev);
            Prefix net = ia.network();
            // Only the first (primary) address of a subnet on a device gets a prefix route; the kernel
            // marks later ones IFA_F_SECONDARY and adds no second route.
            boolean primary = seen.add(dev + " " + net);
            if (ia.family() == Family.V4) {
                // fib_add_ifaddr: a local route for the address itself in table local ...
                out.add(local(Prefix.host(ia.ip()), dev, Optional.of(ia.ip())));
                // ... and a prefix route unless it is a /32; on a loopback device that route is of type
                // local too (so all of 127/8 is local), otherwise a unicast scope-link route in main.
                if (ia.length() < 32 && primary) {
                    out.add(lo ? local(net, dev, Optional.of(ia.ip())) : Route.connected(net, dev, ia.ip(), 0));
                }
            } else {
                // addrconf: a local route (metric 0, no src) and a prefix route metric 256 in main, /128 included.
                out.add(new Route(Route.Type.LOCAL, Prefix.host(ia.ip()), Route.TABLE_LOCAL, List.of(NextHop.dev(dev)),
                        0, Optional.empty(), "kernel", Route.Scope.GLOBAL));
                if (primary) {
                    out.add(new Route(Route.Type.UNICAST, net, Route.TABLE_MAIN, List.of(NextHop.dev(dev)),
                            V6_CONNECTED_METRIC, Optional.empty(), "kernel", Route.Scope.GLOBAL));
                }
            }
        }
        return out;
    }

    private static Route local(Prefix dst, String dev, Optional<dev.anyloop.net.Ip> src) {
        return new Route(Route.Type.LOCAL, dst, Route.TABLE_LOCAL, List.of(NextHop.dev(dev)), 0, src, "kernel",
                Route.Scope.HOST);
    }
}
