package dev.anyloop.state;

import dev.anyloop.net.Family;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sysctl values of a host, as "net.ipv4.ip_forward" -> "1". A key that is absent has the kernel
 * default. The accessors read only keys of {@link SysctlKey}, combining conf.all, conf.default and the
 * device's own value as the kernel does.
 */
public record Sysctls(Map<String, String> values) {
    public Sysctls {
        values = Map.copyOf(values);
    }

    public static Sysctls of(Map<String, String> values) { return new Sysctls(values); }

    public Optional<String> get(String key) { return Optional.ofNullable(values.get(key)); }

    /** A global key's value, or its kernel default. */
    public int get(SysctlKey k) { return intOf(k.key(), k.kernelDefault()); }

    /**
     * A per-device key's value in force on {@code dev}: the device's own value (conf.default's when it has none),
     * combined with conf.all as {@link SysctlKey#combine()} says.
     */
    public int get(SysctlKey k, String dev) {
        int def = intOf(k.key("default"), k.kernelDefault());
        int mine = intOf(k.key(dev), def);
        int all = intOf(k.key("all"), k.kernelDefault());
        switch (k.combine()) {
            case MAX: return Math.max(all, mine);
            case OR: return all != 0 || mine != 0 ? 1 : 0;
            case DEVICE: return mine;
            default: throw new IllegalStateException(k + " is global");
        }
    }

    /** net.ipv4.ip_forward, default 0. */
    public boolean ipv4Forwarding() { return get(SysctlKey.IP_FORWARD) == 1; }

    /** net.ipv6.conf.all.forwarding, default 0. */
    public boolean ipv6Forwarding() { return intOf(SysctlKey.IPV6_FORWARDING.key("all"), 0) == 1; }

    /** net.ipv4.conf.DEV.forwarding: follows ip_forward unless the device says otherwise. */
    public boolean ipv4Forwarding(String dev) { return intOf(SysctlKey.IPV4_FORWARDING.key(dev), ipv4Forwarding() ? 1 : 0) == 1; }

    /** The rp_filter mode in force on {@code dev}: max(conf.all, conf.DEV), 0 off, 1 strict, 2 loose. */
    public int rpFilter(String dev) { return get(SysctlKey.RP_FILTER, dev); }

    /** route_localnet (conf.all or the device's): lets 127/8 be routed. */
    public boolean routeLocalnet(String dev) { return get(SysctlKey.ROUTE_LOCALNET, dev) == 1; }

    /** icmp_echo_ignore_all of the family. */
    public boolean ignoresEcho(Family f) {
        return get(f == Family.V4 ? SysctlKey.ICMP_ECHO_IGNORE_ALL : SysctlKey.ICMPV6_ECHO_IGNORE_ALL) == 1;
    }

    /** net.ipv4.icmp_echo_ignore_all. */
    public boolean ignoresEcho() { return ignoresEcho(Family.V4); }

    private int intOf(String key, int def) {
        String v = values.get(key);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /**
     * These values after {@code sysctl -w} of each of {@code writes}, as the kernel applies them: a write of
     * net.ipv4.ip_forward or net.ipv4.conf.all.forwarding sets forwarding on conf.all, conf.default and every
     * device (net/ipv4/devinet.c inet_forward_change), and net.ipv6.conf.all.forwarding sets conf.default and every
     * device (net/ipv6/addrconf.c addrconf_fixup_forwarding); any other key is set alone.
     */
    public Sysctls written(Map<String, String> writes) {
        Map<String, String> m = new TreeMap<>(values);
        for (Map.Entry<String, String> w : writes.entrySet()) {
            String k = w.getKey();
            String v = w.getValue().strip();
            if (k.equals(SysctlKey.IP_FORWARD.key()) || k.equals(SysctlKey.IPV4_FORWARDING.key("all"))) {
                m.put(SysctlKey.IP_FORWARD.key(), v);
                setEveryDevice(m, SysctlKey.IPV4_FORWARDING, v);
            } else if (k.equals(SysctlKey.IPV6_FORWARDING.key("all"))) {
                setEveryDevice(m, SysctlKey.IPV6_FORWARDING, v);
            }
            m.put(k, v);
        }
        return new Sysctls(m);
    }

    /** {@code k} set to {@code v} for all, default and every device that has its own value. */
    private static void setEveryDevice(Map<String, String> m, SysctlKey k, String v) {
        for (String key : List.copyOf(m.keySet())) if (k.matches(key)) m.put(key, v);
        m.put(k.key("all"), v);
        m.put(k.key("default"), v);
    }

    /** The keys in sorted order, for rendering. */
    public Map<String, String> sorted() { return new TreeMap<>(values); }
}
