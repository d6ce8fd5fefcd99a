package dev.anyloop.lab;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import dev.anyloop.state.Sysctls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built DeviceStates and Networks for lab tests, independent of the compiler. */
public final class Hosts {
    private final String name;
    private final List<Link> links = new ArrayList<>(List.of(new Link("lo", Link.Kind.LOOPBACK, true)));
    private final List<Address> addresses = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();

    private Hosts(String name) {
        this.name = name;
        addresses.add(new Address("lo", InterfaceAddress.parse("127.0.0.1/8"), Address.Scope.HOST));
    }

    static Hosts host(String name) { return new Hosts(name); }

    Hosts iface(String dev, String cidr) { return link(dev, Link.Kind.ETHER, cidr); }

    Hosts bridge(String dev, String cidr) { return link(dev, Link.Kind.BRIDGE, cidr); }

    private Hosts link(String dev, Link.Kind kind, String cidr) {
        links.add(new Link(dev, kind, true));
        InterfaceAddress a = InterfaceAddress.parse(cidr);
        addresses.add(Address.global(dev, a));
        routes.add(Route.connected(a.network(), dev, a.ip(), 0));
        return this;
    }

    Hosts lo(String cidr) {
        addresses.add(new Address("lo", InterfaceAddress.parse(cidr), Address.Scope.GLOBAL));
        return this;
    }

    Hosts via(String dst, String gw, String dev, int metric) {
        routes.add(Route.via(Prefix.parse(dst), Ip.parse(gw), dev, metric, Route.PROTO_ANYLOOP));
        return this;
    }

    Hosts forwarding() {
        sysctls.put("net.ipv4.ip_forward", "1");
        return this;
    }

    Hosts listen(Proto p, String ip, int port) {
        listeners.add(Listener.of(p, Ip.parse(ip), port, ""));
        return this;
    }

    DeviceState build() {
        return DeviceState.builder(name).links(links).addresses(addresses).routes(routes).sysctls(Sysctls.of(sysctls))
                .listeners(listeners).build();
    }

    static Segment segment(String name, String... hostDev) {
        List<Segment.Port> ports = new ArrayList<>();
        for (String hd : hostDev) {
            String[] p = hd.split(":");
            ports.add(new Segment.Port(p[0], p[1]));
        }
        return new Segment(name, ports);
    }

    public static Network network(List<DeviceState> hosts, Segment... segments) {
        Map<String, DeviceState> m = new LinkedHashMap<>();
        for (DeviceState d : hosts) m.put(d.host(), d);
        return new Network(m, List.of(segments));
    }

    /** client -- router -- server; the router holds DNS on its loopback, the server a web service on its loopback. */
    static Network routed() {
        return network(List.of(
                host("client").iface("eth0", "10.0.1.2/24").via("0.0.0.0/0", "10.0.1.1", "eth0", 0).build(),
                host("router").forwarding().iface("eth0", "10.0.1.1/24").iface("eth1", "10.0.2.1/24").lo("10.53.0.1/32")
                        .via("10.10.10.10/32", "10.0.2.2", "eth1", 1)
                        .listen(Proto.UDP, "10.53.0.1", 53).listen(Proto.TCP, "10.53.0.1", 53).build(),
                host("server").iface("eth0", "10.0.2.2/24").lo("10.10.10.10/32").via("0.0.0.0/0", "10.0.2.1", "eth0", 0)
                        .listen(Proto.TCP, "10.10.10.10", 80).listen(Proto.UDP, "10.10.10.10", 7).build()),
                segment("a", "client:eth0", "router:eth0"), segment("b", "router:eth1", "server:eth0"));
    }

    /** Three hosts on one shared segment (a switch namespace with a bridge). */
    static Network shared() {
        return network(List.of(
                host("h1").iface("eth0", "10.0.3.1/24").listen(Proto.TCP, "10.0.3.1", 22).build(),
                host("h2").iface("eth0", "10.0.3.2/24").listen(Proto.TCP, "0.0.0.0", 22).build(),
                host("h3").iface("eth0", "10.0.3.3/24").build()),
                segment("lan", "h1:eth0", "h2:eth0", "h3:eth0"));
    }

    /** A desktop with Docker's docker0 bridge and one container behind it. */
    static Network docker() {
        return network(List.of(
                host("desktop").bridge("docker0", "172.17.0.1/16").build(),
                host("desktop-ghost").iface("eth0", "172.17.0.2/16").via("0.0.0.0/0", "172.17.0.1", "eth0", 0)
                        .listen(Proto.TCP, "0.0.0.0", 2368).build()),
                segment("docker-desktop", "desktop:docker0", "desktop-ghost:eth0"));
    }
}
