package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Sysctls;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hand-built DeviceStates covering what the renderers must carry: a router with metric-ordered
 * service routes (T2/T7) and a T8 source, a desktop with AL-IN/AL-PORTS (T4), a Docker host (T5),
 * an IPv6 host, and a host whose rules use every Match and Target variant.
 */
final class Fixtures {
    private Fixtures() { }

    static final String ANY = Route.PROTO_ANYLOOP;

    static Map<String, DeviceState> all() {
        Map<String, DeviceState> m = new LinkedHashMap<>();
        for (DeviceState d : List.of(router(), desktop(), dockerHost(), v6Host(), everything())) m.put(d.host(), d);
        return m;
    }

    /** The seed's router: eth0 upstream, eth1 LAN, DNS on lo (T6), web service via desktop then backup (T7), T8 source. */
    static DeviceState router() {
        List<Address> addrs = new ArrayList<>(loopback());
        addrs.add(Address.global("lo", ia("10.53.0.1/32")));
        addrs.add(Address.global("lo", ia("10.53.0.2/32")));
        addrs.add(Address.global("eth0", ia("198.51.100.2/24")));
        addrs.add(Address.global("eth1", ia("192.168.1.1/24")));
        addrs.add(Address.global("eth1", ia("fd00:1::1/64")));
        addrs.add(new Address("eth1", ia("fe80::1/64"), Address.Scope.LINK));
        List<Route> routes = new ArrayList<>(localRoutes());
        routes.add(Route.connected(p("198.51.100.0/24"), "eth0", ip("198.51.100.2"), 0));
        // T8: ip route change 192.168.1.0/24 src 10.53.0.2
        routes.add(Route.connected(p("192.168.1.0/24"), "eth1", ip("10.53.0.2"), 0));
        routes.add(v6Kernel("fd00:1::/64", "eth1"));
        routes.add(v6Kernel("fe80::/64", "eth1"));
        routes.add(Route.via(p("0.0.0.0/0"), ip("198.51.100.1"), "eth0", 0, ANY));
        routes.add(Route.via(p("10.10.10.10/32"), ip("192.168.1.20"), "eth1", 1, ANY));
        routes.add(Route.via(p("10.10.10.10/32"), ip("192.168.1.21"), "eth1", 2, ANY));
        routes.add(Route.via(p("fd00:53::1/128"), ip("fd00:1::20"), "eth1", 1, ANY));
        routes.add(new Route(Route.Type.BLACKHOLE, p("10.99.0.0/16"), 100, List.of(), 0, Optional.empty(), ANY,
                Route.Scope.GLOBAL));
        routes.add(new Route(Route.Type.UNICAST, p("10.20.0.0/16"), Route.TABLE_MAIN,
                List.of(new NextHop(Optional.of(ip("192.168.1.20")), "eth1", 1),
                        new NextHop(Optional.of(ip("192.168.1.21")), "eth1", 2)), 5, Optional.of(ip("10.53.0.2")), ANY,
                Route.Scope.GLOBAL));
        List<PolicyRule> rules = new ArrayList<>(PolicyRule.defaults(Family.V4));
        rules.addAll(PolicyRule.defaults(Family.V6));
        rules.add(new PolicyRule(Family.V4, 1000, false, Optional.of(p("192.168.1.0/24")), Optional.empty(),
                Optional.of("eth1"), Optional.empty(), Optional.empty(), PolicyRule.Action.LOOKUP, 100));
        rules.add(new PolicyRule(Family.V6, 1000, false, Optional.empty(), Optional.of(p("fd00:53::/64")),
                Optional.empty(), Optional.empty(), Optional.of(0x77L), PolicyRule.Action.LOOKUP, 100));
        Chain fwd = Chain.builtin("FORWARD", new Target.Accept(), List.of(
                Rule.of(new Target.Jump("AL-FWD-web"), dst("10.10.10.10/32"))));
        Chain alFwd = Chain.user("AL-FWD-web", List.of(
                Rule.of(new Target.Return(), new Match.InInterface("eth1", false)),
                Rule.of(new Target.Return(), src("192.168.1.0/24")),
                Rule.of(new Target.Drop())));
        Netfilter v4 = new Netfilter(Family.V4, List.of(filter(List.of(fwd, alFwd))));
        return new DeviceState("router", links("eth0", "eth1"), addrs, routes, rules, routerSysctls(),
                v4, Netfilter.empty(Family.V6), List.of());
    }

