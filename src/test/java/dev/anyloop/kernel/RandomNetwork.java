package dev.anyloop.kernel;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Match;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Segment;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of random networks built directly as {@link DeviceState}s and {@link Segment}s:
 * one or two routers, LANs (point-to-point or bridged), hosts with loopback service addresses, shared
 * (anycast) addresses with metric-ordered routes, {@code src} hints, blackhole / unreachable / prohibit
 * routes, rp_filter modes, filter rules with user chains, DNAT and SNAT/MASQUERADE, TCP and UDP
 * listeners, and IPv6 on some networks. Everything it makes is something the renderers and the lab accept.
 *
 * <p>Left out on purpose (the simulator does not model it): ip6tables rules that could drop neighbour
 * discovery, UDP services on the wildcard other than DNS (a socket on the wildcard answers from the
 * address routing picks, which a connected client refuses), and two listening sockets on one port
 * where one is the wildcard.
 */
final class RandomNetwork {
    /** A generated network and the addresses worth probing (configured ones, DNAT'ed ones, unused ones). */
    record Generated(long seed, Network network, List<Ip> targets, Map<Ip, Set<Integer>> dnatPorts) { }

    static final int[] TCP_PORTS = {22, 80, 443, 8080};
    private static final Ip V4_ZERO = Ip.parse("0.0.0.0");
    private static final Ip V6_ZERO = Ip.parse("::");

    private final Random r;
    private final long seed;
    private final boolean v6;
    private final List<HostBuilder> routers = new ArrayList<>();
    private final List<HostBuilder> hosts = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    /** LAN index -> its router, its router's interface, its hosts. */
    private final List<Lan> lans = new ArrayList<>();
    private final List<Ip> extraTargets = new ArrayList<>();
    private final Map<Ip, Set<Integer>> dnatPorts = new LinkedHashMap<>();

    private record Lan(int index, HostBuilder router, String routerDev, List<HostBuilder> hosts, Prefix net4, Optional<Prefix> net6) { }

    private RandomNetwork(long seed) {
        this.seed = seed;
        this.r = new Random(seed);
        this.v6 = r.nextInt(3) == 0;
    }

    static Generated generate(long seed) { return new RandomNetwork(seed).build(); }

    private boolean chance(int percent) { return r.nextInt(100) < percent; }

    private <T> T pick(List<T> l) { return l.get(r.nextInt(l.size())); }

    private static Ip v4(String s) { return Ip.parse(s); }

