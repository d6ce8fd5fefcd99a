package dev.anyloop.intent;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.Routing;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The static routes anyloop derives for services with {@code routing: static} (T2/T7 past one router): every
 * forwarding host R that does not serve service s gets, for each service host H_i (preference order i) it can
 * reach, {@code X via NEXT dev R_if metric i+1}, NEXT being the neighbour on R's shortest path (fewest hops over
 * segments) toward H_i. Transit hops are forwarding hosts that do not serve s themselves (a packet for X entering a
 * host of s is delivered there). Ties go to the host, then interface, first in the file. When a host of s is
 * reachable from R only through a host with {@code forwarding: false}, the route is still derived along that path,
 * so the simulator says FORWARDING_DISABLED where the packet stops (not a bare NO_ROUTE on R), and validate warns.
 *
 * <p>Metric order is kept: R's metric-1 route always leads toward the first service host, whatever the path
 * lengths. Pure; works on an intent with errors too (undefined names are skipped), since the validator uses it.
 */
public final class ServicePaths {
    /**
     * One derived route on {@code router} for {@code address} of {@code service}, toward service host {@code target}
     * (its {@code index} in the preference order), out {@code dev} to neighbour {@code nextHost} at {@code via};
     * {@code path} runs from the router to the target; {@code blockedBy} names the first host on it that does not
     * forward.
     */
    public record Hop(String service, int index, String target, String router, Ip address, Ip via, String dev,
                      String nextHost, List<String> path, Optional<String> blockedBy) {
        public Hop { path = List.copyOf(path); }

        /** The route metric: the target's place in the preference order, from 1. */
        public int metric() { return index + 1; }
    }

    private final Map<String, List<Hop>> byRouter;

    private ServicePaths(Map<String, List<Hop>> byRouter) { this.byRouter = byRouter; }

    /** Every derived route of the intent. */
    public static ServicePaths of(Intent intent) { return new Builder(intent).build(); }

    /** The derived routes on {@code router}, in service order, then preference order, then address order. */
    public List<Hop> on(String router) { return byRouter.getOrDefault(router, List.of()); }

    /** Every derived route, router by router in file order. */
    public List<Hop> all() {
        List<Hop> out = new ArrayList<>();
        byRouter.values().forEach(out::addAll);
        return out;
    }

    /** One breadth-first search per service host and family, over the segments. */
    private static final class Builder {
        private final Intent intent;
        /** Per family: segment name -> the hosts with an address of that family on it, in file order. */
        private final Map<Family, Map<String, List<String>>> members = new HashMap<>();
        private final Map<String, List<Hop>> out = new LinkedHashMap<>();

        Builder(Intent intent) {
            this.intent = intent;
            for (Family f : Family.values()) {
                Map<String, List<String>> m = new HashMap<>();
                for (HostDef h : intent.hosts().values()) {
                    for (InterfaceDef i : h.interfaces().values()) {
                        if (address(i, f).isEmpty()) continue;
                        List<String> list = m.computeIfAbsent(i.segment(), k -> new ArrayList<>());
                        if (list.isEmpty() || !list.get(list.size() - 1).equals(h.name())) list.add(h.name());
                    }
                }
                members.put(f, m);
            }
            for (HostDef h : intent.hosts().values()) if (h.forwarding()) out.put(h.name(), new ArrayList<>());
        }

        ServicePaths build() {
            // service order, then preference order (metric 1 first), then address order on every router
            for (ServiceDef s : intent.services().values()) {
                if (s.routing() != Routing.STATIC) continue;
                for (int i = 0; i < s.hosts().size(); i++) {
                    if (!intent.hosts().containsKey(s.hosts().get(i))) continue;
                    for (Ip x : s.addresses()) for (Hop hop : toward(s, i, x)) out.get(hop.router()).add(hop);
                }
            }
            Map<String, List<Hop>> frozen = new LinkedHashMap<>();
            out.forEach((r, hops) -> frozen.put(r, Collections.unmodifiableList(hops)));
            return new ServicePaths(frozen);
        }