    /** T1/T4: the web service's address on lo, AL-IN-web and AL-PORTS-web. */
    static DeviceState desktop() {
        List<Address> addrs = new ArrayList<>(loopback());
        addrs.add(Address.global("lo", ia("10.10.10.10/32")));
        addrs.add(Address.global("eth0", ia("192.168.1.20/24")));
        List<Route> routes = new ArrayList<>(localRoutes());
        routes.add(Route.connected(p("192.168.1.0/24"), "eth0", ip("192.168.1.20"), 0));
        routes.add(Route.via(p("0.0.0.0/0"), ip("192.168.1.1"), "eth0", 0, ANY));
        Chain input = Chain.builtin("INPUT", new Target.Accept(), List.of(
                Rule.of(new Target.Jump("AL-IN-web"), dst("10.10.10.10/32"))));
        Chain alIn = Chain.user("AL-IN-web", List.of(
                Rule.of(new Target.Accept(), new Match.ConnState(Set.of("ESTABLISHED", "RELATED"), false)),
                Rule.of(new Target.Jump("AL-PORTS-web"), new Match.InInterface("lo", false)),
                Rule.of(new Target.Jump("AL-PORTS-web"), src("192.168.1.0/24")),
                Rule.of(new Target.Drop())));
        Chain ports = Chain.user("AL-PORTS-web", List.of(
                Rule.of(new Target.Accept(), proto("tcp"), dports(80)),
                Rule.of(new Target.Accept(), proto("icmp"), new Match.IcmpType(8, -1, false)),
                Rule.of(new Target.Drop())));
        Netfilter v4 = new Netfilter(Family.V4, List.of(filter(List.of(input, alIn, ports))));
        return new DeviceState("desktop", links("eth0"), addrs, routes, PolicyRule.defaults(Family.V4),
                hostSysctls("eth0"), v4, Netfilter.empty(Family.V6), List.of());
    }

    /** T5: Docker's chains as Docker installs them, a published port on a loopback address, anyloop's DOCKER-USER restriction. */
    static DeviceState dockerHost() {
        List<Address> addrs = new ArrayList<>(loopback());
        addrs.add(Address.global("lo", ia("10.10.10.30/32")));
        addrs.add(Address.global("eth0", ia("192.168.1.30/24")));
        addrs.add(Address.global("docker0", ia("172.17.0.1/16")));
        List<Route> routes = new ArrayList<>(localRoutes());
        routes.add(Route.connected(p("192.168.1.0/24"), "eth0", ip("192.168.1.30"), 0));
        routes.add(Route.connected(p("172.17.0.0/16"), "docker0", ip("172.17.0.1"), 0));
        routes.add(Route.via(p("0.0.0.0/0"), ip("192.168.1.1"), "eth0", 0, ANY));
        Match.InInterface inDocker = new Match.InInterface("docker0", false);
        Match.OutInterface outDocker = new Match.OutInterface("docker0", false);
        Chain forward = Chain.builtin("FORWARD", new Target.Drop(), List.of(
                Rule.of(new Target.Jump("DOCKER-USER")),
                Rule.of(new Target.Jump("DOCKER-ISOLATION-STAGE-1")),
                Rule.of(new Target.Accept(), outDocker, new Match.ConnState(Set.of("RELATED", "ESTABLISHED"), false)),
                Rule.of(new Target.Jump("DOCKER"), outDocker),
                Rule.of(new Target.Accept(), inDocker, new Match.OutInterface("docker0", true)),
                Rule.of(new Target.Accept(), inDocker, outDocker)));
        Chain input = Chain.builtin("INPUT", new Target.Accept(), List.of(
                Rule.of(new Target.Jump("AL-IN-blog"), dst("10.10.10.30/32"))));
        Chain docker = Chain.user("DOCKER", List.of(
                Rule.of(new Target.Accept(), dst("172.17.0.2/32"), new Match.InInterface("docker0", true), outDocker,
                        proto("tcp"), dports(2368))));
        Chain iso1 = Chain.user("DOCKER-ISOLATION-STAGE-1", List.of(
                Rule.of(new Target.Jump("DOCKER-ISOLATION-STAGE-2"), inDocker, new Match.OutInterface("docker0", true)),
                Rule.of(new Target.Return())));
        Chain iso2 = Chain.user("DOCKER-ISOLATION-STAGE-2", List.of(
                Rule.of(new Target.Drop(), outDocker), Rule.of(new Target.Return())));
        Chain user = Chain.user("DOCKER-USER", List.of(
                Rule.of(new Target.Jump("AL-DK-blog"), dst("172.17.0.2/32"), proto("tcp"), dports(2368)),
                Rule.of(new Target.Return())));
        Chain alDk = Chain.user("AL-DK-blog", List.of(
                Rule.of(new Target.Accept(), new Match.ConnState(Set.of("ESTABLISHED", "RELATED"), false)),
                Rule.of(new Target.Return(), src("192.168.1.0/24")),
                Rule.of(new Target.Drop())));
        Chain alIn = Chain.user("AL-IN-blog", List.of(
                Rule.of(new Target.Accept(), new Match.ConnState(Set.of("ESTABLISHED", "RELATED"), false)),
                Rule.of(new Target.Drop())));
        Table filter = filter(List.of(input, forward, docker, iso1, iso2, user, alDk, alIn));
        Match.AddrType local = new Match.AddrType(false, "LOCAL", false);
        Table nat = new Table("nat", List.of(
                Chain.builtin("PREROUTING", new Target.Accept(), List.of(Rule.of(new Target.Jump("DOCKER"), local))),
                Chain.builtin("INPUT", new Target.Accept(), List.of()),
                Chain.builtin("OUTPUT", new Target.Accept(), List.of(
                        Rule.of(new Target.Jump("DOCKER"), new Match.Destination(p("127.0.0.0/8"), true), local))),
                Chain.builtin("POSTROUTING", new Target.Accept(), List.of(
                        Rule.of(new Target.Masquerade(), src("172.17.0.0/16"), new Match.OutInterface("docker0", true)),
                        Rule.of(new Target.Masquerade(), src("172.17.0.2/32"), dst("172.17.0.2/32"), proto("tcp"), dports(2368)))),
                Chain.user("DOCKER", List.of(
                        Rule.of(new Target.Return(), inDocker),
                        Rule.of(new Target.Dnat(ip("172.17.0.2"), Optional.of(PortRange.of(2368))), dst("10.10.10.30/32"),
                                new Match.InInterface("docker0", true), proto("tcp"), dports(80))))));
        Map<String, String> sys = new LinkedHashMap<>(hostSysctls("eth0").values());
        sys.put("net.ipv4.ip_forward", "1");
        DeviceState d = new DeviceState("dockerhost", links("eth0", "docker0"), addrs, routes, PolicyRule.defaults(Family.V4),
                Sysctls.of(sys), new Netfilter(Family.V4, List.of(filter, nat)), Netfilter.empty(Family.V6), List.of());
        return d.withLinks(List.of(new Link("lo", Link.Kind.LOOPBACK, true), new Link("eth0", Link.Kind.ETHER, true),
                new Link("docker0", Link.Kind.BRIDGE, true)));
    }

