package dev.anyloop.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sysctls a lab host starts from: an explicit baseline, so nothing depends on what a new namespace
 * inherits (net.core.devconf_inherit_init_net decides whether conf.all/default are copied from the root
 * namespace). The host's own values are anyloop's, set by apply afterwards (it records this baseline as
 * what it replaced).
 */
final class LabSysctls {
    private LabSysctls() { }

    /** "key=value" assignments for {@code sysctl -w}: the baseline for a namespace holding {@code interfaces}. */
    static List<String> baseline(List<String> interfaces) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", "0");
        m.put("net.ipv6.conf.all.forwarding", "0");
        m.put("net.ipv4.conf.all.rp_filter", "0");
        m.put("net.ipv4.conf.default.rp_filter", "0");
        // Duplicate address detection would keep new IPv6 addresses tentative (unbindable) for a second or more.
        m.put("net.ipv6.conf.all.accept_dad", "0");
        m.put("net.ipv6.conf.default.accept_dad", "0");
        for (String dev : interfaces) {
            String k = dev.replace('.', '/');
            m.put("net.ipv4.conf." + k + ".rp_filter", "0");
            m.put("net.ipv6.conf." + k + ".accept_dad", "0");
        }
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
