package dev.anyloop.intent;

import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks that need the whole file: references between sections, addresses against segments, unique
 * addresses, and whether routes, gateways and source addresses make sense on their host.
 * Reading errors have been reported already; a check whose input was broken is skipped.
 */
final class Validator {
    private final Intent intent;
    private final Problems problems;

    Validator(Intent intent, Problems problems) {
        this.intent = intent;
        this.problems = problems;
    }

    /** Runs every check; returns the warnings (things that work but cannot do what they seem to). */
    List<Diagnostic> run() {
        segmentOverlaps();
        for (SegmentDef s : intent.segments().values()) reach(s);
        for (HostDef h : intent.hosts().values()) {
            labNames(h);
            for (InterfaceDef i : h.interfaces().values()) addressesInSegment(h, i);
            gateways(h);
            for (RouteDef r : h.routes()) new RouteCheck(h, r).run();
        }
        uniqueAddresses();
        for (ServiceDef s : intent.services().values()) serviceReferences(s);
        ServicePaths paths = ServicePaths.of(intent);
        new RouteCollisions(intent, problems, paths).run();
        new SocketConflicts(intent, problems).run();
        for (SourceDef s : intent.sources()) source(s, paths);
        for (ExpectDef e : intent.expectations()) expectation(e);
        new Contradictions(intent, problems).run();
        return new Warnings(intent, problems, paths).all();
    }

    /** The lab names a multi-access segment's switch namespace al-LAB-sw-SEGMENT: a host of that name would take it. */
    private void labNames(HostDef h) {
        if (h.name().startsWith(SWITCH_PREFIX) && intent.segments().containsKey(h.name().substring(SWITCH_PREFIX.length()))) {
            problems.at("hosts/" + h.name(), "host name '" + h.name() + "' is the lab's name for segment "
                    + h.name().substring(SWITCH_PREFIX.length()) + "'s switch (namespace al-LAB-" + h.name()
                    + "): rename the host");
        }
    }

    /** What the lab puts before a segment's name for its switch namespace (lab.LabPlan). */
    static final String SWITCH_PREFIX = "sw-";

    /** The longest name of a segment with may-reach: its chain AL-SEG-NAME must fit xtables' 28 characters. */
    static final int MAX_FENCED_SEGMENT = 21;

    /** may-reach names defined segments. */
    private void reach(SegmentDef s) {
        s.reach().ifPresent(r -> {
            if (s.name().length() > MAX_FENCED_SEGMENT) {
                problems.at("segments/" + s.name() + "/may-reach", "segment " + s.name() + ": may-reach: the fence is chain AL-SEG-"
                        + s.name() + ", over iptables' 28 characters: a fenced segment's name has at most " + MAX_FENCED_SEGMENT);
            }
            for (int k = 0; k < r.segments().size(); k++) {
                String seg = r.segments().get(k);
                if (!intent.segments().containsKey(seg)) {
                    problems.add(r.segmentPositions().get(k), "segment " + s.name() + ": may-reach: segment '" + seg
                            + "' is not defined" + Names.didYouMean(seg, intent.segments().keySet()) + " (or write 'internet')");
                }
            }
        });
    }

    private void segmentOverlaps() {
        List<SegmentDef> segs = new ArrayList<>(intent.segments().values());
        for (int a = 0; a < segs.size(); a++) {
            for (int k = 0; k < segs.get(a).prefixes().size(); k++) {
                Prefix p = segs.get(a).prefixes().get(k);
                for (int b = 0; b <= a; b++) {
                    List<Prefix> others = segs.get(b).prefixes();
                    for (int j = 0; j < (b == a ? k : others.size()); j++) {
                        if (!others.get(j).overlaps(p)) continue;
                        problems.at("segments/" + segs.get(a).name() + "/prefixes[" + k + "]", "segment " + segs.get(a).name()
                                + ": prefix " + p + " overlaps " + others.get(j) + " of segment " + segs.get(b).name());
                    }
                }
            }
        }
    }

