package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.RpFilter;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.intent.Pos;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link Intent} records directly, without the YAML loader: {@code new Fixture().segment(..).host(..)...build()}. */
final class Fixture {
    private final Map<String, SegmentDef> segments = new LinkedHashMap<>();
    private final Map<String, HostDef> hosts = new LinkedHashMap<>();
    private final Map<String, ServiceDef> services = new LinkedHashMap<>();
    private final List<SourceDef> sources = new ArrayList<>();

    Fixture segment(String name, String... prefixes) {
        segments.put(name, new SegmentDef(name, Arrays.stream(prefixes).map(Prefix::parse).toList(), Pos.NONE));
        return this;
    }

    Host host(String name) { return new Host(name); }

    Service service(String name) { return new Service(name); }

    Fixture source(String host, String to, String from) {
        sources.add(new SourceDef(host, Prefix.parse(to), Ip.parse(from), Pos.NONE));
        return this;
    }

    Intent build() { return new Intent("test.yaml", segments, hosts, services, sources, List.of()); }

    /** A host under construction; {@link #done()} adds it. */
    final class Host {
        private final String name;
        private boolean forwarding;
        private RpFilter rp = RpFilter.LOOSE;
        private final Map<String, InterfaceDef> ifaces = new LinkedHashMap<>();
        private final List<InterfaceAddress> loopbacks = new ArrayList<>();
        private final List<RouteDef> routes = new ArrayList<>();

        Host(String name) { this.name = name; }

        Host forwarding() {
            forwarding = true;
            return this;
        }

        Host rp(RpFilter mode) {
            rp = mode;
            return this;
        }

        /** An interface; addresses like "192.168.1.1/24". */
        Host iface(String ifname, String segment, String... addresses) {
            ifaces.put(ifname, new InterfaceDef(ifname, segment,
                    Arrays.stream(addresses).map(InterfaceAddress::parse).toList(), List.of(), Pos.NONE));
            return this;
        }

        /** Sets the gateways of an interface declared before. */
        Host gateway(String ifname, String... gws) {
            InterfaceDef i = ifaces.get(ifname);
            ifaces.put(ifname, new InterfaceDef(ifname, i.segment(), i.addresses(),
                    Arrays.stream(gws).map(Ip::parse).toList(), Pos.NONE));
            return this;
        }

        Host loopback(String... addresses) {
            for (String a : addresses) loopbacks.add(InterfaceAddress.parse(a));
            return this;
        }

        /** A raw route: via and dev may be null, src may be null. */
        Host route(String to, String via, String dev, int metric, String src, String type) {
            routes.add(new RouteDef(Prefix.parse(to), Optional.ofNullable(via).map(Ip::parse), Optional.ofNullable(dev),
                    metric, Optional.ofNullable(src).map(Ip::parse), type, Pos.NONE));
            return this;
        }

        Fixture done() {
            hosts.put(name, new HostDef(name, forwarding, rp, ifaces, loopbacks, routes, Pos.NONE));
            return Fixture.this;
        }
    }

    /** A service under construction; {@link #done()} adds it. */
    final class Service {
        private final String name;
        private List<Ip> addresses = List.of();
        private List<PortDef> ports = List.of();
        private boolean ping = true;
        private List<String> hostNames = List.of();
        private List<String> allowSegments = List.of();
        private List<Prefix> allowSources = List.of();
        private List<IfaceRef> allowIfaces = List.of();
        private Bind bind = Bind.ADDRESS;
        private Optional<DockerDef> docker = Optional.empty();

        Service(String name) { this.name = name; }

        Service addresses(String... xs) {
            addresses = Arrays.stream(xs).map(Ip::parse).toList();
            return this;
        }

        /** "tcp/80", "udp/53". */
        Service ports(String... ps) {
            ports = Arrays.stream(ps).map(p -> {
                String[] kv = p.split("/");
                return new PortDef(Proto.parse(kv[0]), Integer.parseInt(kv[1]));
            }).toList();
            return this;
        }

        Service noPing() {
            ping = false;
            return this;
        }

        Service hosts(String... hs) {
            hostNames = List.of(hs);
            return this;
        }

        Service allowSegments(String... s) {
            allowSegments = List.of(s);
            return this;
        }

        Service allowSources(String... s) {
            allowSources = Arrays.stream(s).map(Prefix::parse).toList();
            return this;
        }

        /** "host:ifname". */
        Service allowInterfaces(String... refs) {
            allowIfaces = Arrays.stream(refs).map(r -> {
                String[] kv = r.split(":");
                return new IfaceRef(kv[0], kv[1], Pos.NONE);
            }).toList();
            return this;
        }

        Service bindAny() {
            bind = Bind.ANY;
            return this;
        }

        Service docker(String container, int containerPort, int hostPort) {
            docker = Optional.of(new DockerDef(container, List.of(new Intent.Publish(Proto.TCP, hostPort, containerPort)), Pos.NONE));
            return this;
        }

        Fixture done() {
            services.put(name, new ServiceDef(name, addresses, ports, ping, hostNames,
                    AllowDef.of(allowSegments, allowSources, allowIfaces, Pos.NONE), bind, docker, Pos.NONE));
            return Fixture.this;
        }
    }
}