        /** The routes toward service host number {@code index} of {@code s} for address {@code x}, on every router. */
        private List<Hop> toward(ServiceDef s, int index, Ip x) {
            String target = s.hosts().get(index);
            Family f = x.family();
            Set<String> serving = new HashSet<>(s.hosts());
            Map<String, String> parent = search(target, f, serving, false);
            Map<String, String> blocked = null;
            List<Hop> hops = new ArrayList<>();
            for (HostDef r : intent.hosts().values()) {
                if (!r.forwarding() || serving.contains(r.name())) continue;
                Map<String, String> tree = parent;
                if (!parent.containsKey(r.name())) {
                    if (blocked == null) blocked = search(target, f, serving, true);
                    if (!blocked.containsKey(r.name())) continue;
                    tree = blocked;
                }
                List<String> path = new ArrayList<>();
                for (String n = r.name(); n != null; n = tree.get(n)) path.add(n);
                String next = path.get(1);
                Optional<String> blocker = path.subList(1, path.size() - 1).stream()
                        .filter(n -> !intent.hosts().get(n).forwarding()).findFirst();
                link(r, intent.hosts().get(next), f).ifPresent(l -> hops.add(new Hop(s.name(), index, target, r.name(), x,
                        l.via, l.dev, next, path, blocker)));
            }
            return hops;
        }

        /**
         * Breadth-first from {@code target}: each host found maps to its neighbour one hop closer to the target (the
         * target maps to nothing and is absent). Only the target and transit hosts are expanded: forwarding hosts
         * not serving the service, and with {@code anyTransit} non-forwarding ones too.
         */
        private Map<String, String> search(String target, Family f, Set<String> serving, boolean anyTransit) {
            Map<String, List<String>> seg = members.get(f);
            Map<String, String> parent = new HashMap<>();
            Set<String> seen = new HashSet<>(List.of(target));
            Set<String> expandedSegments = new HashSet<>();
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(target));
            while (!queue.isEmpty()) {
                String u = queue.poll();
                HostDef hu = intent.hosts().get(u);
                boolean transit = u.equals(target) || (!serving.contains(u) && (anyTransit || hu.forwarding()));
                if (!transit) continue;
                for (InterfaceDef i : hu.interfaces().values()) {
                    if (address(i, f).isEmpty() || !expandedSegments.add(i.segment())) continue;
                    for (String v : seg.getOrDefault(i.segment(), List.of())) {
                        if (seen.add(v)) {
                            parent.put(v, u);
                            queue.add(v);
                        }
                    }
                }
            }
            return parent;
        }
    }

    /** The way from a router to a neighbour: out the router's interface, to the neighbour's address. */
    private record Link(Ip via, String dev) { }

    /**
     * The first of the router's interfaces (file order) on a segment where {@code next} has an address of family
     * {@code f}, and that address. One route per metric only: IPv4 refuses a second route with the same destination
     * and metric (EEXIST), so a multi-homed pair uses its first shared segment.
     */
    private static Optional<Link> link(HostDef router, HostDef next, Family f) {
        for (InterfaceDef ri : router.interfaces().values()) {
            if (address(ri, f).isEmpty()) continue;
            for (InterfaceDef ni : next.interfaces().values()) {
                if (!ni.segment().equals(ri.segment())) continue;
                Optional<Ip> a = address(ni, f);
                if (a.isPresent()) return Optional.of(new Link(a.get(), ri.name()));
            }
        }
        return Optional.empty();
    }

    /** The interface's first address of family {@code f} that can be a next hop: a global one (link-local addresses need the device). */
    private static Optional<Ip> address(InterfaceDef i, Family f) {
        for (InterfaceAddress a : i.addresses()) if (a.family() == f && !a.ip().isLinkLocal()) return Optional.of(a.ip());
        return Optional.empty();
    }
}
