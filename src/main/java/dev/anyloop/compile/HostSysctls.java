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
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", ipv4Forward ? "1" : "0");
        boolean v6 = addresses.stream().anyMatch(a -> a.address().family() == Family.V6 && !a.address().ip().isLoopback());
        if (v6) m.put("net.ipv6.conf.all.forwarding", ipv6Forward ? "1" : "0");
        String rp = Integer.toString(rpFilter);
        m.put("net.ipv4.conf.all.rp_filter", rp);
        m.put("net.ipv4.conf.default.rp_filter", rp);
        // sysctl writes a dot inside an interface name as '/': net.ipv4.conf.eth0/10.rp_filter.
        for (Link l : links) m.put("net.ipv4.conf." + l.name().replace('.', '/') + ".rp_filter", rp);
        return Sysctls.of(m);
    }
}
