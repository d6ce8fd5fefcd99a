package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Segment;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * T5: {@code docker run -p X:HOSTPORT:CPORT ...} (one or more ports) as Docker's bridge driver (iptables mode, before the
 * DOCKER-FORWARD rework of Docker 28) installs it: the default bridge docker0 172.17.0.1/16, one
 * container per published service at 172.17.0.2, .3, ..., and Docker's nat and filter chains.
 * IPv6 service addresses are not published (Docker's ip6tables mode is not modelled).
 */
final class Docker {
    static final String BRIDGE = "docker0";
    static final InterfaceAddress BRIDGE_ADDRESS = InterfaceAddress.parse("172.17.0.1/16");
    static final Prefix BRIDGE_NET = BRIDGE_ADDRESS.network();
    private static final String NAT = "nat";
    private static final String FILTER = Firewall.FILTER;

    private Docker() { }

    /** One published container on one host. */
    record Publish(String host, ServiceDef service, DockerDef docker, Ip containerIp) {
        /** The container's own host name in the network: "<host>-<container>". */
        String containerHost() { return host + "-" + docker.container(); }

        /** The service addresses Docker DNATs: the IPv4 ones. */
        List<Ip> published() { return service.addresses().stream().filter(Ip::isV4).toList(); }

        String dkChain() { return "AL-DK-" + service.name(); }
    }

    /** Every publish, by host, containers numbered from 172.17.0.2 in service order on each host. */
    static Map<String, List<Publish>> plan(Intent intent) {
        Map<String, List<Publish>> out = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (ServiceDef s : intent.services().values()) {
            if (s.docker().isEmpty()) continue;
            DockerDef d = s.docker().get();
            for (String h : s.hosts()) {
                List<Publish> list = out.computeIfAbsent(h, k -> new ArrayList<>());
                Publish p = new Publish(h, s, d, BRIDGE_ADDRESS.ip().plus(1 + list.size()));
                if (!names.add(p.containerHost())) {
                    throw new IllegalArgumentException("service " + s.name() + ": container '" + d.container()
                            + "' is published twice on host " + h);
                }
                if (intent.hosts().containsKey(p.containerHost())) {
                    throw new IllegalArgumentException("service " + s.name() + ": container host name '"
                            + p.containerHost() + "' clashes with a declared host");
                }
                list.add(p);
            }
        }
        return out;
    }

    /** Docker's chains on the host, with anyloop's restriction in DOCKER-USER (AL-DK-svc) when allow restricts. */
    static void install(Intent intent, HostDef host, List<Publish> pubs, NetfilterBuilder v4) {
        if (pubs.isEmpty()) return;
        Match fromBridge = new Match.InInterface(BRIDGE, false);
        Match notFromBridge = new Match.InInterface(BRIDGE, true);
        Match toBridge = new Match.OutInterface(BRIDGE, false);
        Match notToBridge = new Match.OutInterface(BRIDGE, true);
        Target docker = new Target.Jump("DOCKER");
        // nat PREROUTING runs before the routing decision: whatever is addressed to a local address
        // (lo's service addresses included) goes through DOCKER and is DNAT'ed before filter INPUT.
        Match local = new Match.AddrType(false, "LOCAL", false);
        v4.append(NAT, "PREROUTING", Rule.of(docker, local));
        v4.append(NAT, "OUTPUT", Rule.of(docker, new Match.Destination(Prefix.parse("127.0.0.0/8"), true), local));
        v4.append(NAT, "POSTROUTING", Rule.of(new Target.Masquerade(), new Match.Source(BRIDGE_NET, false), notToBridge));
        for (Publish p : pubs) {
            Prefix c = Prefix.host(p.containerIp());
            for (Intent.Publish port : p.docker().publish()) {
                v4.append(NAT, "POSTROUTING", Rule.of(new Target.Masquerade(), new Match.Source(c, false),
                        new Match.Destination(c, false), proto(port), cport(port)));
            }
        }
        v4.append(NAT, "DOCKER", Rule.of(new Target.Return(), fromBridge));
        for (Publish p : pubs) {
            for (Intent.Publish port : p.docker().publish()) {
                for (Ip x : p.published()) {
                    v4.append(NAT, "DOCKER", Rule.of(new Target.Dnat(p.containerIp(), Optional.of(PortRange.of(port.containerPort()))),
                            new Match.Destination(Prefix.host(x), false), notFromBridge, proto(port),
                            new Match.DstPorts(List.of(PortRange.of(port.hostPort())), false)));
                }
            }
        }

        v4.policy(FILTER, "FORWARD", new Target.Drop());
        v4.append(FILTER, "FORWARD", Rule.of(new Target.Jump("DOCKER-USER")));
        v4.append(FILTER, "FORWARD", Rule.of(new Target.Jump("DOCKER-ISOLATION-STAGE-1")));
        v4.append(FILTER, "FORWARD", Rule.of(new Target.Accept(), toBridge, Firewall.established()));
        v4.append(FILTER, "FORWARD", Rule.of(docker, toBridge));
        v4.append(FILTER, "FORWARD", Rule.of(new Target.Accept(), fromBridge, notToBridge));
        v4.append(FILTER, "FORWARD", Rule.of(new Target.Accept(), fromBridge, toBridge));
        for (Publish p : pubs) {
            for (Intent.Publish port : p.docker().publish()) {
                v4.append(FILTER, "DOCKER", Rule.of(new Target.Accept(), new Match.Destination(Prefix.host(p.containerIp()), false),
                        notFromBridge, toBridge, proto(port), cport(port)));
            }
        }
        v4.append(FILTER, "DOCKER-ISOLATION-STAGE-1", Rule.of(new Target.Jump("DOCKER-ISOLATION-STAGE-2"), fromBridge, notToBridge));
        v4.append(FILTER, "DOCKER-ISOLATION-STAGE-1", Rule.of(new Target.Return()));
        v4.append(FILTER, "DOCKER-ISOLATION-STAGE-2", Rule.of(new Target.Drop(), toBridge));
        v4.append(FILTER, "DOCKER-ISOLATION-STAGE-2", Rule.of(new Target.Return()));
        // DOCKER-USER is the chain Docker leaves to the administrator and evaluates first in FORWARD:
        // the only place a restriction on a published port holds (INPUT never sees the DNAT'ed packet).
        for (Publish p : pubs) {
            if (p.service().allow().anyone()) continue;
            v4.append(FILTER, "DOCKER-USER", Rule.of(new Target.Jump(p.dkChain()),
                    new Match.Destination(Prefix.host(p.containerIp()), false), toBridge),
                    RuleOrigin.service(p.service().name(), RuleOrigin.Role.JUMP, "published to container " + p.docker().container() + " (T5)"));
            Firewall.gate(intent, host, p.service(), Family.V4, new Target.Return(), v4, p.dkChain());
        }
        v4.append(FILTER, "DOCKER-USER", Rule.of(new Target.Return()));
    }

    private static Match proto(Intent.Publish p) { return new Match.Protocol(p.proto().word(), false); }

    private static Match cport(Intent.Publish p) {
        return new Match.DstPorts(List.of(PortRange.of(p.containerPort())), false);
    }

    /** The container as a host: lo, eth0 on docker0 with a default route via the bridge, one listener. */
    static DeviceState container(Publish p, int rpFilter) {
        String eth0 = "eth0";
        List<Link> links = List.of(new Link(HostAddresses.LO, Link.Kind.LOOPBACK, true), new Link(eth0, Link.Kind.ETHER, true));
        List<Address> addrs = new ArrayList<>(HostAddresses.loopback());
        addrs.add(Address.global(eth0, InterfaceAddress.of(p.containerIp(), BRIDGE_ADDRESS.length())));
        List<Route> routes = new ArrayList<>(KernelRoutes.of(addrs));
        // Docker sets the container's default route itself; it carries no protocol of ours (boot).
        routes.add(0, Route.via(Prefix.any(Family.V4), BRIDGE_ADDRESS.ip(), eth0, 0, "boot"));
        List<PolicyRule> rules = new ArrayList<>(PolicyRule.defaults(Family.V4));
        rules.addAll(PolicyRule.defaults(Family.V6));
        List<Listener> listeners = new ArrayList<>();
        for (Intent.Publish port : p.docker().publish()) {
            Listener l = Listener.of(port.proto(), Ip.zero(Family.V4), port.containerPort(), p.docker().container());
            if (!listeners.contains(l)) listeners.add(l);
        }
        return new DeviceState(p.containerHost(), links, addrs, Compiler.ordered(routes), rules,
                HostSysctls.of(links, addrs, false, false, rpFilter), Netfilter.empty(Family.V4), Netfilter.empty(Family.V6),
                listeners);
    }

    /** The "<host>-docker0" segment joining the host's bridge and every container's eth0. */
    static Segment segment(String host, List<Publish> pubs) {
        List<Segment.Port> ports = new ArrayList<>();
        ports.add(new Segment.Port(host, BRIDGE));
        for (Publish p : pubs) ports.add(new Segment.Port(p.containerHost(), "eth0"));
        return new Segment(host + "-" + BRIDGE, ports);
    }
}
