package dev.anyloop.state;

import dev.anyloop.net.Family;
import java.util.Map;
import java.util.Optional;

/** The ICMP and ICMPv6 type names iptables accepts, both ways. */
public final class IcmpTypes {
    private IcmpTypes() { }

    /** name -> {type, code}; code -1 means any code. */
    private static final Map<String, int[]> V4 = Map.ofEntries(
            Map.entry("any", new int[] {255, -1}),
            Map.entry("echo-reply", new int[] {0, -1}), Map.entry("pong", new int[] {0, -1}),
            Map.entry("destination-unreachable", new int[] {3, -1}),
            Map.entry("network-unreachable", new int[] {3, 0}), Map.entry("host-unreachable", new int[] {3, 1}),
            Map.entry("protocol-unreachable", new int[] {3, 2}), Map.entry("port-unreachable", new int[] {3, 3}),
            Map.entry("fragmentation-needed", new int[] {3, 4}),
            Map.entry("network-prohibited", new int[] {3, 9}), Map.entry("host-prohibited", new int[] {3, 10}),
            Map.entry("communication-prohibited", new int[] {3, 13}),
            Map.entry("source-quench", new int[] {4, -1}), Map.entry("redirect", new int[] {5, -1}),
            Map.entry("echo-request", new int[] {8, -1}), Map.entry("ping", new int[] {8, -1}),
            Map.entry("router-advertisement", new int[] {9, -1}), Map.entry("router-solicitation", new int[] {10, -1}),
            Map.entry("time-exceeded", new int[] {11, -1}), Map.entry("ttl-exceeded", new int[] {11, -1}),
            Map.entry("ttl-zero-during-transit", new int[] {11, 0}),
            Map.entry("parameter-problem", new int[] {12, -1}),
            Map.entry("timestamp-request", new int[] {13, -1}), Map.entry("timestamp-reply", new int[] {14, -1}));

    private static final Map<String, int[]> V6 = Map.ofEntries(
            Map.entry("destination-unreachable", new int[] {1, -1}), Map.entry("no-route", new int[] {1, 0}),
            Map.entry("communication-prohibited", new int[] {1, 1}), Map.entry("address-unreachable", new int[] {1, 3}),
            Map.entry("port-unreachable", new int[] {1, 4}), Map.entry("packet-too-big", new int[] {2, -1}),
            Map.entry("time-exceeded", new int[] {3, -1}), Map.entry("ttl-exceeded", new int[] {3, -1}),
            Map.entry("parameter-problem", new int[] {4, -1}),
            Map.entry("echo-request", new int[] {128, -1}), Map.entry("ping", new int[] {128, -1}),
            Map.entry("echo-reply", new int[] {129, -1}), Map.entry("pong", new int[] {129, -1}),
            Map.entry("router-solicitation", new int[] {133, -1}), Map.entry("router-advertisement", new int[] {134, -1}),
            Map.entry("neighbour-solicitation", new int[] {135, -1}), Map.entry("neighbor-solicitation", new int[] {135, -1}),
            Map.entry("neighbour-advertisement", new int[] {136, -1}), Map.entry("neighbor-advertisement", new int[] {136, -1}),
            Map.entry("redirect", new int[] {137, -1}));

    /** Echo request type: 8 for ICMP, 128 for ICMPv6. */
    public static int echoRequest(Family f) { return f == Family.V4 ? 8 : 128; }

    public static int echoReply(Family f) { return f == Family.V4 ? 0 : 129; }

    /** Parses a name, "TYPE" or "TYPE/CODE" into {type, code}. */
    public static Optional<int[]> parse(Family f, String s) {
        int[] named = (f == Family.V4 ? V4 : V6).get(s);
        if (named != null) return Optional.of(named.clone());
        try {
            int slash = s.indexOf('/');
            if (slash < 0) return Optional.of(new int[] {Integer.parseInt(s), -1});
            return Optional.of(new int[] {Integer.parseInt(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1))});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The canonical name iptables-save prints, or "TYPE[/CODE]" when there is none. */
    public static String name(Family f, int type, int code) {
        if (f == Family.V4 && type == 8 && code < 0) return "echo-request";
        if (f == Family.V4 && type == 0 && code < 0) return "echo-reply";
        if (f == Family.V6 && type == 128 && code < 0) return "echo-request";
        if (f == Family.V6 && type == 129 && code < 0) return "echo-reply";
        return code < 0 ? Integer.toString(type) : type + "/" + code;
    }
}
