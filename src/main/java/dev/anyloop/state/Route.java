package dev.anyloop.state;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One kernel route: type, destination, table, paths, metric, preferred source, protocol and scope.
 *
 * <p>{@code proto} is iproute2's word ("kernel", "boot", "static") or a number; routes anyloop owns
 * carry {@link #PROTO_ANYLOOP} so that apply can find them again and touch nothing else.
 */
public record Route(Type type, Prefix dst, int table, List<NextHop> nexthops, int metric, Optional<Ip> src,
                    String proto, Scope scope) {
    /** The rtnetlink protocol number anyloop marks its own routes (and policy rules) with. */
    public static final String PROTO_ANYLOOP = "77";
    /** Its name in /etc/iproute2/rt_protos.d/anyloop.conf (shipped in the package); with that file installed, ip prints it instead of 77. */
    public static final String PROTO_ANYLOOP_NAME = "anyloop";
    /** iproute2's name for RTPROT_BIRD (12, include/uapi/linux/rtnetlink.h), the protocol of BIRD's kernel routes. */
    public static final String PROTO_BIRD = "bird";
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;
    public static final int TABLE_DEFAULT = 253;

    public Route {
        nexthops = List.copyOf(nexthops);
        proto = canonicalProto(proto);
    }

    /**
     * The one spelling of a protocol: iproute2 prints 77 as "anyloop" once the package's rt_protos.d file is
     * installed and as "77" before, so a host reads the same either way. BIRD's 12 is always "bird" (iproute2's own
     * rt_protos names it; {@code ip -N} and a host without that file print "12").
     */
    public static String canonicalProto(String proto) {
        if (proto.equals(PROTO_ANYLOOP_NAME)) return PROTO_ANYLOOP;
        return proto.equals("12") ? PROTO_BIRD : proto;
    }

    /** Route types as in {@code ip route}: unicast forwards, local delivers, the rest refuse or discard. */
    public enum Type {
        UNICAST, LOCAL, BROADCAST, MULTICAST, ANYCAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW;

        public String word() { return name().toLowerCase(Locale.ROOT); }

        public static Type parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    /** Route scope: global for gatewayed routes, link for connected ones, host for local ones. */
    public enum Scope {
        GLOBAL, LINK, HOST;

        public String word() { return name().toLowerCase(Locale.ROOT); }

        public static Scope parse(String s) {
            if ("universe".equals(s)) return GLOBAL;
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** iproute2's protocol names (its rt_protos file) and their numbers. */
    private static final java.util.Map<String, Integer> PROTOCOLS = java.util.Map.ofEntries(
            java.util.Map.entry("unspec", 0), java.util.Map.entry("redirect", 1), java.util.Map.entry("kernel", 2),
            java.util.Map.entry("boot", 3), java.util.Map.entry("static", 4), java.util.Map.entry("gated", 8),
            java.util.Map.entry("ra", 9), java.util.Map.entry("mrt", 10), java.util.Map.entry("zebra", 11),
            java.util.Map.entry("bird", 12), java.util.Map.entry("dnrouted", 13), java.util.Map.entry("xorp", 14),
            java.util.Map.entry("ntk", 15), java.util.Map.entry("dhcp", 16), java.util.Map.entry("keepalived", 18),
            java.util.Map.entry("babel", 42), java.util.Map.entry("openr", 99), java.util.Map.entry("bgp", 186),
            java.util.Map.entry("isis", 187), java.util.Map.entry("ospf", 188), java.util.Map.entry("rip", 189),
            java.util.Map.entry("eigrp", 192), java.util.Map.entry(PROTO_ANYLOOP_NAME, Integer.parseInt(PROTO_ANYLOOP)));

    /** The protocol as a number, for a name iproute2 knows or a number; empty for another name. */
    public static java.util.Optional<Integer> protocolNumber(String proto) {
        Integer n = PROTOCOLS.get(proto);
        if (n != null) return java.util.Optional.of(n);
        try {
            int v = Integer.parseInt(proto);
            return v >= 0 && v <= 255 ? java.util.Optional.of(v) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public Family family() { return dst.family(); }

    public boolean ownedByAnyloop() { return PROTO_ANYLOOP.equals(proto); }

    /** A unicast route through {@code gw} in the main table. */
    public static Route via(Prefix dst, Ip gw, String dev, int metric, String proto) {
        return new Route(Type.UNICAST, dst, TABLE_MAIN, List.of(NextHop.via(gw, dev)), metric, Optional.empty(),
                proto, Scope.GLOBAL);
    }

    /** A connected (on-link) route in the main table, as the kernel adds for an interface address. */
    public static Route connected(Prefix dst, String dev, Ip src, int metric) {
        return new Route(Type.UNICAST, dst, TABLE_MAIN, List.of(NextHop.dev(dev)), metric, Optional.of(src),
                "kernel", Scope.LINK);
    }

    public Route withSrc(Optional<Ip> newSrc) {
        return new Route(type, dst, table, nexthops, metric, newSrc, proto, scope);
    }

    public static String tableName(int table) {
        switch (table) {
            case TABLE_MAIN: return "main";
            case TABLE_LOCAL: return "local";
            case TABLE_DEFAULT: return "default";
            default: return Integer.toString(table);
        }
    }

    /** Parses "main", "local", "default" or a number. */
    public static int parseTable(String s) {
        switch (s) {
            case "main": return TABLE_MAIN;
            case "local": return TABLE_LOCAL;
            case "default": return TABLE_DEFAULT;
            default:
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid routing table '" + s + "': expected main, local, default or a number");
                }
        }
    }

    /** Reads like {@code ip route}: "10.1.1.1 via 192.168.1.20 dev eth1 proto 77 metric 1". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (type != Type.UNICAST) sb.append(type.word()).append(' ');
        sb.append(dst.isHost() ? dst.network().toString() : dst.toString());
        if (table != TABLE_MAIN) sb.append(" table ").append(tableName(table));
        for (NextHop nh : nexthops) sb.append(' ').append(nh);
        sb.append(" proto ").append(proto);
        if (scope != Scope.GLOBAL) sb.append(" scope ").append(scope.word());
        src.ifPresent(s -> sb.append(" src ").append(s));
        if (metric != 0) sb.append(" metric ").append(metric);
        return sb.toString();
    }
}
