package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
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
    public static Network compile(Intent intent) {
        Map<String, List<Docker.Publish>> docker = Docker.plan(intent);
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        List<Segment> segments = new ArrayList<>();
        for (SegmentDef s : intent.segments().values()) segments.add(segment(intent, s));
        for (HostDef h : intent.hosts().values()) {
            List<Docker.Publish> pubs = docker.getOrDefault(h.name(), List.of());
            hosts.put(h.name(), host(intent, h, pubs));
            int rp = HostSysctls.rpFilter(h.rpFilter());
            for (Docker.Publish p : pubs) hosts.put(p.containerHost(), Docker.container(p, rp));
            if (!pubs.isEmpty()) segments.add(Docker.segment(h.name(), pubs));
        }
        return new Network(hosts, segments);
    }

    private static Segment segment(Intent intent, SegmentDef s) {
        List<Segment.Port> ports = new ArrayList<>();
        for (HostDef h : intent.hosts().values()) {
            for (InterfaceDef i : h.interfaces().values()) {
                if (i.segment().equals(s.name())) ports.add(new Segment.Port(h.name(), i.name()));
            }
        }
        return new Segment(s.name(), ports);
    }

    private static DeviceState host(Intent intent, HostDef h, List<Docker.Publish> pubs) {
        boolean docker = !pubs.isEmpty();
        List<Link> links = new ArrayList<>();
        links.add(new Link(HostAddresses.LO, Link.Kind.LOOPBACK, true));
        for (InterfaceDef i : h.interfaces().values()) links.add(new Link(i.name(), Link.Kind.ETHER, true));
        if (docker) links.add(new Link(Docker.BRIDGE, Link.Kind.BRIDGE, true));

        List<InterfaceAddress> bridge = docker ? List.of(Docker.BRIDGE_ADDRESS) : List.of();
        List<Address> addresses = new ArrayList<>(HostAddresses.of(intent, h, bridge));
        // watch's probe sources go on lo after the host's own lo addresses, before the interfaces'
        int afterLo = (int) addresses.stream().takeWhile(a -> a.dev().equals(HostAddresses.LO)).count();
        addresses.addAll(afterLo, ProbePaths.addresses(intent, h));

        List<Route> routes = new ArrayList<>(DeclaredRoutes.of(h));
        routes.addAll(KernelRoutes.of(addresses));
        routes = new ArrayList<>(SourceAddresses.apply(intent, h.name(), routes));
        routes.addAll(ServiceRoutes.of(intent, h));
        routes.addAll(ProbePaths.routes(intent, h));

        List<PolicyRule> rules = new ArrayList<>(PolicyRule.defaults(Family.V4));
        rules.addAll(PolicyRule.defaults(Family.V6));
        rules.addAll(ProbePaths.rules(intent, h));
        rules.sort(Comparator.comparing((PolicyRule r) -> r.family()).thenComparingInt(PolicyRule::priority));

        NetfilterBuilder v4 = new NetfilterBuilder(Family.V4);
        NetfilterBuilder v6 = new NetfilterBuilder(Family.V6);
        // Docker first: it keeps its jump to DOCKER-USER at the top of FORWARD.
        Docker.install(intent, h, pubs, v4);
        Set<String> dockerServices = pubs.stream().map(p -> p.service().name()).collect(Collectors.toSet());
        Firewall.install(intent, h, dockerServices, v4, v6);
        if (docker && h.forwarding()) {
            // Docker sets FORWARD's policy to DROP; a host that also routes would stop routing. Accept transit that
            // does not touch docker0 last, after anyloop's AL-FWD jumps, so T3's restrictions still apply first.
            v4.append("filter", "FORWARD", Rule.of(new Target.Accept(), new Match.InInterface("docker0", true),
                    new Match.OutInterface("docker0", true)));
        }

        // Docker turns on net.ipv4.ip_forward itself so its bridge can forward.
        return new DeviceState(h.name(), links, addresses, ordered(routes), rules,
                HostSysctls.of(links, addresses, h.forwarding() || docker, h.forwarding(), HostSysctls.rpFilter(h.rpFilter())),
                v4.build(), v6.build(), Listeners.of(intent, h.name()));
    }

    /** IPv4 before IPv6, main table before others before local; creation order within (a stable sort). */
    static List<Route> ordered(List<Route> routes) {
        Comparator<Route> c = Comparator.comparing((Route r) -> r.family())
                .thenComparingInt(r -> r.table() == Route.TABLE_MAIN ? 0 : r.table() == Route.TABLE_LOCAL ? 2 : 1);
        return routes.stream().sorted(c).toList();
    }
}
