package dev.anyloop.bgp;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * network.yaml text for BGP tests, written the way a person would: routers joined by links, servers on a LAN of
 * one or more routers, a client on each router's own client LAN, services with BGP preferences. Every segment
 * gets 10.S.S.0/24 (S its number); routers carry static routes to every subnet behind other routers (shortest
 * path over the router links), since BGP here carries service addresses only.
 */
public final class BgpNet {
    private record Seg(String name, int id, List<String> members) { }

    private final Map<String, Long> routers = new LinkedHashMap<>();
    private final List<String> servers = new ArrayList<>();
    private final List<String> clients = new ArrayList<>();
    private final List<Seg> segments = new ArrayList<>();
    private final Map<String, String> services = new LinkedHashMap<>();
    private final Map<String, String> speakers = new LinkedHashMap<>();
    private boolean v6;
    private String extra = "";

    /** A router with its own AS number, or the default plan's (null). */
    public BgpNet router(String name, Long asn) {
        routers.put(name, asn);
        if (asn != null) speakers.put(name, "asn: " + asn);
        return this;
    }

    public BgpNet router(String name) { return router(name, null); }

    /** Also give every segment an IPv6 prefix and every service an IPv6 address. */
    public BgpNet dualStack() {
        v6 = true;
        return this;
    }

    /** A point-to-point segment between two routers (or more: a shared core). */
    public BgpNet link(String... members) {
        segments.add(new Seg("l" + segments.size(), segments.size() + 1, List.of(members)));
        return this;
    }

    /** A LAN of {@code routers} with {@code servers} on it. */
    public BgpNet lan(List<String> routersOnIt, String... serversOnIt) {
        List<String> m = new ArrayList<>(routersOnIt);
        for (String s : serversOnIt) {
            if (!servers.contains(s)) servers.add(s);
            m.add(s);
        }
        segments.add(new Seg("s" + segments.size(), segments.size() + 1, m));
        return this;
    }

    /** A client behind {@code router}, on a segment of its own. */
    public BgpNet client(String name, String router) {
        clients.add(name);
        segments.add(new Seg("c" + segments.size(), segments.size() + 1, List.of(router, name)));
        return this;
    }

    /** A service with one address, announced over BGP with {@code preference}, by {@code hosts} in order. */
    public BgpNet service(String name, int address, String preference, String... hosts) {
        services.put(name, "    addresses: [10.53." + (address / 250) + "." + (address % 250 + 1) + (v6 ? ", \"fd53::" + Integer.toHexString(address + 1) + "\"" : "")
                + "]\n    ports: [udp/53]\n    hosts: [" + String.join(", ", hosts) + "]\n    #pref " + preference + "\n");
        return this;
    }

    /** Per-host BGP settings, as YAML flow mapping content ("asn: 65001, peers: [r2]"). */
    public BgpNet speaker(String host, String settings) {
        speakers.merge(host, settings, (a, b) -> a + ", " + b);
        return this;
    }

    /** More text for the bgp: section. */
    public BgpNet bgp(String lines) {
        extra += lines;
        return this;
    }

    public List<String> clients() { return List.copyOf(clients); }

    public List<String> servers() { return List.copyOf(servers); }

    public List<String> routers() { return List.copyOf(routers.keySet()); }

    /** The address of {@code host} on segment {@code s} (its place in the member list + 1). */
    private static String addr(Seg s, String host, boolean six) {
        int i = s.members().indexOf(host) + 1;
        return six ? "fd00:" + Integer.toHexString(s.id()) + "::" + Integer.toHexString(i)
                : "10." + (s.id() / 250) + "." + (s.id() % 250) + "." + i;
    }

    private static String prefix(Seg s, boolean six) {
        return six ? "fd00:" + Integer.toHexString(s.id()) + "::/64" : "10." + (s.id() / 250) + "." + (s.id() % 250) + ".0/24";
    }