    /** An IPv6-only service host: the address on lo, a default route, ip6tables with ICMPv6 and multiport. */
    static DeviceState v6Host() {
        List<Address> addrs = new ArrayList<>(loopback());
        addrs.add(Address.global("lo", ia("fd00:53::1/128")));
        addrs.add(Address.global("eth0", ia("fd00:1::30/64")));
        addrs.add(new Address("eth0", ia("fe80::30/64"), Address.Scope.LINK));
        List<Route> routes = new ArrayList<>(localRoutes());
        routes.add(v6Kernel("fd00:1::/64", "eth0"));
        routes.add(v6Kernel("fe80::/64", "eth0"));
        routes.add(new Route(Route.Type.UNICAST, p("::/0"), Route.TABLE_MAIN, List.of(NextHop.via(ip("fd00:1::1"), "eth0")),
                1024, Optional.empty(), ANY, Route.Scope.GLOBAL));
        routes.add(new Route(Route.Type.UNICAST, p("fd00:99::/64"), Route.TABLE_MAIN, List.of(NextHop.via(ip("fd00:1::2"), "eth0")),
                1024, Optional.of(ip("fd00:53::1")), ANY, Route.Scope.GLOBAL));
        Chain input = Chain.builtin("INPUT", new Target.Accept(), List.of(
                Rule.of(new Target.Jump("AL-IN-dns"), dst("fd00:53::1/128"))));
        Chain alIn = Chain.user("AL-IN-dns", List.of(
                Rule.of(new Target.Accept(), proto("ipv6-icmp"), new Match.IcmpType(128, -1, false)),
                Rule.of(new Target.Accept(), proto("udp"), dports(53, 853)),
                Rule.of(new Target.Accept(), src("fd00:1::/64"), proto("tcp"), dports(53)),
                Rule.of(new Target.Reject("icmp6-adm-prohibited"))));
        Netfilter v6 = new Netfilter(Family.V6, List.of(filter(List.of(input, alIn))));
        Map<String, String> sys = Map.of("net.ipv6.conf.all.forwarding", "1");
        return new DeviceState("v6host", links("eth0"), addrs, routes, PolicyRule.defaults(Family.V6), Sysctls.of(sys),
                Netfilter.empty(Family.V4), v6, List.of());
    }

