package dev.anyloop.compile;

import dev.anyloop.intent.Intent.RpFilter;
import dev.anyloop.net.Family;
import dev.anyloop.state.Address;
import dev.anyloop.state.Link;
import dev.anyloop.state.Sysctls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sysctls that decide forwarding and reverse-path filtering on a host. */
final class HostSysctls {
    private HostSysctls() { }

    /** off 0, strict 1, loose 2 (the values net.ipv4.conf.*.rp_filter takes). */
    static int rpFilter(RpFilter mode) {
        switch (mode) {
            case OFF: return 0;
            case STRICT: return 1;
            default: return 2;
        }
    }

    /**
     * net.ipv4.ip_forward; net.ipv6.conf.all.forwarding when the host has an IPv6 address besides ::1;
     * rp_filter on all, default and every link. The kernel applies max(all, DEV), so all carries the mode
     * too: a lower per-device value alone would not loosen it.
     */
    static Sysctls of(List<Link> links, List<Address> addresses, boolean ipv4Forward, boolean ipv6Forward, int rpFilter) {
        return of(links, addresses, ipv4Forward, ipv6Forward, rpFilter, Redirects.KEEP);
    }

    /**
     * What a host does about ICMP redirects. A router that routes a service address back out the interface a client
     * came in on sends the client a redirect to the service host, and the client keeps that next hop as a route
     * exception (for minutes, net.ipv4.route.gc_timeout), past the router's metric-ordered routes: draining that
     * service host would not fail the client over (T7). IPv4 routers can stop sending them (send_redirects, all OR
     * DEV, so both); an IPv6 router always sends them, so its clients stop accepting them (accept_redirects, per
     * device).
     */
    enum Redirects {
        /** The kernel defaults. */
        KEEP,
        /** net.ipv4.conf.{all,default,DEV}.send_redirects = 0: a router with derived service routes. */
        DONT_SEND_V4,
        /** net.ipv6.conf.{all,default,DEV}.accept_redirects = 0: a host beside such a router's IPv6 service routes. */
        DONT_ACCEPT_V6,
        /** Both. */
        NEITHER;

        boolean sendV4() { return this == KEEP || this == DONT_ACCEPT_V6; }

        boolean acceptV6() { return this == KEEP || this == DONT_SEND_V4; }

        Redirects and(Redirects o) {
            boolean send = sendV4() && o.sendV4(), accept = acceptV6() && o.acceptV6();
            return send ? (accept ? KEEP : DONT_ACCEPT_V6) : (accept ? DONT_SEND_V4 : NEITHER);
        }
    }

    static Sysctls of(List<Link> links, List<Address> addresses, boolean ipv4Forward, boolean ipv6Forward, int rpFilter,
                      Redirects redirects) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", ipv4Forward ? "1" : "0");
        boolean v6 = addresses.stream().anyMatch(a -> a.address().family() == Family.V6 && !a.address().ip().isLoopback());
        if (v6) m.put("net.ipv6.conf.all.forwarding", ipv6Forward ? "1" : "0");
        String rp = Integer.toString(rpFilter);
        m.put("net.ipv4.conf.all.rp_filter", rp);
        m.put("net.ipv4.conf.default.rp_filter", rp);
        // sysctl writes a dot inside an interface name as '/': net.ipv4.conf.eth0/10.rp_filter.
        for (Link l : links) m.put("net.ipv4.conf." + l.name().replace('.', '/') + ".rp_filter", rp);
        if (!redirects.sendV4()) perDevice(m, links, "net.ipv4.conf.", ".send_redirects", "0");
        if (!redirects.acceptV6() && v6) perDevice(m, links, "net.ipv6.conf.", ".accept_redirects", "0");
        return Sysctls.of(m);
    }

    private static void perDevice(Map<String, String> m, List<Link> links, String prefix, String suffix, String value) {
        m.put(prefix + "all" + suffix, value);
        m.put(prefix + "default" + suffix, value);
        for (Link l : links) m.put(prefix + l.name().replace('.', '/') + suffix, value);
    }
}
