package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code ip -json route show table all} and {@code ip -6 -json route show table all}.
 *
 * <p>Without {@code -4}, "table all" dumps both families (iproute2 only narrows an unspecified family to
 * inet when a single table is asked for), and both families print the default route as "default", so the
 * family of each entry is worked out from the entry itself; see {@link #family}.
 */
public final class IpRouteParser {
    private IpRouteParser() { }

    /** Parses every route; {@code expected} is the family the file must hold, or empty for a mixed dump. */
    public static List<Route> parse(String file, String json, Optional<Family> expected) throws SnapshotException {
        List<Route> out = new ArrayList<>();
        for (Json r : Json.parseArray(file, json)) out.add(route(r, expected));
        return out;
    }

    private static Route route(Json r, Optional<Family> expected) throws SnapshotException {
        String typeText = r.optString("type").orElse("unicast");
        Route.Type type;
        try {
            type = Route.Type.parse(typeText);
        } catch (IllegalArgumentException e) {
            throw r.require("type").error("expected unicast, local, broadcast, multicast, anycast, blackhole, unreachable,"
                    + " prohibit or throw, found '" + typeText + "'");
        }
        Family family = family(r, expected);
        Prefix dst = dst(r.require("dst"), family);

        int table = Route.TABLE_MAIN;
        Optional<Json> t = r.field("table");
        if (t.isPresent()) {
            String s = t.get().asString();
            try {
                table = Route.parseTable(s);
            } catch (IllegalArgumentException e) {
                throw t.get().error("expected main, local, default or a table number, found '" + s + "'");
            }
        }

        List<NextHop> hops = new ArrayList<>();
        Optional<Json> multi = r.field("nexthops");
        if (multi.isPresent()) {
            for (Json h : multi.get().elements()) {
                Optional<Ip> via = gateway(h);
                long weight = h.optLong("weight").orElse(1L);
                hops.add(new NextHop(via, h.string("dev"), (int) weight));
            }
        } else if (r.has("dev") && !discards(type)) {
            hops.add(new NextHop(gateway(r), r.string("dev"), 1));
        } else if (r.has("gateway") && !discards(type)) {
            throw r.require("gateway").error("expected a dev next to the gateway, found none");
        }
        // The kernel hangs IPv6 reject routes (blackhole, unreachable, prohibit, throw) on lo and ip prints
        // "dev lo"; IPv4 ones have no device. Neither forwards anything, so neither keeps a next hop.

        long metric = r.optLong("metric").orElse(0L);
        if (metric < 0 || metric > 0xffffffffL) throw r.require("metric").error("expected 0-4294967295, found " + metric);
        Optional<Ip> src = r.optIp("prefsrc");
        if (src.isPresent() && src.get().family() != family) {
            throw r.require("prefsrc").error("expected an " + family.word() + " address, found '" + src.get() + "'");
        }
        // ip leaves "protocol" out exactly when it is RTPROT_BOOT (3), the protocol of a plain "ip route add"
        String proto = r.optString("protocol").orElse("boot");
        String scopeText = r.optString("scope").orElse("global");
        Route.Scope scope;
        try {
            scope = Route.Scope.parse(scopeText);
        } catch (IllegalArgumentException e) {
            throw r.require("scope").error("expected global, link or host, found '" + scopeText + "'");
        }
        return new Route(type, dst, table, hops, (int) metric, src, proto, scope);
    }

    private static boolean discards(Route.Type t) {
        return t == Route.Type.BLACKHOLE || t == Route.Type.UNREACHABLE || t == Route.Type.PROHIBIT || t == Route.Type.THROW;
    }

    /**
     * The family of one entry: from its destination unless that is "default", else from a gateway or
     * preferred source, else from "pref" (the kernel sends RTA_PREF only for IPv6 routes), else IPv4.
     */
    static Family family(Json r, Optional<Family> expected) throws SnapshotException {
        Optional<Family> seen = Optional.empty();
        String dst = r.string("dst");
        if (!dst.equals("default")) {
            String addr = dst.contains("/") ? dst.substring(0, dst.indexOf('/')) : dst;
            seen = Ip.tryParse(addr).map(Ip::family);
            if (seen.isEmpty()) throw r.require("dst").error("expected \"default\", ADDR or ADDR/LEN, found '" + dst + "'");
        }
        if (seen.isEmpty()) seen = r.optIp("prefsrc").map(Ip::family);
        if (seen.isEmpty()) {
            Optional<Json> multi = r.field("nexthops");
            Json first = multi.isPresent() && !multi.get().elements().isEmpty() ? multi.get().elements().get(0) : r;
            if (first.has("gateway")) seen = Optional.of(first.require("gateway").asIp().family());
        }
        if (seen.isEmpty() && r.has("pref")) seen = Optional.of(Family.V6);
        Family f = seen.orElse(expected.orElse(Family.V4));
        if (expected.isPresent() && expected.get() != f) {
            throw r.require("dst").error("expected an " + expected.get().word() + " route in this file, found an "
                    + f.word() + " one ('" + dst + "')");
        }
        return f;
    }

    /** "default", a bare address (a host route: ip leaves out /32 and /128) or ADDR/LEN, masked if needed. */
    private static Prefix dst(Json d, Family family) throws SnapshotException {
        String s = d.asString();
        if (s.equals("default")) return Prefix.any(family);
        int slash = s.indexOf('/');
        Ip ip = Ip.parse(slash < 0 ? s : s.substring(0, slash));
        if (ip.family() != family) throw d.error("expected an " + family.word() + " prefix, found '" + s + "'");
        if (slash < 0) return Prefix.host(ip);
        String len = s.substring(slash + 1);
        int n;
        try {
            n = Integer.parseInt(len);
        } catch (NumberFormatException e) {
            throw d.error("expected a prefix length after '/', found '" + len + "'");
        }
        if (n < 0 || n > family.bits()) throw d.error("expected a length 0-" + family.bits() + ", found " + n);
        // the kernel stores routes canonical; a hand-written file may not be, and means the same network
        return Prefix.containing(ip, n);
    }

    /** "gateway": "ADDR", or "via": {"family": "inet6", "host": "ADDR"} for a gateway of the other family. */
    private static Optional<Ip> gateway(Json h) throws SnapshotException {
        Optional<Ip> gw = h.optIp("gateway");
        if (gw.isPresent()) return gw;
        Optional<Json> via = h.field("via");
        if (via.isPresent()) return Optional.of(via.get().require("host").asIp());
        return Optional.empty();
    }
}