    /** Each address must sit in one of its segment's prefixes, with that prefix's length (one L2 network, one subnet). */
    private void addressesInSegment(HostDef h, InterfaceDef i) {
        String path = ifacePath(h, i);
        String ctx = "host " + h.name() + ": interface " + i.name() + ": ";
        if (i.segment().isEmpty()) return; // missing: reported by the reader
        SegmentDef seg = intent.segments().get(i.segment());
        if (seg == null) {
            problems.at(path + "/segment", ctx + "segment '" + i.segment() + "' is not defined"
                    + Names.didYouMean(i.segment(), intent.segments().keySet()));
            return;
        }
        if (problems.broken("segments/" + seg.name())) return;
        for (int k = 0; k < i.addresses().size(); k++) {
            InterfaceAddress a = i.addresses().get(k);
            // fe80::/10 is on every IPv6 link, whatever its prefixes (the kernel gives each interface one)
            if (a.family() == Family.V6 && a.ip().isLinkLocal()) continue;
            Optional<Prefix> home = seg.prefixes().stream().filter(p -> p.contains(a.ip())).findFirst();
            String at = path + "/addresses[" + k + "]";
            if (home.isEmpty()) {
                problems.at(at, ctx + "address " + a + " is outside every prefix of segment " + seg.name() + " ("
                        + join(seg.prefixes()) + ")");
            } else if (home.get().length() != a.length()) {
                problems.at(at, ctx + "address " + a + " has length /" + a.length() + ", but segment " + seg.name()
                        + "'s prefix " + home.get() + " has /" + home.get().length());
            }
        }
    }

    /** A gateway must be on-link, and a host has at most one default route per family. */
    private void gateways(HostDef h) {
        Map<Family, Ip> seen = new HashMap<>();
        for (InterfaceDef i : h.interfaces().values()) {
            String ctx = "host " + h.name() + ": interface " + i.name() + ": ";
            for (int k = 0; k < i.gateways().size(); k++) {
                Ip gw = i.gateways().get(k);
                String at = ifacePath(h, i) + "/gateway[" + k + "]";
                Ip first = seen.putIfAbsent(gw.family(), gw);
                if (first != null) {
                    problems.at(at, ctx + "gateway " + gw + ": host " + h.name() + " already has an " + word(gw.family())
                            + " gateway (" + first + "); at most one per family");
                } else if (i.addresses().stream().anyMatch(a -> a.ip().equals(gw))) {
                    problems.at(at, ctx + "gateway " + gw + " is this interface's own address");
                } else if (gw.family() == Family.V6 && gw.isLinkLocal()) {
                    linkLocalGateway(h, i, gw, at, ctx);
                } else if (!problems.broken(ifacePath(h, i) + "/addresses")
                        && i.addresses().stream().noneMatch(a -> a.network().contains(gw))) {
                    problems.at(at, ctx + "gateway " + gw + " is outside the interface's subnets ("
                            + (i.addresses().isEmpty() ? "it has no addresses" : join(networks(i))) + ")");
                }
            }
        }
    }

    /**
     * A router-advertised gateway is the router's link-local address, on-link through this interface whatever the
     * prefixes: some other host must have it on this segment, or no neighbour would answer for it.
     */
    private void linkLocalGateway(HostDef h, InterfaceDef i, Ip gw, String at, String ctx) {
        if (i.addresses().stream().noneMatch(a -> a.family() == Family.V6)) {
            problems.at(at, ctx + "gateway " + gw + " is IPv6, but the interface has no IPv6 address");
            return;
        }
        for (HostDef o : intent.hosts().values()) {
            if (o == h) continue;
            for (InterfaceDef oi : o.interfaces().values()) {
                if (oi.segment().equals(i.segment()) && oi.addresses().stream().anyMatch(a -> a.ip().equals(gw))) return;
            }
        }
        problems.at(at, ctx + "gateway " + gw + " is link-local, and no other host on segment " + i.segment()
                + " has it: give the router's interface there the address (addresses: [" + gw + "/64])");
    }

