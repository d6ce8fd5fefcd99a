package dev.anyloop.lab;

import dev.anyloop.render.SysctlRenderer;
import dev.anyloop.state.DeviceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sysctls a lab host gets: an explicit baseline first, so nothing depends on what a new namespace
 * inherits (net.core.devconf_inherit_init_net decides whether conf.all/default are copied from the
 * root namespace), then the host's own values as {@link SysctlRenderer} renders them.
 */
final class LabSysctls {
    private LabSysctls() { }

    /** "key=value" assignments for {@code sysctl -w}, baseline then the host's, later ones winning. */
    static List<String> assignments(DeviceState d, List<String> interfaces) {
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
        m.putAll(parse(SysctlRenderer.render(d)));
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** "key = value" lines; blank lines and '#' or ';' comments skipped. */
    static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            int eq = t.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("Invalid sysctl line '" + line + "': expected 'key = value'");
            m.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        return m;
    }
}