    private Generated build() {
        int nRouters = 1 + r.nextInt(2);
        for (int i = 0; i < nRouters; i++) routers.add(new HostBuilder("r" + i, true));
        int[] routerIfaces = new int[nRouters];
        HostBuilder coreHost = null;
        if (nRouters == 2) {
            List<Segment.Port> ports = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                routers.get(i).iface("eth0", InterfaceAddress.parse("10.99.0." + (i + 1) + "/24"), v6 ? Optional.of(InterfaceAddress.parse("fd00:99::" + (i + 1) + "/64")) : Optional.empty());
                ports.add(new Segment.Port("r" + i, "eth0"));
                routerIfaces[i] = 1;
            }
            if (chance(30)) { // a host on the core makes it a bridged segment
                coreHost = new HostBuilder("hc", false);
                coreHost.iface("eth0", InterfaceAddress.parse("10.99.0.10/24"), v6 ? Optional.of(InterfaceAddress.parse("fd00:99::10/64")) : Optional.empty());
                ports.add(new Segment.Port("hc", "eth0"));
                hosts.add(coreHost);
            }
            segments.add(new Segment("core", ports));
        }
        int nLans = Math.max(1, 2 + r.nextInt(3) - (nRouters == 2 ? 1 : 0)); // 2..4 segments in all
        int h = 0;
        for (int i = 0; i < nLans; i++) {
            HostBuilder router = routers.get(i % nRouters);
            String dev = "eth" + routerIfaces[i % nRouters]++;
            Prefix net4 = Prefix.parse("10." + (i + 1) + ".0.0/24");
            Optional<Prefix> net6 = v6 ? Optional.of(Prefix.parse("fd00:" + (i + 1) + "::/64")) : Optional.empty();
            router.iface(dev, addr4(net4, 1), net6.map(p -> addr6(p, 1)));
            List<Segment.Port> ports = new ArrayList<>(List.of(new Segment.Port(router.name, dev)));
            List<HostBuilder> mine = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int j = 0; j < n; j++) {
                HostBuilder hb = new HostBuilder("h" + h++, false);
                int no = 10 + j;
                hb.iface("eth0", addr4(net4, no), net6.map(p -> addr6(p, no)));
                ports.add(new Segment.Port(hb.name, "eth0"));
                mine.add(hb);
                hosts.add(hb);
            }
            segments.add(new Segment("lan" + i, ports));
            lans.add(new Lan(i, router, dev, mine, net4, net6));
            extraTargets.add(Ip.v4(net4.network().lo() + 99)); // nobody there
        }
        if (nLans >= 2 && chance(30)) multiHome();
        for (HostBuilder hb : hosts) hostAddressing(hb);
        for (HostBuilder rt : routers) {
            if (chance(60)) rt.loopback(v4("10.53.0." + (routers.indexOf(rt) + 1)));
        }
        anycast();
        hostRoutes(coreHost);
        routerRoutes();
        for (HostBuilder rt : routers) {
            // ICMP redirects are not modelled: one is sent before filter FORWARD runs, and the host that
            // accepts it sends later flows directly, so a verdict would depend on earlier probes
            rt.sysctl("net.ipv4.conf.all.send_redirects", "0");
            for (String dev : ifaces(rt)) rt.sysctl("net.ipv4.conf." + dev + ".send_redirects", "0");
            rt.sysctl("net.ipv4.ip_forward", chance(90) ? "1" : "0");
            if (v6) rt.sysctl("net.ipv6.conf.all.forwarding", chance(90) ? "1" : "0");
        }
        List<HostBuilder> all = new ArrayList<>(routers);
        all.addAll(hosts);
        for (HostBuilder hb : all) {
            rpFilter(hb);
            listeners(hb);
        }
        for (HostBuilder rt : routers) {
            if (chance(50)) dnat(rt);
            if (chance(35)) snat(rt);
            if (chance(55)) new Rules(r, this, rt).forward();
            if (chance(30)) new Rules(r, this, rt).input();
        }
        for (HostBuilder hb : hosts) {
            if (chance(40)) new Rules(r, this, hb).input();
            if (chance(15)) new Rules(r, this, hb).output();
            if (v6 && chance(30)) new Rules(r, this, hb).input6();
        }
        Map<String, DeviceState> states = new LinkedHashMap<>();
        for (HostBuilder hb : all) states.put(hb.name, hb.build());
        Network n = new Network(states, segments);
        Set<Ip> targets = new LinkedHashSet<>();
        for (DeviceState d : n.hosts().values()) {
            d.addresses().forEach(a -> {
                Ip ip = a.address().ip();
                if (!ip.isLoopback() && !ip.isLinkLocal()) targets.add(ip);
            });
        }
        targets.addAll(dnatPorts.keySet());
        targets.addAll(extraTargets);
        return new Generated(seed, n, List.copyOf(targets), dnatPorts);
    }

    private static InterfaceAddress addr4(Prefix net, int host) { return InterfaceAddress.of(Ip.v4(net.network().lo() + host), net.length()); }

    private static InterfaceAddress addr6(Prefix net, int host) {
        return InterfaceAddress.of(Ip.v6(net.network().hi(), net.network().lo() + host), net.length());
    }

    /** One host gets a second interface on another LAN: asymmetric paths, where rp_filter decides. */
    private void multiHome() {
        Lan a = pick(lans);
        Lan b = lans.get((a.index() + 1) % lans.size());
        HostBuilder hb = a.hosts().get(0);
        int hostNo = 50;
        hb.iface("eth1", addr4(b.net4(), hostNo), b.net6().map(p -> addr6(p, hostNo)));
        List<Segment.Port> ports = new ArrayList<>(segments.stream().filter(s -> s.name().equals("lan" + b.index())).findFirst().orElseThrow().ports());
        ports.add(new Segment.Port(hb.name, "eth1"));
        segments.replaceAll(s -> s.name().equals("lan" + b.index()) ? new Segment(s.name(), ports) : s);
    }

    private void hostAddressing(HostBuilder hb) {
        int idx = Integer.parseInt(hb.name.substring(1).replace("c", "90"));
        if (chance(75)) hb.loopback(v4("10.200." + idx + ".1"));
        if (chance(25)) hb.loopback(v4("10.200." + idx + ".2"));
        if (v6 && chance(50)) hb.loopback(Ip.parse("fd00:200::" + (idx + 1)));
    }

    /** T7: two hosts of one LAN share an address; the router prefers one by metric. */
    private void anycast() {
        List<Lan> withTwo = lans.stream().filter(l -> l.hosts().size() >= 2).toList();
        if (withTwo.isEmpty() || !chance(60)) return;
        Lan l = pick(withTwo);
        Ip any = v4("10.201.0.1");
        l.hosts().get(0).loopback(any);
        l.hosts().get(1).loopback(any);
        Prefix p = Prefix.host(any);
        HostBuilder first = l.hosts().get(chance(50) ? 0 : 1);
        HostBuilder second = first == l.hosts().get(0) ? l.hosts().get(1) : l.hosts().get(0);
        l.router().via(p, first.addressOn("eth0", Family.V4).orElseThrow(), l.routerDev(), 1, Optional.empty());
        l.router().via(p, second.addressOn("eth0", Family.V4).orElseThrow(), l.routerDev(), 2, Optional.empty());
        otherRouter(l.router()).ifPresent(o -> o.via(p, core(l.router()), "eth0", 1, Optional.empty()));
    }

    private Optional<HostBuilder> otherRouter(HostBuilder rt) {
        return routers.size() < 2 ? Optional.empty() : Optional.of(routers.get(1 - routers.indexOf(rt)));
    }

    /** The core address of router {@code rt}. */
    private static Ip core(HostBuilder rt) { return rt.addressOn("eth0", Family.V4).orElseThrow(); }

    private static Ip core6(HostBuilder rt) { return rt.addressOn("eth0", Family.V6).orElseThrow(); }

    private void hostRoutes(HostBuilder coreHost) {
        for (Lan l : lans) {
            Ip gw = l.router().addressOn(l.routerDev(), Family.V4).orElseThrow();
            for (HostBuilder hb : l.hosts()) {
                if (chance(88)) {
                    List<Ip> lbs = hb.loopbacks(Family.V4);
                    Optional<Ip> src = !lbs.isEmpty() && chance(25) ? Optional.of(pick(lbs)) : Optional.empty();
                    hb.via(Prefix.parse("0.0.0.0/0"), gw, "eth0", 0, src);
                }
                if (l.net6().isPresent() && chance(88)) {
                    hb.via(Prefix.parse("::/0"), l.router().addressOn(l.routerDev(), Family.V6).orElseThrow(), "eth0", 0, Optional.empty());
                }
                if (chance(10)) hb.special(pickSpecial(), Prefix.parse("10.200.0.0/16"), 0);
            }
        }
        if (coreHost != null) {
            HostBuilder via = pick(routers);
            coreHost.via(Prefix.parse("0.0.0.0/0"), core(via), "eth0", 0, Optional.empty());
            if (v6) coreHost.via(Prefix.parse("::/0"), core6(via), "eth0", 0, Optional.empty());
        }
    }

    private Route.Type pickSpecial() {
        return pick(List.of(Route.Type.BLACKHOLE, Route.Type.UNREACHABLE, Route.Type.PROHIBIT));
    }

    private void routerRoutes() {
        for (Lan l : lans) {
            Optional<HostBuilder> other = otherRouter(l.router());
            for (HostBuilder hb : l.hosts()) {
                Ip gw = hb.addressOn("eth0", Family.V4).orElseThrow();
                for (Ip lb : hb.loopbacks(Family.V4)) {
                    Prefix p = Prefix.host(lb);
                    if (l.router().hasRoute(p, 1) || !chance(90)) continue;
                    l.router().via(p, gw, l.routerDev(), 1, Optional.empty());
                    other.ifPresent(o -> o.via(p, core(l.router()), "eth0", 1, Optional.empty()));
                }
                Optional<Ip> gw6 = hb.addressOn("eth0", Family.V6);
                for (Ip lb : hb.loopbacks(Family.V6)) {
                    if (gw6.isEmpty() || !chance(90)) continue;
                    l.router().via(Prefix.host(lb), gw6.get(), l.routerDev(), 1, Optional.empty());
                    other.ifPresent(o -> o.via(Prefix.host(lb), core6(l.router()), "eth0", 1, Optional.empty()));
                }
            }
            other.ifPresent(o -> {
                if (chance(92)) {
                    List<Ip> lbs = o.loopbacks(Family.V4);
                    Optional<Ip> src = !lbs.isEmpty() && chance(30) ? Optional.of(lbs.get(0)) : Optional.empty();
                    o.via(l.net4(), core(l.router()), "eth0", 0, src);
                }
                l.net6().ifPresent(n6 -> o.via(n6, core6(l.router()), "eth0", 0, Optional.empty()));
            });
        }
        for (HostBuilder rt : routers) {
            otherRouter(rt).ifPresent(o -> {
                for (Ip lb : rt.loopbacks(Family.V4)) o.via(Prefix.host(lb), core(rt), "eth0", 0, Optional.empty());
                o.via(Prefix.parse("10.60." + routers.indexOf(rt) + ".0/24"), core(rt), "eth0", 0, Optional.empty());
            });
            if (chance(40)) { // a discard route: on a loopback (metric 0 shadows the metric-1 route) or on part of a LAN
                List<Ip> lbs = hosts.stream().flatMap(hb -> hb.loopbacks(Family.V4).stream()).toList();
                Prefix p = !lbs.isEmpty() && chance(60) ? Prefix.host(pick(lbs)) : Prefix.parse("10." + (1 + r.nextInt(lans.size())) + ".0.8/29");
                if (!rt.hasRoute(p, 0)) rt.special(pickSpecial(), p, 0);
            }
        }
    }

    private void rpFilter(HostBuilder hb) {
        int mode = pick(List.of(0, 0, 1, 2));
        if (chance(70)) {
            hb.sysctl("net.ipv4.conf.all.rp_filter", Integer.toString(mode));
        } else {
            for (var l : hb.links) {
                if (!l.name().equals("lo")) hb.sysctl("net.ipv4.conf." + l.name() + ".rp_filter", Integer.toString(pick(List.of(0, 1, 2))));
            }
        }
    }

    /**
     * TCP on specific addresses or the wildcard (never both on one port: the second bind fails), DNS
     * (dnsmasq) on specific addresses or the wildcard, UDP echo on specific addresses only.
     */
    private void listeners(HostBuilder hb) {
        List<Ip> own = new ArrayList<>(hb.loopbacks(Family.V4));
        own.addAll(hb.interfaceAddresses(Family.V4));
        List<Ip> own6 = new ArrayList<>(hb.loopbacks(Family.V6));
        own6.addAll(hb.interfaceAddresses(Family.V6));
        Set<Integer> ports = new LinkedHashSet<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) ports.add(TCP_PORTS[r.nextInt(TCP_PORTS.length)]);
        for (int port : ports) {
            int k = r.nextInt(10);
            if (k < 2) {
                hb.listen(Proto.TCP, V4_ZERO, port);
            } else if (k < 3 && v6) {
                hb.listeners.add(new Listener(Proto.TCP, V6_ZERO, port, false, "")); // dual stack
            } else {
                Set<Ip> at = new LinkedHashSet<>();
                for (int j = 0; j < 1 + r.nextInt(2); j++) at.add(pick(own));
                if (!own6.isEmpty() && chance(30)) at.add(pick(own6));
                for (Ip a : at) hb.listen(Proto.TCP, a, port);
            }
        }
        if (chance(hb.router ? 60 : 30)) {
            if (chance(30)) {
                hb.listen(Proto.UDP, V4_ZERO, 53);
            } else {
                List<Ip> lbs = hb.loopbacks(Family.V4);
                hb.listen(Proto.UDP, lbs.isEmpty() || chance(30) ? pick(own) : pick(lbs), 53);
            }
        }
        if (chance(25)) hb.listen(Proto.UDP, pick(own), 7);
        if (!own6.isEmpty() && chance(15)) hb.listen(Proto.UDP, pick(own6), 7);
    }

    /** nat PREROUTING on a router: a virtual address, or one of its own, DNAT'ed to a host's listener. */
    private void dnat(HostBuilder rt) {
        List<HostBuilder> behind = lans.stream().filter(l -> l.router() == rt).flatMap(l -> l.hosts().stream()).toList();
        if (behind.isEmpty()) return;
        HostBuilder to = pick(behind);
        List<Listener> tcp = to.listeners.stream().filter(l -> l.proto() == Proto.TCP && l.address().isV4()).toList();
        Ip toAddr = to.addressOn("eth0", Family.V4).orElseThrow();
        int toPort = 80;
        if (!tcp.isEmpty() && chance(80)) {
            Listener l = pick(tcp);
            toPort = l.port();
            if (!l.address().isZero()) toAddr = l.address();
        }
        Ip vip = chance(60) ? v4("10.60." + routers.indexOf(rt) + "." + (1 + r.nextInt(3)))
                : pick(chance(50) && !rt.loopbacks(Family.V4).isEmpty() ? rt.loopbacks(Family.V4) : rt.interfaceAddresses(Family.V4));
        int port = pick(List.of(80, 8080, 2222));
        List<Match> m = new ArrayList<>(List.of(new Match.Destination(Prefix.host(vip), false), new Match.Protocol("tcp", false),
                new Match.DstPorts(List.of(PortRange.of(port)), false)));
        if (chance(25)) m.add(0, new Match.InInterface(pick(ifaces(rt)), chance(50)));
        rt.rule(Family.V4, "nat", "PREROUTING", new Rule(m, new Target.Dnat(toAddr, chance(80) ? Optional.of(PortRange.of(toPort)) : Optional.empty()), Optional.empty()));
        dnatPorts.computeIfAbsent(vip, k -> new LinkedHashSet<>()).add(port);
        if (chance(40)) { // a UDP DNAT to a DNS listener, when there is one
            to.listeners.stream().filter(l -> l.proto() == Proto.UDP && l.port() == 53 && l.address().isV4()).findFirst().ifPresent(l -> {
                Ip dst = l.address().isZero() ? to.addressOn("eth0", Family.V4).orElseThrow() : l.address();
                rt.rule(Family.V4, "nat", "PREROUTING", Rule.of(new Target.Dnat(dst, Optional.empty()),
                        new Match.Destination(Prefix.host(vip), false), new Match.Protocol("udp", false),
                        new Match.DstPorts(List.of(PortRange.of(53)), false)));
                dnatPorts.get(vip).add(-53);
            });
        }
    }

    /** nat POSTROUTING on a router: MASQUERADE or SNAT of a LAN leaving through another interface. */
    private void snat(HostBuilder rt) {
        List<Lan> mine = lans.stream().filter(l -> l.router() == rt).toList();
        if (mine.isEmpty()) return;
        Lan l = pick(mine);
        List<String> others = ifaces(rt).stream().filter(x -> !x.equals(l.routerDev())).toList();
        String out = others.isEmpty() ? l.routerDev() : pick(others);
        Target t = chance(50) ? new Target.Masquerade() : new Target.Snat(rt.addressOn(out, Family.V4).orElseThrow(), Optional.empty());
        rt.rule(Family.V4, "nat", "POSTROUTING", Rule.of(t, new Match.Source(l.net4(), false), new Match.OutInterface(out, false)));
    }

    static List<String> ifaces(HostBuilder hb) {
        return hb.links.stream().map(x -> x.name()).filter(x -> !x.equals("lo")).toList();
    }

    // ---- what Rules reads --------------------------------------------------------------------

    List<Prefix> lanNets() { return lans.stream().map(Lan::net4).toList(); }

    List<Ip> allLoopbacks() {
        List<Ip> out = new ArrayList<>();
        for (HostBuilder hb : hosts) out.addAll(hb.loopbacks(Family.V4));
        for (HostBuilder hb : routers) out.addAll(hb.loopbacks(Family.V4));
        return out;
    }

    List<Ip> allInterfaceAddresses() {
        List<Ip> out = new ArrayList<>();
        for (HostBuilder hb : hosts) out.addAll(hb.interfaceAddresses(Family.V4));
        for (HostBuilder hb : routers) out.addAll(hb.interfaceAddresses(Family.V4));
        return out;
    }
}