    /** One owner per unicast address: interfaces and loopbacks of all hosts, then service addresses. */
    private void uniqueAddresses() {
        Map<Ip, String> owner = new HashMap<>();
        Map<String, String> linkLocal = new HashMap<>();
        for (HostDef h : intent.hosts().values()) {
            for (InterfaceDef i : h.interfaces().values()) {
                for (int k = 0; k < i.addresses().size(); k++) {
                    Ip ip = i.addresses().get(k).ip();
                    String at = ifacePath(h, i) + "/addresses[" + k + "]", ctx = "host " + h.name() + ": interface " + i.name() + ": ";
                    String label = "host " + h.name() + " interface " + i.name();
                    // a link-local address needs to be unique on its link only: every router may be fe80::1
                    if (ip.isLinkLocal() && ip.family() == Family.V6) claim(linkLocal, i.segment() + " " + ip, label, ip, at, ctx);
                    else claim(owner, ip, label, at, ctx);
                }
            }
            for (int k = 0; k < h.loopbacks().size(); k++) {
                claim(owner, h.loopbacks().get(k).ip(), "host " + h.name() + " loopback",
                        "hosts/" + h.name() + "/loopbacks[" + k + "]", "host " + h.name() + ": loopback ");
            }
        }
        Map<Ip, ServiceDef> service = new HashMap<>();
        for (ServiceDef s : intent.services().values()) {
            Set<Ip> mine = new HashSet<>();
            for (int k = 0; k < s.addresses().size(); k++) {
                Ip ip = s.addresses().get(k);
                String at = "services/" + s.name() + "/addresses[" + k + "]";
                String ctx = "service " + s.name() + ": ";
                String host = owner.get(ip);
                ServiceDef other = service.putIfAbsent(ip, s);
                if (host != null) {
                    problems.at(at, ctx + "address " + ip + " is also an address of " + host
                            + " (a service address lives only on lo of the service's hosts)");
                } else if (!mine.add(ip)) {
                    problems.at(at, ctx + "address " + ip + " is listed twice");
                } else if (segmentHolding(ip).isPresent()) {
                    // on-link for the segment's hosts: they resolve X as a neighbour instead of routing it. IPv4: every
                    // service host answers ARP for it (arp_ignore=0 answers for any local address), so the routes' metric
                    // order does not decide; IPv6: ndisc_recv_ns answers only for the receiving interface's addresses
                    Map.Entry<SegmentDef, Prefix> seg = segmentHolding(ip).get();
                    problems.at(at, ctx + "address " + ip + " is inside segment " + seg.getKey().name() + "'s prefix "
                            + seg.getValue() + ": hosts there take it for on-link and resolve it as a neighbour instead of "
                            + "routing it to the service host (" + (ip.isV4() ? "every service host answers ARP for it, whatever"
                            + " the routes' order" : "no host answers neighbour discovery for an address on lo")
                            + "): use an address outside every segment");
                } else if (other != null && (!other.hosts().equals(s.hosts()) || other.routing() != s.routing())) {
                    // services may share an address with different ports, but the address has one set of routes
                    problems.at(at, ctx + "address " + ip + " is already the address of service " + other.name()
                            + " on hosts " + other.hosts() + (other.routing() != s.routing() ? " with routing "
                            + other.routing().name().toLowerCase(java.util.Locale.ROOT) : "")
                            + ": services sharing an address need the same hosts in the same order and the same routing");
                }
            }
        }
    }

    private Optional<Map.Entry<SegmentDef, Prefix>> segmentHolding(Ip ip) {
        for (SegmentDef seg : intent.segments().values()) {
            for (Prefix p : seg.prefixes()) if (p.contains(ip)) return Optional.of(Map.entry(seg, p));
        }
        return Optional.empty();
    }

    private void claim(Map<Ip, String> owner, Ip ip, String label, String at, String ctx) {
        String first = owner.putIfAbsent(ip, label);
        if (first != null) problems.at(at, ctx + "address " + ip + " is already used by " + first);
    }