    /** Every Match and Target variant the nft backend can carry, plain and negated, in both families. */
    static DeviceState everything() {
        List<Rule> forward = List.of(
                new Rule(List.of(src("10.1.1.1/32"), dst("10.0.0.0/8"), new Match.InInterface("eth+", false),
                        new Match.OutInterface("eth1", false), proto("tcp"), new Match.SrcPorts(List.of(PortRange.of(1024)), false),
                        new Match.DstPorts(List.of(new PortRange(8000, 8080)), false),
                        new Match.ConnState(Set.of("NEW", "ESTABLISHED"), false), new Match.AddrType(true, "UNICAST", false),
                        new Match.AddrType(false, "LOCAL", false)), new Target.Accept(), Optional.of("all \"positive\" it's")),
                Rule.of(new Target.Drop(), new Match.Source(p("10.0.0.0/8"), true), new Match.Destination(p("10.2.0.0/16"), true),
                        new Match.InInterface("eth1", true), new Match.OutInterface("wg+", true), proto("udp"),
                        new Match.SrcPorts(List.of(PortRange.of(53)), true), new Match.DstPorts(List.of(PortRange.of(5353)), true),
                        new Match.ConnState(Set.of("INVALID", "UNTRACKED"), true), new Match.AddrType(false, "BROADCAST", true)),
                Rule.of(new Target.Reject("tcp-reset"), proto("tcp"), dports(22, 80, 443),
                        new Match.SrcPorts(List.of(PortRange.of(1), new PortRange(2000, 3000)), true)),
                Rule.of(new Target.Reject(""), proto("icmp"), new Match.IcmpType(3, 4, false)),
                Rule.of(new Target.Reject("icmp-host-prohibited"), proto("icmp"), new Match.IcmpType(0, -1, true)),
                Rule.of(new Target.Log("AL dropped: "), proto("icmp"), new Match.IcmpType(255, -1, false)),
                Rule.of(new Target.Accept(), new Match.ConnState(Set.of("DNAT"), false)),
                Rule.of(new Target.Accept(), new Match.ConnState(Set.of("SNAT", "DNAT"), true)),
                Rule.of(new Target.Jump("AL-SUB"), new Match.Protocol("tcp", true)),
                Rule.of(new Target.Goto("AL-SUB"), proto("gre")),
                Rule.of(new Target.None(), src("192.0.2.1/32")),
                Rule.of(new Target.Log("")).withComment("counted"),
                Rule.of(new Target.Return()));
        Table filter = filter(List.of(Chain.builtin("INPUT", new Target.Drop(), List.of()),
                Chain.builtin("FORWARD", new Target.Drop(), forward), Chain.builtin("OUTPUT", new Target.Accept(), List.of()),
                Chain.user("AL-SUB", List.of(Rule.of(new Target.Return())))));
        Table nat = new Table("nat", List.of(
                Chain.builtin("PREROUTING", new Target.Accept(), List.of(
                        Rule.of(new Target.Dnat(ip("192.168.1.20"), Optional.of(new PortRange(8080, 8090))), proto("tcp"), dports(80)),
                        Rule.of(new Target.Dnat(ip("192.168.1.21"), Optional.empty()), dst("10.10.10.11/32")),
                        Rule.of(new Target.Redirect(Optional.of(PortRange.of(5353))), proto("udp"), dports(53)))),
                Chain.builtin("INPUT", new Target.Accept(), List.of()),
                Chain.builtin("OUTPUT", new Target.Accept(), List.of(Rule.of(new Target.Redirect(Optional.empty()), proto("tcp"), dports(81)))),
                Chain.builtin("POSTROUTING", new Target.Accept(), List.of(
                        Rule.of(new Target.Snat(ip("198.51.100.2"), Optional.of(new PortRange(1024, 65535))), proto("udp"),
                                new Match.OutInterface("eth0", false)),
                        Rule.of(new Target.Snat(ip("198.51.100.3"), Optional.empty()), src("192.168.2.0/24")),
                        Rule.of(new Target.Masquerade(), new Match.OutInterface("eth0", false))))));
        Table filter6 = filter(List.of(Chain.builtin("INPUT", new Target.Accept(), List.of(
                Rule.of(new Target.Accept(), new Match.Source(p("fd00::/8"), true), new Match.Destination(p("fd00:53::1/128"), false),
                        proto("ipv6-icmp"), new Match.IcmpType(128, -1, false)),
                Rule.of(new Target.Accept(), proto("ipv6-icmp"), new Match.IcmpType(1, 4, false)),
                Rule.of(new Target.Drop(), proto("ipv6-icmp"), new Match.IcmpType(129, -1, true)),
                Rule.of(new Target.Reject("")),
                Rule.of(new Target.Reject("icmp6-no-route")),
                Rule.of(new Target.Reject("icmp6-addr-unreachable"))))));
        Table nat6 = new Table("nat", List.of(
                Chain.builtin("PREROUTING", new Target.Accept(), List.of(
                        Rule.of(new Target.Dnat(ip("fd00:1::20"), Optional.of(PortRange.of(8080))), proto("tcp"), dports(80)))),
                Chain.builtin("POSTROUTING", new Target.Accept(), List.of(
                        Rule.of(new Target.Snat(ip("fd00:1::1"), Optional.empty()), new Match.OutInterface("eth0", false))))));
        List<Address> addrs = new ArrayList<>(loopback());
        addrs.add(Address.global("eth0", ia("198.51.100.2/24")));
        addrs.add(Address.global("eth1", ia("192.168.1.1/24")));
        List<Route> routes = List.of(Route.connected(p("198.51.100.0/24"), "eth0", ip("198.51.100.2"), 0),
                Route.connected(p("192.168.1.0/24"), "eth1", ip("192.168.1.1"), 0));
        return new DeviceState("everything", links("eth0", "eth1"), addrs, routes, List.of(), routerSysctls(),
                new Netfilter(Family.V4, List.of(filter, nat)), new Netfilter(Family.V6, List.of(filter6, nat6)), List.of());
    }

