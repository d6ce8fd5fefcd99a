package dev.anyloop.graph;

import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * What the graph shows: segments as networks, hosts and routers attached to them, service addresses as
 * badges on the hosts that carry them (in preference order), and the routes forwarding hosts hold to each
 * service address. Built by {@link TopologyBuilder}; every list is in a stable order (file or snapshot order).
 */
public record Topology(List<Host> hosts, List<SegmentNode> segments, List<Attachment> attachments,
                       List<Service> services, List<RoutedPath> paths) {
    public Topology {
        hosts = List.copyOf(hosts);
        segments = List.copyOf(segments);
        attachments = List.copyOf(attachments);
        services = List.copyOf(services);
        paths = List.copyOf(paths);
    }

    /** What a host is in the picture. */
    public enum Role {
        /** Forwards packets (net.ipv4.ip_forward or IPv6 forwarding on). */
        ROUTER,
        /** An end host. */
        HOST,
        /** A container the compiler derived from a service's {@code docker:} (not written in network.yaml). */
        CONTAINER;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A host with its role, the user's comment on it (network.yaml), and the service addresses it carries. */
    public record Host(String name, Role role, Optional<String> comment, List<Badge> badges) {
        public Host { badges = List.copyOf(badges); }
    }

    /** One service address on one host: {@code rank} of {@code of} in the service's preference order (T7). */
    public record Badge(String service, Ip address, int rank, int of) {
        /** "dns 10.53.0.53 #1/2", or "web 10.10.10.10" for a single-host service. */
        public String text() {
            String name = service.equals(address.toString()) ? service : service + " " + address;
            return of > 1 ? name + " #" + rank + "/" + of : name;
        }
    }

    /** An L2 segment and its prefixes (declared in network.yaml, or the connected networks of its ports). */
    public record SegmentNode(String name, List<Prefix> prefixes) {
        public SegmentNode { prefixes = List.copyOf(prefixes); }
    }

    /** Interface {@code dev} of {@code host} on {@code segment}, with the addresses it holds. */
    public record Attachment(String host, String dev, String segment, List<InterfaceAddress> addresses) {
        public Attachment { addresses = List.copyOf(addresses); }
    }

    /**
     * A service: declared in network.yaml (its name, ports and comment), or, read from a snapshot, one address
     * on loopback or dummy devices named after itself, its ports the sockets that accept it. {@code hosts} are
     * in preference order: file order, or the forwarding hosts' route metrics for a snapshot.
     */
    public record Service(String name, List<Ip> addresses, List<String> hosts, List<PortDef> ports, boolean declared,
                          Optional<String> comment) {
        public Service {
            addresses = List.copyOf(addresses);
            hosts = List.copyOf(hosts);
            ports = List.copyOf(ports);
        }
    }

    /**
     * A route forwarding host {@code router} holds to service address {@code address}: via {@code gateway}
     * (an address of host {@code via}) out {@code dev} with {@code metric}; {@code rank} 1 is the route the
     * kernel picks, 2 the next candidate of the same prefix, and so on.
     */
    public record RoutedPath(String router, Ip address, String via, Ip gateway, String dev, Prefix prefix, int metric, int rank) {
        /** "10.53.0.53 metric 1", with the prefix when the route is wider than the address. */
        public String text() {
            String what = prefix.isHost() ? address.toString() : address + " (" + prefix + ")";
            return what + " metric " + Integer.toUnsignedString(metric);
        }
    }

    public Optional<Host> host(String name) { return hosts.stream().filter(h -> h.name().equals(name)).findFirst(); }

    /** The position of host {@code name} in {@link #hosts()} (the SVG's h-N), or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < hosts.size(); i++) if (hosts.get(i).name().equals(name)) return i;
        return -1;
    }

    /** Attachments of one host, in interface order. */
    public List<Attachment> attachmentsOf(String host) { return attachments.stream().filter(a -> a.host().equals(host)).toList(); }
}