    private void claim(Map<String, String> owner, String key, String label, Ip ip, String at, String ctx) {
        String first = owner.putIfAbsent(key, label);
        if (first != null) problems.at(at, ctx + "link-local address " + ip + " is already used on this segment by " + first);
    }

    private void serviceReferences(ServiceDef s) {
        String path = "services/" + s.name();
        String ctx = "service " + s.name() + ": ";
        for (int k = 0; k < s.hosts().size(); k++) {
            String h = s.hosts().get(k);
            if (!intent.hosts().containsKey(h)) {
                problems.at(path + "/hosts[" + k + "]", ctx + "host '" + h + "' is not defined"
                        + Names.didYouMean(h, intent.hosts().keySet()));
            }
        }
        for (int k = 0; k < s.allow().segments().size(); k++) {
            String seg = s.allow().segments().get(k);
            if (!intent.segments().containsKey(seg)) {
                problems.at(path + "/allow/segments[" + k + "]", ctx + "allow: segment '" + seg + "' is not defined"
                        + Names.didYouMean(seg, intent.segments().keySet()));
            }
        }
        for (IfaceRef ref : s.allow().interfaces()) {
            HostDef h = intent.hosts().get(ref.host());
            if (h == null) {
                problems.add(ref.pos(), ctx + "allow: interface '" + ref + "': host '" + ref.host() + "' is not defined"
                        + Names.didYouMean(ref.host(), intent.hosts().keySet()));
            } else if (!h.interfaces().containsKey(ref.iface())) {
                problems.add(ref.pos(), ctx + "allow: interface '" + ref + "': host " + h.name() + " has no interface '"
                        + ref.iface() + "'" + Names.didYouMean(ref.iface(), h.interfaces().keySet()));
            }
        }
        s.docker().ifPresent(d -> {
            if (s.hosts().size() != 1) return;
            s.addresses().stream().filter(a -> !a.isV4()).findFirst().ifPresent(a -> problems.at(path + "/docker",
                    ctx + "docker: address " + a + " is IPv6; anyloop emulates Docker's IPv4 publishing only"));
            for (ServiceDef other : intent.services().values()) {
                if (other == s || other.hosts().size() != 1 || !other.hosts().get(0).equals(s.hosts().get(0))) continue;
                if (other.docker().map(o -> o.container().equals(d.container())).orElse(false)
                        && List.copyOf(intent.services().keySet()).indexOf(other.name()) < List.copyOf(intent.services().keySet()).indexOf(s.name())) {
                    problems.at(path + "/docker/container", ctx + "docker: container '" + d.container()
                            + "' is already published by service " + other.name() + " on host " + s.hosts().get(0));
                }
            }
            HostDef dockerHost = intent.hosts().get(s.hosts().get(0));
            Prefix bridge = DockerDef.BRIDGE_ADDRESS.network();
            for (InterfaceDef i : dockerHost == null ? List.<InterfaceDef>of() : dockerHost.interfaces().values()) {
                i.addresses().stream().filter(a -> a.network().overlaps(bridge)).findFirst().ifPresent(a -> problems.at(path + "/docker",
                        ctx + "docker: host " + dockerHost.name() + " interface " + i.name() + " has " + a + ", which overlaps "
                        + "Docker's bridge docker0 " + bridge + " that this container is published from: give the segment another"
                        + " prefix"));
            }
            String name = s.hosts().get(0) + "-" + d.container();
            if (intent.hosts().containsKey(name)) {
                problems.at(path + "/docker/container", ctx + "docker: the container becomes host '" + name
                        + "', which is already a host");
            } else if (name.startsWith(SWITCH_PREFIX) && intent.segments().containsKey(name.substring(SWITCH_PREFIX.length()))) {
                problems.at(path + "/docker/container", ctx + "docker: the container becomes host '" + name
                        + "', the lab's name for segment " + name.substring(SWITCH_PREFIX.length()) + "'s switch: rename the container");
            }
        });
    }

