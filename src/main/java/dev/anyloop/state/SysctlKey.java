package dev.anyloop.state;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one registry of sysctl keys: every key the simulator reads is here, and a snapshot keeps exactly
 * the lines that name one of them (the rest of {@code sysctl -a} never changes a verdict anyloop
 * computes). A per-device key exists for {@code all}, {@code default} and each interface; how the
 * kernel combines them is per key ({@link Combine}).
 */
public enum SysctlKey {
    IP_FORWARD("net.ipv4.ip_forward", Combine.GLOBAL, 0),
    IPV4_FORWARDING("net.ipv4.conf.%s.forwarding", Combine.DEVICE, 0),
    IPV6_FORWARDING("net.ipv6.conf.%s.forwarding", Combine.DEVICE, 0),
    RP_FILTER("net.ipv4.conf.%s.rp_filter", Combine.MAX, 0),
    ROUTE_LOCALNET("net.ipv4.conf.%s.route_localnet", Combine.OR, 0),
    ARP_IGNORE("net.ipv4.conf.%s.arp_ignore", Combine.MAX, 0),
    ARP_ANNOUNCE("net.ipv4.conf.%s.arp_announce", Combine.MAX, 0),
    ACCEPT_LOCAL("net.ipv4.conf.%s.accept_local", Combine.OR, 0),
    SEND_REDIRECTS("net.ipv4.conf.%s.send_redirects", Combine.OR, 1),
    /** compile sets it 0 beside routers that route IPv6 service addresses back out the interface (T7: no pinning). */
    IPV6_ACCEPT_REDIRECTS("net.ipv6.conf.%s.accept_redirects", Combine.DEVICE, 1),
    SRC_VALID_MARK("net.ipv4.conf.%s.src_valid_mark", Combine.OR, 0),
    ICMP_ECHO_IGNORE_ALL("net.ipv4.icmp_echo_ignore_all", Combine.GLOBAL, 0),
    ICMPV6_ECHO_IGNORE_ALL("net.ipv6.icmp.echo_ignore_all", Combine.GLOBAL, 0),
    BRIDGE_NF_CALL_IPTABLES("net.bridge.bridge-nf-call-iptables", Combine.GLOBAL, 0),
    BRIDGE_NF_CALL_IP6TABLES("net.bridge.bridge-nf-call-ip6tables", Combine.GLOBAL, 0);

    /** How the kernel reads a per-device key (include/linux/inetdevice.h IN_DEV_*CONF). */
    public enum Combine {
        /** One value for the host. */
        GLOBAL,
        /** The device's own value (conf.all writes propagate to every device). */
        DEVICE,
        /** max(conf.all, conf.DEV): IN_DEV_MAXCONF. */
        MAX,
        /** conf.all || conf.DEV: IN_DEV_ORCONF. */
        OR
    }

    private final String template;
    private final Combine combine;
    private final int kernelDefault;
    private final Pattern pattern;

    SysctlKey(String template, Combine combine, int kernelDefault) {
        this.template = template;
        this.combine = combine;
        this.kernelDefault = kernelDefault;
        // a device name with a dot shows as '/' in sysctl's dotted keys, so one path element never holds a '.'
        this.pattern = Pattern.compile(Pattern.quote(template).replace("%s", "\\E[^.\\s]+\\Q"));
    }

    public Combine combine() { return combine; }

    /** The value a fresh kernel has (a device without its own key takes conf.default's value instead). */
    public int kernelDefault() { return kernelDefault; }

    public boolean perDevice() { return template.contains("%s"); }

    /** The key itself, for a global key. */
    public String key() {
        if (perDevice()) throw new IllegalStateException(template + " is per device");
        return template;
    }

    /** The key for {@code dev} ("all", "default" or an interface; a dot in the name becomes '/'). */
    public String key(String dev) {
        if (!perDevice()) throw new IllegalStateException(template + " is not per device");
        return String.format(template, dev.replace('.', '/'));
    }

    public boolean matches(String key) { return pattern.matcher(key).matches(); }

    /** The registered key {@code key} is an instance of, if any. */
    public static Optional<SysctlKey> of(String key) {
        for (SysctlKey k : values()) if (k.matches(key)) return Optional.of(k);
        return Optional.empty();
    }

    /** True when a snapshot keeps this key: the simulator reads it. */
    public static boolean kept(String key) { return of(key).isPresent(); }
}
