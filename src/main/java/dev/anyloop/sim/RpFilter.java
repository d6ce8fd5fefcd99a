package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.List;

/** The kernel's fib_validate_source() for IPv4: reverse path filtering and own-address sources. */
final class RpFilter {
    private RpFilter() { }

    static final int OK = 0;
    /** -EXDEV: rp_filter refused. */
    static final int EXDEV = 1;
    /** -EINVAL: martian source (a local address, or routed back as something other than unicast). */
    static final int EINVAL = 2;

    /**
     * Validates {@code src} of a packet that came in on {@code dev} for {@code dst}; {@code oif} is
     * the egress device when forwarding, empty when delivering locally. With rp_filter 0 (and not
     * hairpinning out the same device, where redirects force the full check) the kernel only refuses
     * a source that is one of its own addresses; otherwise it looks the source up with the iif set to
     * the egress device (lo when local): strict (1) wants that route to use {@code dev}, loose (2)
     * only wants it to exist.
     */
    static int validate(HostModel h, String dev, Ip src, Ip dst, String oif, int rpf) {
        if (rpf == 0 && !dev.equals(oif)) {
            if (!h.fib(Family.V4).customRules() && !h.fib(Family.V4).customLocalRoutes()) return h.hasAddress(src) ? EINVAL : OK;
        }
        FibResult r = h.fib(Family.V4).lookup(src, dst, oif.isEmpty() ? "lo" : oif);
        if (!r.found() || isError(r.type())) return rpf != 0 ? EXDEV : OK; // last_resort
        if (r.type() != Route.Type.UNICAST) return EINVAL;
        for (NextHop nh : r.route().get().nexthops()) if (nh.dev().equals(dev)) return OK;
        if (h.v4On(dev).isEmpty()) return rpf != 0 ? EXDEV : OK; // no_addr: last_resort
        return rpf == 1 ? EXDEV : OK;
    }

    private static boolean isError(Route.Type t) {
        return t == Route.Type.BLACKHOLE || t == Route.Type.UNREACHABLE || t == Route.Type.PROHIBIT;
    }
}