    /** T8: the source must be an address the host owns on lo, and the destination must be routed by the host. */
    private void source(SourceDef s, ServicePaths paths) {
        String path = problems.pathOf(s.pos());
        String ctx = "source-addresses entry " + (index(path) + 1) + ": ";
        HostDef h = intent.hosts().get(s.host());
        if (h == null) {
            problems.at(path + "/host", ctx + "host '" + s.host() + "' is not defined"
                    + Names.didYouMean(s.host(), intent.hosts().keySet()));
            return;
        }
        if (s.from().family() != s.to().family()) {
            problems.at(path + "/from", ctx + "from " + s.from() + " is " + word(s.from().family()) + " but to " + s.to()
                    + " is " + word(s.to().family()));
            return;
        }
        Set<Ip> own = new HashSet<>();
        h.loopbacks().forEach(a -> own.add(a.ip()));
        own.addAll(servedAddresses(h));
        if (!own.contains(s.from())) {
            problems.at(path + "/from", ctx + "from " + s.from() + " is neither a loopback of host " + h.name()
                    + " nor an address of a service it serves");
        }
        if (problems.broken("hosts/" + h.name())) return;
        // the most specific route containing `to` carries it (longest prefix match); it must be a unicast one
        Map<Prefix, String> routes = new HashMap<>();
        connected(h).forEach(p -> routes.put(p, "unicast"));
        h.interfaces().values().forEach(i -> i.gateways().forEach(g -> routes.put(Prefix.any(g.family()), "unicast")));
        paths.on(h.name()).forEach(hop -> routes.put(Prefix.host(hop.address()), "unicast"));
        bgpRoutes(h).forEach(p -> routes.put(p, "unicast"));
        h.routes().forEach(r -> routes.put(r.to(), r.type()));
        Optional<Prefix> best = routes.keySet().stream().filter(p -> p.contains(s.to()))
                .max(java.util.Comparator.comparingInt(Prefix::length));
        if (best.isEmpty()) {
            problems.at(path + "/to", ctx + "to " + s.to() + " is not covered by any route of host " + h.name()
                    + " (connected prefixes, gateways, declared routes and the routes derived for services)");
        } else if (!routes.get(best.get()).equals("unicast")) {
            problems.at(path + "/to", ctx + "to " + s.to() + " is routed by the " + routes.get(best.get()) + " route to "
                    + best.get() + " of host " + h.name() + ", which sends nothing: only a unicast route can carry a source");
        }
    }

    private void expectation(ExpectDef e) {
        String path = problems.pathOf(e.pos());
        String ctx = "expect entry " + (index(path) + 1) + ": ";
        if (!intent.hosts().containsKey(e.from())) {
            problems.at(path + "/from", ctx + "host '" + e.from() + "' is not defined"
                    + Names.didYouMean(e.from(), intent.hosts().keySet()));
        }
        if (Ip.tryParse(e.to()).isEmpty() && !intent.services().containsKey(e.to())) {
            problems.at(path + "/to", ctx + "service '" + e.to() + "' is not defined"
                    + Names.didYouMean(e.to(), intent.services().keySet()));
        }
    }

    /** Checks of one raw route against the host it is on. */
    private final class RouteCheck {
        private final HostDef h;
        private final RouteDef r;
        private final String path;
        private final String ctx;

        RouteCheck(HostDef h, RouteDef r) {
            this.h = h;
            this.r = r;
            this.path = problems.pathOf(r.pos());
            this.ctx = "host " + h.name() + ": route to " + r.to() + ": ";
        }

