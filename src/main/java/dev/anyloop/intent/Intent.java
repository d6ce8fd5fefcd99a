package dev.anyloop.intent;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated network.yaml: segments, hosts, services, source-address intents and expectations.
 * Maps keep file order. Every element carries its {@link Pos} so later stages can point at it.
 * See docs/network-yaml.md for the file format.
 */
public record Intent(String file, Map<String, SegmentDef> segments, Map<String, HostDef> hosts,
                     Map<String, ServiceDef> services, List<SourceDef> sources, List<ExpectDef> expectations) {
    public Intent {
        segments = ordered(segments);
        hosts = ordered(hosts);
        services = ordered(services);
        sources = List.copyOf(sources);
        expectations = List.copyOf(expectations);
    }

    static <K, V> Map<K, V> ordered(Map<K, V> m) { return Collections.unmodifiableMap(new LinkedHashMap<>(m)); }

    /** An L2 network with its IPv4 and/or IPv6 prefixes. */
    public record SegmentDef(String name, List<Prefix> prefixes, Pos pos) {
        public SegmentDef { prefixes = List.copyOf(prefixes); }
    }

    /** rp_filter mode: off (0), strict (1), loose (2; Debian's default). */
    public enum RpFilter { OFF, STRICT, LOOSE }

    /** A host: interfaces in file order, extra loopback addresses, raw routes, and the user's free-text comment. */
    public record HostDef(String name, boolean forwarding, RpFilter rpFilter, Map<String, InterfaceDef> interfaces,
                          List<InterfaceAddress> loopbacks, List<RouteDef> routes, Pos pos, Optional<String> comment) {
        public HostDef {
            interfaces = ordered(interfaces);
            loopbacks = List.copyOf(loopbacks);
            routes = List.copyOf(routes);
        }

        /** A host without a comment. */
        public HostDef(String name, boolean forwarding, RpFilter rpFilter, Map<String, InterfaceDef> interfaces,
                       List<InterfaceAddress> loopbacks, List<RouteDef> routes, Pos pos) {
            this(name, forwarding, rpFilter, interfaces, loopbacks, routes, pos, Optional.empty());
        }
    }

    /** An interface on a segment with its addresses and, optionally, default gateways (one per family). */
    public record InterfaceDef(String name, String segment, List<InterfaceAddress> addresses, List<Ip> gateways, Pos pos) {
        public InterfaceDef {
            addresses = List.copyOf(addresses);
            gateways = List.copyOf(gateways);
        }
    }

    /** A raw route: {@code to} via a gateway and/or out a device, or a blackhole/unreachable/prohibit. */
    public record RouteDef(Prefix to, Optional<Ip> via, Optional<String> dev, int metric, Optional<Ip> src,
                           String type, Pos pos) { }

    /** A transport port a service answers on: tcp/80, udp/53. */
    public record PortDef(Proto proto, int port) {
        @Override
        public String toString() { return proto.word() + "/" + port; }
    }

    /** Where a service's sockets bind: the service address only (T6), or the wildcard. */
    public enum Bind { ADDRESS, ANY }

    /**
     * Who may reach a service. Empty lists everywhere mean "anyone". Interfaces are "host:ifname".
     */
    public record AllowDef(List<String> segments, List<Prefix> sources, List<IfaceRef> interfaces, Pos pos) {
        public AllowDef {
            segments = List.copyOf(segments);
            sources = List.copyOf(sources);
            interfaces = List.copyOf(interfaces);
        }

        public boolean anyone() { return segments.isEmpty() && sources.isEmpty() && interfaces.isEmpty(); }

        public static AllowDef everyone() { return new AllowDef(List.of(), List.of(), List.of(), Pos.NONE); }
    }

    /** A reference to one interface of one host, written "host:ifname". */
    public record IfaceRef(String host, String iface, Pos pos) {
        @Override
        public String toString() { return host + ":" + iface; }
    }

    /** {@code docker run -p ADDR:HOSTPORT:CONTAINERPORT} on the service's host (T5). */
    public record DockerDef(String container, Proto proto, int containerPort, int hostPort, Pos pos) { }

    /**
     * A service: its addresses (on lo of every service host), ports, whether ICMP echo is allowed,
     * service hosts in preference order (route metrics 1, 2, ... on routers, T7), who may reach it,
     * where it binds, an optional Docker publish, and the user's free-text comment (shown by plan and report).
     */
    public record ServiceDef(String name, List<Ip> addresses, List<PortDef> ports, boolean ping, List<String> hosts,
                             AllowDef allow, Bind bind, Optional<DockerDef> docker, Pos pos, Optional<String> comment) {
        public ServiceDef {
            addresses = List.copyOf(addresses);
            ports = List.copyOf(ports);
            hosts = List.copyOf(hosts);
        }

        /** A service without a comment. */
        public ServiceDef(String name, List<Ip> addresses, List<PortDef> ports, boolean ping, List<String> hosts,
                          AllowDef allow, Bind bind, Optional<DockerDef> docker, Pos pos) {
            this(name, addresses, ports, ping, hosts, allow, bind, docker, pos, Optional.empty());
        }
    }

    /** T8: host {@code host} originates traffic to {@code to} from its loopback address {@code from}. */
    public record SourceDef(String host, Prefix to, Ip from, Pos pos) { }

    /** An expectation for {@code check}: from a host to a service or address, reachable or not. */
    public record ExpectDef(String from, String to, Proto proto, int port, boolean reachable, Pos pos) { }
}
