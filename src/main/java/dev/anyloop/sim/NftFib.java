package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.state.Hook;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.nft.NftExpr;
import java.util.List;
import java.util.Map;

/**
 * nft's {@code fib} expression (nft_fib4_eval / nft_fib6_eval): a route lookup of the packet's source (or
 * destination) as the kernel does it from lo, with the packet's mark when asked; with {@code iif} the result
 * counts only if the route leaves through the interface the packet came in on. firewalld's reverse path
 * filter is {@code fib saddr . mark . iif oif missing drop}; {@code fib daddr type local} is addrtype.
 */
final class NftFib {
    private NftFib() { }

    static NftKey key(NftExpr.Fib f) {
        List<String> flags = f.flags();
        boolean saddr = flags.contains("saddr");
        boolean iif = flags.contains("iif");
        boolean mark = flags.contains("mark");
        if (!saddr && !flags.contains("daddr")) return null;
        if (flags.contains("oif")) return null; // output-interface restricted lookups: not modelled
        switch (f.result()) {
            case "oif": case "oifname":
                return new NftKey(NftKey.Kind.NAME, Map.of(), null) {
                    @Override
                    String name(NftCtx c) { return oif(c, saddr, iif, mark); }
                };
            case "type":
                return new NftKey(NftKey.Kind.NUM, NftKey.ROUTE_TYPES, null) {
                    @Override
                    long num(NftCtx c) { return type(c, saddr, iif); }
                };
            default:
                return null;
        }
    }

    /** The device the lookup found, or null (missing). */
    static String oif(NftCtx c, boolean saddr, boolean iif, boolean mark) {
        // nft_fib_is_loopback: at prerouting a packet that came in on lo is its own answer
        if (c.hook == Hook.PREROUTING && "lo".equals(c.in)) return c.in;
        Packet p = c.pkt;
        Ip dst = saddr ? p.src() : p.dst();
        Ip src = saddr ? p.dst() : p.src();
        FibResult r = c.host.fib(p.family()).lookup(dst, src, "lo", mark ? p.mark() : 0);
        if (!r.found() || (r.type() != Route.Type.UNICAST && r.type() != Route.Type.LOCAL)) return null;
        Route rt = r.route().orElse(null);
        if (rt == null || rt.nexthops().isEmpty()) return iif ? null : "lo";
        if (!iif) return rt.nexthops().get(0).dev();
        for (NextHop nh : rt.nexthops()) if (nh.dev().equals(c.in)) return c.in;
        return null;
    }

    static long type(NftCtx c, boolean saddr, boolean iif) {
        Ip a = saddr ? c.pkt.src() : c.pkt.dst();
        Route.Type t = c.host.fib(c.family()).addrType(a);
        // inet_dev_addr_type(dev): a local address counts as local only on that device
        if (iif && t == Route.Type.LOCAL && !c.host.hasAddressOn(c.in, a)) t = Route.Type.UNICAST;
        return NftKey.routeType(t);
    }
}