        void run() {
            Optional<InterfaceDef> dev = r.dev().flatMap(d -> Optional.ofNullable(h.interfaces().get(d)));
            if (r.dev().isPresent() && dev.isEmpty() && !r.dev().get().equals("lo")) {
                Set<String> names = new HashSet<>(h.interfaces().keySet());
                names.add("lo");
                problems.at(path + "/dev", ctx + "dev '" + r.dev().get() + "' is not an interface of host " + h.name()
                        + Names.didYouMean(r.dev().get(), names));
            }
            if (!r.type().equals("unicast") && HostReader.ROUTE_TYPES.contains(r.type())) {
                // fib_create_info: "Gateway, device and multipath can not be specified for this route type"
                for (String key : List.of("via", "dev")) {
                    if ((key.equals("via") ? r.via().isPresent() : r.dev().isPresent())) {
                        problems.at(path + "/" + key, ctx + "a " + r.type() + " route has no next hop, so '" + key
                                + "' cannot be given (Linux refuses it: gateway and device cannot be specified for this route type)");
                    }
                }
                r.src().ifPresent(this::src);
                return;
            }
            r.via().ifPresent(via -> via(via, dev));
            r.src().ifPresent(this::src);
            if (r.type().equals("unicast") && r.via().isEmpty() && r.dev().isEmpty()) {
                problems.at(path, ctx + "a unicast route needs 'via' or 'dev'");
            }
        }

        private void via(Ip via, Optional<InterfaceDef> dev) {
            if (via.family() != r.to().family()) {
                problems.at(path + "/via", ctx + "via " + via + " is " + word(via.family()) + " but to is " + word(r.to().family()));
                return;
            }
            if (problems.broken("hosts/" + h.name())) return;
            if (via.family() == Family.V6 && via.isLinkLocal()) {
                // a link-local gateway is on-link through one device, which must be named
                if (r.dev().isEmpty()) problems.at(path + "/via", ctx + "via " + via + " is link-local: give 'dev', the interface it is on");
                return;
            }
            List<Prefix> subnets = dev.map(Validator::networks).orElse(connected(h));
            if (subnets.stream().noneMatch(p -> p.contains(via))) {
                String where = dev.map(i -> "interface " + i.name()).orElse("host " + h.name());
                problems.at(path + "/via", ctx + "via " + via + " is not inside any connected subnet of " + where
                        + (subnets.isEmpty() ? "" : " (" + join(subnets) + ")"));
            }
        }

        private void src(Ip src) {
            if (src.family() != r.to().family()) {
                problems.at(path + "/src", ctx + "src " + src + " is " + word(src.family()) + " but to is " + word(r.to().family()));
                return;
            }
            Set<Ip> own = new HashSet<>(servedAddresses(h));
            h.loopbacks().forEach(a -> own.add(a.ip()));
            h.interfaces().values().forEach(i -> i.addresses().forEach(a -> own.add(a.ip())));
            if (!own.contains(src) && !src.isLoopback()) {
                problems.at(path + "/src", ctx + "src " + src + " is not an address of host " + h.name());
            }
        }
    }

    /**
     * The service prefixes a BGP router learns from its servers: BIRD puts them into its kernel table (bird.conf's
     * kernel protocol), so they route a source like the derived static ones. A service's own hosts do not learn it.
     */
    private List<Prefix> bgpRoutes(HostDef h) {
        BgpDef.Speaker sp = intent.bgp().speakers().get(h.name());
        if (sp == null || sp.role() != BgpDef.Role.ROUTER) return List.of();
        return intent.bgp().services().keySet().stream().map(intent.services()::get)
                .filter(s -> s != null && !s.hosts().contains(h.name()))
                .flatMap(s -> s.addresses().stream()).map(Prefix::host).collect(Collectors.toList());
    }

    private List<Ip> servedAddresses(HostDef h) {
        return intent.services().values().stream().filter(s -> s.hosts().contains(h.name()))
                .flatMap(s -> s.addresses().stream()).collect(Collectors.toList());
    }

    private static List<Prefix> connected(HostDef h) {
        return h.interfaces().values().stream().flatMap(i -> networks(i).stream()).distinct().collect(Collectors.toList());
    }

    private static List<Prefix> networks(InterfaceDef i) {
        return i.addresses().stream().map(InterfaceAddress::network).distinct().collect(Collectors.toList());
    }

    private static String ifacePath(HostDef h, InterfaceDef i) { return "hosts/" + h.name() + "/interfaces/" + i.name(); }

    private static int index(String path) {
        return Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.length() - 1));
    }

    private static String word(Family f) { return f == Family.V4 ? "IPv4" : "IPv6"; }

    private static String join(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