    // ---- small builders ----

    static Ip ip(String s) { return Ip.parse(s); }

    static Prefix p(String s) { return Prefix.parse(s); }

    static InterfaceAddress ia(String s) { return InterfaceAddress.parse(s); }

    static Match.Source src(String s) { return new Match.Source(p(s), false); }

    static Match.Destination dst(String s) { return new Match.Destination(p(s), false); }

    static Match.Protocol proto(String s) { return new Match.Protocol(s, false); }

    static Match.DstPorts dports(int... ports) {
        return new Match.DstPorts(Arrays.stream(ports).mapToObj(PortRange::of).toList(), false);
    }

    static Table filter(List<Chain> chains) {
        List<Chain> all = new ArrayList<>();
        for (String n : List.of("INPUT", "FORWARD", "OUTPUT")) {
            all.add(chains.stream().filter(c -> c.name().equals(n)).findFirst()
                    .orElse(Chain.builtin(n, new Target.Accept(), List.of())));
        }
        chains.stream().filter(c -> !c.builtin()).forEach(all::add);
        return new Table("filter", all);
    }

    static List<Link> links(String... names) {
        List<Link> out = new ArrayList<>();
        out.add(new Link("lo", Link.Kind.LOOPBACK, true));
        for (String n : names) out.add(new Link(n, Link.Kind.ETHER, true));
        return out;
    }

    static List<Address> loopback() {
        return List.of(new Address("lo", ia("127.0.0.1/8"), Address.Scope.HOST), new Address("lo", ia("::1/128"), Address.Scope.HOST));
    }

    /** What the kernel puts in the local table for lo: never rendered. */
    static List<Route> localRoutes() {
        return List.of(new Route(Route.Type.LOCAL, p("127.0.0.0/8"), Route.TABLE_LOCAL, List.of(NextHop.dev("lo")), 0,
                Optional.of(ip("127.0.0.1")), "kernel", Route.Scope.HOST),
                new Route(Route.Type.LOCAL, p("::1/128"), Route.TABLE_LOCAL, List.of(NextHop.dev("lo")), 0,
                        Optional.empty(), "kernel", Route.Scope.HOST));
    }

    static Route v6Kernel(String prefix, String dev) {
        return new Route(Route.Type.UNICAST, p(prefix), Route.TABLE_MAIN, List.of(NextHop.dev(dev)), 256, Optional.empty(),
                "kernel", Route.Scope.GLOBAL);
    }

    static Sysctls routerSysctls() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.ip_forward", "1");
        m.put("net.ipv6.conf.all.forwarding", "1");
        m.put("net.ipv4.conf.all.rp_filter", "2");
        m.put("net.ipv4.conf.default.rp_filter", "2");
        m.put("net.ipv4.conf.eth0.rp_filter", "2");
        m.put("net.ipv4.conf.eth1.rp_filter", "2");
        return Sysctls.of(m);
    }

    static Sysctls hostSysctls(String dev) {
        return Sysctls.of(Map.of("net.ipv4.ip_forward", "0", "net.ipv4.conf.all.rp_filter", "2",
                "net.ipv4.conf." + dev + ".rp_filter", "2"));
    }
}
