package dev.anyloop.graph;

import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Badge;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.Role;
import dev.anyloop.graph.Topology.RoutedPath;
import dev.anyloop.graph.Topology.SegmentNode;
import dev.anyloop.graph.Topology.Service;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.sim.Fib;
import dev.anyloop.sim.FibResult;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Network (+ intent, when there is one) -> {@link Topology}. Pure. Services come from network.yaml when it
 * is given; from a snapshot alone, every global address on a loopback or dummy device (127/8 and ::1 aside)
 * is a service of its own, its hosts ordered by the metrics of the routes forwarding hosts hold to it.
 */
public final class TopologyBuilder {
    private final Network network;
    private final Optional<Intent> intent;
    private final Map<Ip, String> owner = new HashMap<>();
    private final Map<String, Fib> fibs = new HashMap<>();

    private TopologyBuilder(Network network, Optional<Intent> intent) {
        this.network = network;
        this.intent = intent;
        for (DeviceState d : network.hosts().values()) {
            for (Address a : d.addresses()) owner.putIfAbsent(a.address().ip(), d.host());
        }
    }

    public static Topology of(Network network, Optional<Intent> intent) {
        return new TopologyBuilder(network, intent).build();
    }

    private Topology build() {
        List<SegmentNode> segments = network.segments().stream().map(this::segment).toList();
        List<Attachment> attachments = attachments();
        Map<Ip, List<RoutedPath>> paths = new LinkedHashMap<>();
        List<Service> services = intent.isPresent() ? declared(intent.get()) : List.of();
        Set<Ip> addresses = new LinkedHashSet<>();
        services.forEach(s -> addresses.addAll(s.addresses()));
        Map<Ip, List<String>> carried = intent.isPresent() ? Map.of() : loopbackAddresses();
        addresses.addAll(carried.keySet());
        for (Ip x : addresses) paths.put(x, paths(x));
        if (intent.isEmpty()) services = derived(carried, paths);
        List<Host> hosts = hosts(services);
        return new Topology(hosts, segments, attachments, services, paths.values().stream().flatMap(List::stream).toList());
    }

    private SegmentNode segment(Segment s) {
        Optional<Intent.SegmentDef> def = intent.map(i -> i.segments().get(s.name()));
        if (def.isPresent()) return new SegmentNode(s.name(), def.get().prefixes());
        Set<Prefix> ps = new TreeSet<>();
        for (Segment.Port p : s.ports()) {
            network.host(p.host()).ifPresent(d -> d.addressesOn(p.dev()).stream().filter(a -> a.scope() == Address.Scope.GLOBAL)
                    .forEach(a -> ps.add(a.address().network())));
        }
        return new SegmentNode(s.name(), List.copyOf(ps));
    }

