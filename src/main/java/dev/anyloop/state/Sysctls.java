package dev.anyloop.state;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sysctl keys that change forwarding behaviour, as "net.ipv4.ip_forward" -> "1". A key that is
 * absent has the kernel default, which these accessors supply.
 */
public record Sysctls(Map<String, String> values) {
    public Sysctls {
        values = Map.copyOf(values);
    }

    public static Sysctls of(Map<String, String> values) { return new Sysctls(values); }

    public Optional<String> get(String key) { return Optional.ofNullable(values.get(key)); }

    /** net.ipv4.ip_forward, default 0. */
    public boolean ipv4Forwarding() { return "1".equals(values.getOrDefault("net.ipv4.ip_forward", "0")); }

    /** net.ipv6.conf.all.forwarding, default 0. */
    public boolean ipv6Forwarding() { return "1".equals(values.getOrDefault("net.ipv6.conf.all.forwarding", "0")); }

    /**
     * The rp_filter mode in force on {@code dev}: the kernel uses max(conf.all, conf.DEV), 0 off,
     * 1 strict, 2 loose. A device without its own key takes conf.default's value.
     */
    public int rpFilter(String dev) {
        int all = intOf("net.ipv4.conf.all.rp_filter", 0);
        int def = intOf("net.ipv4.conf.default.rp_filter", 0);
        int mine = intOf("net.ipv4.conf." + dev.replace('.', '/') + ".rp_filter", def);
        return Math.max(all, mine);
    }

    /** net.ipv4.conf.DEV.route_localnet (max of all and dev): lets 127/8 be routed. */
    public boolean routeLocalnet(String dev) {
        return intOf("net.ipv4.conf.all.route_localnet", 0) == 1 || intOf("net.ipv4.conf." + dev + ".route_localnet", 0) == 1;
    }

    /** net.ipv4.icmp_echo_ignore_all. */
    public boolean ignoresEcho() { return intOf("net.ipv4.icmp_echo_ignore_all", 0) == 1; }

    private int intOf(String key, int def) {
        String v = values.get(key);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /** The keys in sorted order, for rendering. */
    public Map<String, String> sorted() { return new TreeMap<>(values); }
}
