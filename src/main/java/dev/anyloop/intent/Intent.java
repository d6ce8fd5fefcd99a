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
                     Map<String, ServiceDef> services, List<SourceDef> sources, List<ExpectDef> expectations,
                     List<Diagnostic> warnings) {
    public Intent {
        segments = ordered(segments);
        hosts = ordered(hosts);
        services = ordered(services);
        sources = List.copyOf(sources);
        expectations = List.copyOf(expectations);
        warnings = warnings.stream().sorted().toList();
    }

    /** An intent without warnings (built by code, not read from a file). */
    public Intent(String file, Map<String, SegmentDef> segments, Map<String, HostDef> hosts, Map<String, ServiceDef> services,
                  List<SourceDef> sources, List<ExpectDef> expectations) {
        this(file, segments, hosts, services, sources, expectations, List.of());
    }

    /** The same intent with {@code more} warnings. */
    Intent withWarnings(List<Diagnostic> more) {
        List<Diagnostic> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new Intent(file, segments, hosts, services, sources, expectations, all);
    }

    /** The services that hold {@code address}, in file order (several when they share it with different ports). */
    public List<ServiceDef> servicesAt(Ip address) {
        return services.values().stream().filter(s -> s.addresses().contains(address)).toList();
    }

    static <K, V> Map<K, V> ordered(Map<K, V> m) { return Collections.unmodifiableMap(new LinkedHashMap<>(m)); }

    /**
     * An L2 network with its IPv4 and/or IPv6 prefixes and, optionally, the fence around it: with {@code may-reach}
     * its hosts' packets are forwarded only to the segments listed there, to the internet when it says so, and to
     * services whose {@code allow:} admits the segment; everything else they send through a router is dropped.
     */
    public record SegmentDef(String name, List<Prefix> prefixes, Optional<ReachDef> reach, Pos pos) {
        public SegmentDef { prefixes = List.copyOf(prefixes); }

        /** A segment without a fence. */
        public SegmentDef(String name, List<Prefix> prefixes, Pos pos) { this(name, prefixes, Optional.empty(), pos); }
    }

    /**
     * A segment's {@code may-reach:} list: other segments by name (each where it is written), and {@code internet},
     * which stands for every destination outside the segments' prefixes and the service addresses of this file.
     */
    public record ReachDef(List<String> segments, List<Pos> segmentPositions, boolean internet, Pos pos) {
        public ReachDef {
            segments = List.copyOf(segments);
            segmentPositions = List.copyOf(segmentPositions);
            if (segments.size() != segmentPositions.size()) throw new IllegalArgumentException("one position per segment");
        }

        /** The word that stands for destinations outside the network. */
        public static final String INTERNET = "internet";
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

    /** A transport port or an inclusive port range a service answers on: tcp/80, udp/53, tcp/8000-8010. */
    public record PortDef(Proto proto, int port, int last) {
        public PortDef {
            if (last < port) throw new IllegalArgumentException("port range " + port + "-" + last + " ends before it starts");
        }

        /** One port. */
        public PortDef(Proto proto, int port) { this(proto, port, port); }

        public boolean single() { return port == last; }

        /** The number of ports in the range. */
        public int count() { return last - port + 1; }

        public boolean contains(Proto p, int n) { return p == proto && n >= port && n <= last; }

        public boolean overlaps(PortDef o) { return o.proto == proto && o.port <= last && port <= o.last; }

        @Override
        public String toString() { return proto.word() + "/" + port + (single() ? "" : "-" + last); }
    }

    /** How routers learn a service's addresses: derived static routes (default), or nothing anyloop derives. */
    public enum Routing { STATIC, NONE }

    /** Where a service's sockets bind: the service address only (T6), or the wildcard. */
    public enum Bind { ADDRESS, ANY }

    /**
     * Who may reach a service: its {@code allow:} entries in file order (segments, then sources, then interfaces).
     * No entry means "anyone". The compiler records which entry each firewall rule implements, so a verdict can name it.
     */
    public record AllowDef(List<AllowEntry> entries, Pos pos) {
        public AllowDef { entries = List.copyOf(entries); }

        /** The entries of three lists, each item at its position (Pos.NONE when built by code). */
        public static AllowDef of(List<String> segments, List<Prefix> sources, List<IfaceRef> interfaces, Pos pos) {
            List<AllowEntry> out = new java.util.ArrayList<>();
            for (String s : segments) out.add(new AllowEntry(AllowEntry.Kind.SEGMENT, s, Optional.empty(), Optional.empty(), Pos.NONE));
            for (Prefix p : sources) out.add(new AllowEntry(AllowEntry.Kind.SOURCE, p.toString(), Optional.of(p), Optional.empty(), Pos.NONE));
            for (IfaceRef r : interfaces) out.add(AllowEntry.iface(r));
            return new AllowDef(out, pos);
        }

        public boolean anyone() { return entries.isEmpty(); }

        public List<String> segments() {
            return entries.stream().filter(e -> e.kind() == AllowEntry.Kind.SEGMENT).map(AllowEntry::value).toList();
        }

        public List<Prefix> sources() { return entries.stream().flatMap(e -> e.prefix().stream()).toList(); }

        public List<IfaceRef> interfaces() { return entries.stream().flatMap(e -> e.iface().stream()).toList(); }

        public static AllowDef everyone() { return new AllowDef(List.of(), Pos.NONE); }
    }

    /**
     * One item of a service's {@code allow:}: a segment name, a source prefix or a host:interface, where it is written.
     * {@code prefix} is present exactly for sources and {@code iface} exactly for interfaces.
     */
    public record AllowEntry(Kind kind, String value, Optional<Prefix> prefix, Optional<IfaceRef> iface, Pos pos) {
        /** The three lists of {@code allow:}. */
        public enum Kind {
            SEGMENT("segments"), SOURCE("sources"), INTERFACE("interfaces");

            private final String key;

            Kind(String key) { this.key = key; }

            /** The key the entry is listed under. */
            public String key() { return key; }
        }

        static AllowEntry segment(String name, Pos pos) { return new AllowEntry(Kind.SEGMENT, name, Optional.empty(), Optional.empty(), pos); }

        static AllowEntry source(Prefix p, Pos pos) { return new AllowEntry(Kind.SOURCE, p.toString(), Optional.of(p), Optional.empty(), pos); }

        static AllowEntry iface(IfaceRef r) { return new AllowEntry(Kind.INTERFACE, r.toString(), Optional.empty(), Optional.of(r), r.pos()); }

        /** "segments lan", "sources 10.2.0.0/24", "interfaces core1:eth2": the entry as a rule comment names it. */
        public String label() { return kind.key() + " " + value; }
    }

    /** A reference to one interface of one host, written "host:ifname". */
    public record IfaceRef(String host, String iface, Pos pos) {
        @Override
        public String toString() { return host + ":" + iface; }
    }

    /** {@code docker run -p ADDR:HOSTPORT:CONTAINERPORT[/PROTO] ...} on the service's host (T5): one container, its published ports. */
    public record DockerDef(String container, List<Publish> publish, Pos pos) {
        public DockerDef { publish = List.copyOf(publish); }
    }

    /** One {@code -p ADDR:HOSTPORT:CONTAINERPORT/PROTO}. */
    public record Publish(Proto proto, int hostPort, int containerPort) {
        /** "80:2368/tcp", as docker run writes it. */
        @Override
        public String toString() { return hostPort + ":" + containerPort + "/" + proto.word(); }
    }

    /**
     * A service: its addresses (on lo of every service host), ports, whether ICMP echo is allowed,
     * service hosts in preference order (route metrics 1, 2, ... on routers, T7), who may reach it,
     * where it binds, an optional Docker publish, how routers learn its addresses, and the user's free-text comment
     * (shown by plan and report).
     */
    public record ServiceDef(String name, List<Ip> addresses, List<PortDef> ports, boolean ping, List<String> hosts,
                             AllowDef allow, Bind bind, Optional<DockerDef> docker, Routing routing, Pos pos,
                             Optional<String> comment) {
        public ServiceDef {
            addresses = List.copyOf(addresses);
            ports = List.copyOf(ports);
            hosts = List.copyOf(hosts);
        }

        /** A service routed by derived static routes, without a comment. */
        public ServiceDef(String name, List<Ip> addresses, List<PortDef> ports, boolean ping, List<String> hosts,
                          AllowDef allow, Bind bind, Optional<DockerDef> docker, Pos pos) {
            this(name, addresses, ports, ping, hosts, allow, bind, docker, Routing.STATIC, pos, Optional.empty());
        }

        /** A service routed by derived static routes, with a comment. */
        public ServiceDef(String name, List<Ip> addresses, List<PortDef> ports, boolean ping, List<String> hosts,
                          AllowDef allow, Bind bind, Optional<DockerDef> docker, Pos pos, Optional<String> comment) {
            this(name, addresses, ports, ping, hosts, allow, bind, docker, Routing.STATIC, pos, comment);
        }
    }

    /**
     * T8: host {@code host} originates traffic to {@code to} from its loopback address {@code from}. {@code to} is a
     * prefix the host routes (connected, declared, or derived for a service), or any destination inside one, such as a
     * single address: it then gets a route of its own carrying the source.
     */
    public record SourceDef(String host, Prefix to, Ip from, Pos pos) { }

    /** An expectation for {@code check}: from a host to a service or address, reachable or not. */
    public record ExpectDef(String from, String to, Proto proto, int port, boolean reachable, Pos pos) { }
}