    /** Host by host, interface by interface: each interface some segment holds. */
    private List<Attachment> attachments() {
        List<Attachment> out = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) {
            for (Link l : d.links()) {
                Optional<Segment> s = network.segmentOf(d.host(), l.name());
                if (s.isEmpty()) continue;
                List<InterfaceAddress> addrs = d.addressesOn(l.name()).stream().filter(a -> a.scope() == Address.Scope.GLOBAL)
                        .map(Address::address).toList();
                out.add(new Attachment(d.host(), l.name(), s.get().name(), addrs));
            }
        }
        return out;
    }

    private List<Host> hosts(List<Service> services) {
        Map<String, List<Badge>> badges = new LinkedHashMap<>();
        for (Service s : services) {
            for (int i = 0; i < s.hosts().size(); i++) {
                for (Ip a : s.addresses()) {
                    badges.computeIfAbsent(s.hosts().get(i), k -> new ArrayList<>()).add(new Badge(s.name(), a, i + 1, s.hosts().size()));
                }
            }
        }
        List<Host> out = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) {
            Optional<Intent.HostDef> def = intent.map(i -> i.hosts().get(d.host()));
            Role role = intent.isPresent() && def.isEmpty() ? Role.CONTAINER
                    : def.map(Intent.HostDef::forwarding).orElseGet(() -> forwards(d)) ? Role.ROUTER : Role.HOST;
            out.add(new Host(d.host(), role, def.flatMap(Intent.HostDef::comment), badges.getOrDefault(d.host(), List.of())));
        }
        return out;
    }

    private static boolean forwards(DeviceState d) { return d.sysctls().ipv4Forwarding() || d.sysctls().ipv6Forwarding(); }

    /**
     * A host whose routes to service addresses the graph shows: with network.yaml, one it declares
     * {@code forwarding: true} (a Docker host forwards for its bridge only); from a snapshot, one that forwards.
     */
    private boolean router(DeviceState d, Family f) {
        if (intent.isPresent()) {
            Intent.HostDef def = intent.get().hosts().get(d.host());
            if (def != null) return def.forwarding();
        }
        return forwards(d, f);
    }

    private static boolean forwards(DeviceState d, Family f) {
        return f == Family.V4 ? d.sysctls().ipv4Forwarding() : d.sysctls().ipv6Forwarding();
    }

    private List<Service> declared(Intent in) {
        List<Service> out = new ArrayList<>();
        for (ServiceDef s : in.services().values()) {
            out.add(new Service(s.name(), s.addresses(), s.hosts(), s.ports(), true, s.comment()));
        }
        return out;
    }

    /** Global addresses on loopback and dummy devices, each with the hosts that carry it. */
    private Map<Ip, List<String>> loopbackAddresses() {
        Map<Ip, List<String>> out = new LinkedHashMap<>();
        for (DeviceState d : network.hosts().values()) {
            for (Address a : d.addresses()) {
                Ip ip = a.address().ip();
                if (a.scope() != Address.Scope.GLOBAL || ip.isLoopback() || ip.isLinkLocal() || !onLoopback(d, a.dev())) continue;
                List<String> hs = out.computeIfAbsent(ip, k -> new ArrayList<>());
                if (!hs.contains(d.host())) hs.add(d.host());
            }
        }
        return out;
    }

    private static boolean onLoopback(DeviceState d, String dev) {
        if (dev.equals("lo")) return true;
        return d.link(dev).map(l -> l.kind() == Link.Kind.LOOPBACK || l.kind() == Link.Kind.DUMMY).orElse(false);
    }

    /** A snapshot's services: one per loopback address, hosts ordered by the best route through them. */
    private List<Service> derived(Map<Ip, List<String>> carried, Map<Ip, List<RoutedPath>> paths) {
        List<Service> out = new ArrayList<>();
        for (Map.Entry<Ip, List<String>> e : carried.entrySet()) {
            Ip x = e.getKey();
            List<RoutedPath> ps = paths.getOrDefault(x, List.of());
            List<String> hosts = e.getValue().stream().sorted(Comparator.comparingLong((String h) -> ps.stream()
                    .filter(p -> p.via().equals(h)).mapToLong(p -> Integer.toUnsignedLong(p.metric())).min().orElse(Long.MAX_VALUE)))
                    .toList();
            out.add(new Service(x.toString(), List.of(x), hosts, ports(x, hosts), false, Optional.empty()));
        }
        return out;
    }

    /** The ports of sockets bound to {@code x} on its hosts; when none is, the wildcard ones that accept it. */
    private List<PortDef> ports(Ip x, List<String> hosts) {
        Set<PortDef> bound = new LinkedHashSet<>();
        Set<PortDef> wildcard = new LinkedHashSet<>();
        for (String h : hosts) {
            for (Listener l : network.hosts().get(h).listeners()) {
                if (!l.accepts(l.proto(), x, l.port())) continue;
                (l.address().isZero() ? wildcard : bound).add(new PortDef(l.proto(), l.port()));
            }
        }
        return List.copyOf(bound.isEmpty() ? wildcard : bound);
    }

    /**
     * The routes forwarding hosts hold to {@code x}, as the kernel's lookup answers it (policy rules, longest
     * prefix, every candidate of that prefix by metric), kept where the gateway is a host that carries
     * {@code x} or forwards further: a default route to an upstream that knows nothing of x is not a path to it.
     */
    private List<RoutedPath> paths(Ip x) {
        List<RoutedPath> out = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) {
            if (!router(d, x.family()) || d.hasAddress(x)) continue;
            Fib fib = fibs.computeIfAbsent(d.host() + "/" + x.family(), k -> Fib.of(d, x.family()));
            FibResult r = fib.lookup(x, Ip.zero(x.family()), "");
            // the default route is the way to everything, not a path to a service address
            if (!r.found() || r.type() != Route.Type.UNICAST || r.route().get().dst().length() == 0) continue;
            List<Route> candidates = r.candidates().isEmpty() ? List.of(r.route().get()) : r.candidates();
            for (int i = 0; i < candidates.size(); i++) {
                Route route = candidates.get(i);
                for (NextHop nh : route.nexthops()) {
                    if (nh.via().isEmpty()) continue;
                    String via = owner.get(nh.via().get());
                    if (via == null || via.equals(d.host())) continue;
                    DeviceState v = network.hosts().get(via);
                    if (!v.hasAddress(x) && !router(v, x.family())) continue;
                    out.add(new RoutedPath(d.host(), x, via, nh.via().get(), nh.dev(), route.dst(), route.metric(), i + 1));
                }
            }
        }
        return out;
    }
}