    public String yaml() {
        StringBuilder sb = new StringBuilder("segments:\n");
        for (Seg s : segments) {
            sb.append("  ").append(s.name()).append(": { prefixes: [").append(prefix(s, false))
                    .append(v6 ? ", \"" + prefix(s, true) + "\"" : "").append("] }\n");
        }
        sb.append("hosts:\n");
        int r = 0;
        for (String h : routers.keySet()) {
            r++;
            sb.append("  ").append(h).append(":\n    forwarding: true\n    loopbacks: [10.255.").append(r / 250).append('.')
                    .append(r % 250 + 1).append("/32]\n    interfaces:\n");
            for (Seg s : segments) if (s.members().contains(h)) iface(sb, s, h, false);
            List<String> routes = routes(h);
            if (!routes.isEmpty()) sb.append("    routes:\n");
            for (String line : routes) sb.append("      - ").append(line).append('\n');
        }
        for (String h : servers) host(sb, h);
        for (String h : clients) host(sb, h);
        sb.append("services:\n");
        services.forEach((name, body) -> sb.append("  ").append(name).append(":\n").append(body.replaceAll("    #pref .*\n", "")));
        sb.append("bgp:\n  services:\n");
        services.forEach((name, body) -> {
            String pref = body.substring(body.indexOf("#pref ") + 6).strip();
            sb.append("    ").append(name).append(": { preference: ").append(pref).append(" }\n");
        });
        if (!speakers.isEmpty()) {
            sb.append("  speakers:\n");
            speakers.forEach((h, s) -> sb.append("    ").append(h).append(": { ").append(s).append(" }\n"));
        }
        sb.append(extra);
        return sb.toString();
    }

    private void host(StringBuilder sb, String h) {
        sb.append("  ").append(h).append(":\n    interfaces:\n");
        for (Seg s : segments) if (s.members().contains(h)) iface(sb, s, h, true);
    }

    /** An interface named after its segment; a server or client has its gateway on its first segment's first router. */
    private void iface(StringBuilder sb, Seg s, String h, boolean gateway) {
        sb.append("      ").append(s.name()).append(": { segment: ").append(s.name()).append(", addresses: [").append(addr(s, h, false))
                .append("/24").append(v6 ? ", \"" + addr(s, h, true) + "/64\"" : "").append("]");
        if (gateway && firstSegment(h) == s) {
            String gw = s.members().get(0);
            sb.append(", gateway: [").append(addr(s, gw, false)).append(v6 ? ", \"" + addr(s, gw, true) + "\"" : "").append("]");
        }
        sb.append(" }\n");
    }

    private Seg firstSegment(String h) {
        for (Seg s : segments) if (s.members().contains(h)) return s;
        throw new IllegalStateException(h + " is on no segment");
    }

    /** Static routes from router {@code h} to every segment it is not on, via the first hop of a shortest router path. */
    private List<String> routes(String h) {
        Map<String, String> firstHop = new HashMap<>();
        Map<String, Seg> via = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(h));
        firstHop.put(h, h);
        while (!queue.isEmpty()) {
            String u = queue.poll();
            for (Seg s : segments) {
                if (!s.members().contains(u)) continue;
                for (String v : s.members()) {
                    if (!routers.containsKey(v) || firstHop.containsKey(v)) continue;
                    firstHop.put(v, u.equals(h) ? v : firstHop.get(u));
                    if (u.equals(h)) via.put(v, s);
                    queue.add(v);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Seg s : segments) {
            if (s.members().contains(h)) continue;
            String owner = s.members().stream().filter(m -> routers.containsKey(m) && firstHop.containsKey(m)).findFirst().orElse(null);
            if (owner == null) continue;
            String hop = firstHop.get(owner);
            Seg on = via.get(hop);
            out.add("{ to: " + prefix(s, false) + ", via: " + addr(on, hop, false) + " }");
            if (v6) out.add("{ to: \"" + prefix(s, true) + "\", via: \"" + addr(on, hop, true) + "\" }");
        }
        return out;
    }

    public Intent intent() {
        try {
            return IntentLoader.parse("bgpnet.yaml", yaml().getBytes(StandardCharsets.UTF_8));
        } catch (dev.anyloop.intent.ConfigException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + yaml(), e);
        }
    }
}
