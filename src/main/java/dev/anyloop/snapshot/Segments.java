package dev.anyloop.snapshot;

import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Works out which interfaces share an L2 segment. Each links.txt cable is a two-port segment. Every other
 * interface (lo never) with a global address joins the interfaces whose connected networks overlap its
 * own, as a shared bridge or switch would join them; such a group is named "auto-" and its widest network.
 */
public final class Segments {
    private Segments() { }

    public static List<Segment> build(Map<String, DeviceState> hosts, List<LinksParser.Cable> cables) {
        List<Segment> out = new ArrayList<>();
        Set<Segment.Port> cabled = new HashSet<>();
        for (LinksParser.Cable c : cables) {
            out.add(new Segment(c.a() + "--" + c.b(), List.of(c.a(), c.b())));
            cabled.add(c.a());
            cabled.add(c.b());
        }
        // ports in host, then interface order, each with the networks of its global addresses
        Map<Segment.Port, List<Prefix>> nets = new LinkedHashMap<>();
        for (DeviceState d : hosts.values()) {
            for (Link l : d.links()) {
                Segment.Port p = new Segment.Port(d.host(), l.name());
                if (l.kind() == Link.Kind.LOOPBACK || l.name().equals("lo") || cabled.contains(p)) continue;
                List<Prefix> ps = new ArrayList<>();
                for (Address a : d.addressesOn(l.name())) {
                    if (a.scope() == Address.Scope.GLOBAL) ps.add(a.address().network());
                }
                if (!ps.isEmpty()) nets.put(p, ps);
            }
        }
        List<Segment.Port> ports = new ArrayList<>(nets.keySet());
        int[] parent = new int[ports.size()];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int i = 0; i < ports.size(); i++) {
            for (int j = i + 1; j < ports.size(); j++) {
                if (overlap(nets.get(ports.get(i)), nets.get(ports.get(j)))) union(parent, i, j);
            }
        }
        Map<Integer, List<Segment.Port>> groups = new TreeMap<>();
        for (int i = 0; i < ports.size(); i++) groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(ports.get(i));
        for (List<Segment.Port> g : groups.values()) {
            Prefix name = g.stream().flatMap(p -> nets.get(p).stream())
                    .min(Comparator.comparing((Prefix p) -> p.family()).thenComparingInt(Prefix::length)
                            .thenComparing(Comparator.naturalOrder())).orElseThrow();
            out.add(new Segment("auto-" + name, g));
        }
        return out;
    }

    private static boolean overlap(List<Prefix> a, List<Prefix> b) {
        for (Prefix x : a) for (Prefix y : b) if (x.overlaps(y)) return true;
        return false;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
