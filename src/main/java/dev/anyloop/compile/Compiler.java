package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.ServicePaths;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Match;
import dev.anyloop.state.Target;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Intent -> Network: one {@link DeviceState} per host (and per Docker container), plus the segments
 * joining their interfaces, as docs/network-yaml.md "What the compiler derives" says. Pure and
 * deterministic: the same intent always yields equal states in the same order.
 */
public final class Compiler {
    private Compiler() { }

    /** Compiles a validated intent; throws IllegalArgumentException on a reference the loader should have refused. */
    public static Network compile(Intent intent) { return compiled(intent).network(); }

    /** As {@link #compile(Intent)}, with why each rule and route was made. */
    public static Compiled compiled(Intent intent) {
        for (var s : intent.services().values()) {
            for (String h : s.hosts()) {
                if (!intent.hosts().containsKey(h)) throw new IllegalArgumentException("service " + s.name() + ": host '" + h + "' is not defined");
            }
        }
        Map<String, List<Docker.Publish>> docker = Docker.plan(intent);
        ServicePaths paths = ServicePaths.of(intent);
        Set<String> v6Redirecting = v6Redirecting(intent, paths);
        List<HostDef> defs = List.copyOf(intent.hosts().values());
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        Map<String, RuleOrigin> rules = new HashMap<>();
        Map<String, Map<Route, RouteOrigin>> routes = new HashMap<>();
        List<Segment> segments = segments(intent);
        // hosts compile independently (each reads the intent only): on every core, then put together in file order
        HostResult[] made = new HostResult[defs.size()];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, defs.size());
        (defs.size() >= PARALLEL_HOSTS ? range.parallel() : range).forEach(k -> {
            HostDef h = defs.get(k);
            Map<String, RuleOrigin> r = new HashMap<>();
            Map<String, Map<Route, RouteOrigin>> o = new HashMap<>();
            made[k] = new HostResult(host(intent, paths, v6Redirecting, h, docker.getOrDefault(h.name(), List.of()), r, o), r, o);
        });
        for (int k = 0; k < defs.size(); k++) {
            HostDef h = defs.get(k);
            List<Docker.Publish> pubs = docker.getOrDefault(h.name(), List.of());
            hosts.put(h.name(), made[k].state());
            rules.putAll(made[k].rules());
            routes.putAll(made[k].routes());
            int rp = HostSysctls.rpFilter(h.rpFilter());
            for (Docker.Publish p : pubs) hosts.put(p.containerHost(), Docker.container(p, rp));
            if (!pubs.isEmpty()) segments.add(Docker.segment(h.name(), pubs));
        }
        return new Compiled(new Network(hosts, segments), new Provenance(rules, routes));
    }

    /** From this many hosts on, compile them on every core. */
    private static final int PARALLEL_HOSTS = 256;

    /** One host compiled, and what it recorded about why. */
    private record HostResult(DeviceState state, Map<String, RuleOrigin> rules, Map<String, Map<Route, RouteOrigin>> routes) { }

    /** Every segment with its ports (host, interface) in file order, in one pass over the hosts. */
    private static List<Segment> segments(Intent intent) {
        Map<String, List<Segment.Port>> ports = new LinkedHashMap<>();
        for (SegmentDef s : intent.segments().values()) ports.put(s.name(), new ArrayList<>());
        for (HostDef h : intent.hosts().values()) {
            for (InterfaceDef i : h.interfaces().values()) {
                List<Segment.Port> list = ports.get(i.segment());
                if (list != null) list.add(new Segment.Port(h.name(), i.name()));
            }
        }
        List<Segment> out = new ArrayList<>();
        ports.forEach((name, list) -> out.add(new Segment(name, list)));
        return out;
    }

    private static DeviceState host(Intent intent, ServicePaths paths, Set<String> v6Redirecting, HostDef h, List<Docker.Publish> pubs,
                                    Map<String, RuleOrigin> ruleOrigins, Map<String, Map<Route, RouteOrigin>> routeOrigins) {
        boolean docker = !pubs.isEmpty();
        List<Link> links = new ArrayList<>();
        links.add(new Link(HostAddresses.LO, Link.Kind.LOOPBACK, true));
        for (InterfaceDef i : h.interfaces().values()) links.add(new Link(i.name(), Link.Kind.ETHER, true));
        if (docker) links.add(new Link(Docker.BRIDGE, Link.Kind.BRIDGE, true));

        List<InterfaceAddress> bridge = docker ? List.of(Docker.BRIDGE_ADDRESS) : List.of();
        List<Address> addresses = HostAddresses.of(intent, h, bridge);

        Map<Route, RouteOrigin> made = new LinkedHashMap<>(DeclaredRoutes.of(h));
        for (Route r : KernelRoutes.of(addresses)) made.putIfAbsent(r, null);
        ServiceRoutes.of(paths, h.name()).forEach(made::putIfAbsent);
        // T8 last: a source intent may name a derived service route, or a destination inside any route
        made = SourceAddresses.apply(intent, h.name(), made);
        List<Route> routes = new ArrayList<>(made.keySet());
        Map<Route, RouteOrigin> origins = new HashMap<>();
        made.forEach((r, o) -> {
            if (o != null) origins.put(r, o);
        });
        routeOrigins.put(h.name(), origins);

        List<PolicyRule> rules = new ArrayList<>(PolicyRule.defaults(Family.V4));
        rules.addAll(PolicyRule.defaults(Family.V6));

        NetfilterBuilder v4 = new NetfilterBuilder(Family.V4);
        NetfilterBuilder v6 = new NetfilterBuilder(Family.V6);
        // Docker first: it keeps its jump to DOCKER-USER at the top of FORWARD.
        Docker.install(intent, h, pubs, v4);
        Set<String> dockerServices = pubs.stream().map(p -> p.service().name()).collect(Collectors.toSet());
        for (NetfilterBuilder nf : List.of(v4, v6)) Fences.install(intent, h, nf);
        Firewall.install(intent, h, dockerServices, v4, v6);
        if (docker && h.forwarding()) {
            // Docker sets FORWARD's policy to DROP; a host that also routes would stop routing. Accept transit that
            // does not touch docker0 last, after anyloop's AL-FWD jumps, so T3's restrictions still apply first.
            // It sits in an AL- chain of its own so that apply knows the rule is anyloop's (ownership is by chain).
            RuleOrigin transit = RuleOrigin.host(h.name(), RuleOrigin.Role.ADMIT, "routed traffic past Docker's FORWARD policy DROP");
            v4.append("filter", "FORWARD", Rule.of(new Target.Jump(Firewall.TRANSIT), new Match.InInterface("docker0", true),
                    new Match.OutInterface("docker0", true)), transit);
            v4.append("filter", Firewall.TRANSIT, Rule.of(new Target.Accept()), transit);
        }
        v4.origins(h.name(), ruleOrigins);
        v6.origins(h.name(), ruleOrigins);

        // Docker turns on net.ipv4.ip_forward itself so its bridge can forward.
        return new DeviceState(h.name(), links, addresses, ordered(routes), rules,
                HostSysctls.of(links, addresses, h.forwarding() || docker, h.forwarding(), HostSysctls.rpFilter(h.rpFilter()),
                        redirects(paths, v6Redirecting, h)),
                v4.build(), v6.build(), Listeners.of(intent, h.name()));
    }

    /**
     * A router that sends service traffic back out the interface it came in on must not redirect the client to the
     * service host (T7 would stop failing over); its IPv6 neighbours on such a segment stop accepting redirects.
     */
    private static HostSysctls.Redirects redirects(ServicePaths paths, Set<String> v6Redirecting, HostDef h) {
        HostSysctls.Redirects r = HostSysctls.Redirects.KEEP;
        if (h.forwarding() && paths.on(h.name()).stream().anyMatch(hop -> hop.address().isV4())) r = HostSysctls.Redirects.DONT_SEND_V4;
        if (!h.forwarding() && h.interfaces().values().stream().anyMatch(i -> v6Redirecting.contains(i.segment()))) {
            r = r.and(HostSysctls.Redirects.DONT_ACCEPT_V6);
        }
        return r;
    }

    /** The segments a router sends an IPv6 service route out to: their hosts must not act on the redirects it sends. */
    private static Set<String> v6Redirecting(Intent intent, ServicePaths paths) {
        Set<String> out = new java.util.HashSet<>();
        for (ServicePaths.Hop hop : paths.all()) {
            if (hop.address().isV4()) continue;
            InterfaceDef out6 = intent.hosts().get(hop.router()).interfaces().get(hop.dev());
            if (out6 != null) out.add(out6.segment());
        }
        return out;
    }

    /** IPv4 before IPv6, main table before others before local; creation order within (a stable sort). */
    static List<Route> ordered(List<Route> routes) {
        Comparator<Route> c = Comparator.comparing((Route r) -> r.family())
                .thenComparingInt(r -> r.table() == Route.TABLE_MAIN ? 0 : r.table() == Route.TABLE_LOCAL ? 2 : 1);
        return routes.stream().sorted(c).toList();
    }
}
