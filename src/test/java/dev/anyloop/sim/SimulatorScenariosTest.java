package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Table-driven round trips over hand-built networks: each row is a network, a probe and the expected verdict. */
class SimulatorScenariosTest {

    private static Arguments row(String name, Supplier<NetFixture> net, String from, String dst, String probe,
                                 Class<? extends Verdict> verdict, String decidedAt) {
        return Arguments.of(name, net, from, dst, probe, verdict, decidedAt);
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
            row("connected delivery", Topologies::home, "laptop", "192.168.1.20", "tcp/22", Verdict.Accepted.class, "laptop"),
            row("gateway routing across the router", Topologies::home, "iot", "192.168.1.20", "tcp/22", Verdict.Accepted.class, "iot"),
            row("T1/T2 loopback address via router route", Topologies::home, "iot", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "iot"),
            row("T1/T2 hairpin on the lan", Topologies::home, "laptop", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "laptop"),
            row("T1/T2 ping the loopback address", Topologies::home, "iot", "10.1.1.1", "icmp", Verdict.Accepted.class, "iot"),
            row("T1 without T2: router has no route", () -> withoutRouterRoute(), "iot", "10.1.1.1", "tcp/80", Verdict.NoRoute.class, "router"),
            row("tcp without listener is refused", Topologies::home, "laptop", "10.1.1.1", "tcp/443", Verdict.NoListener.class, "desktop"),
            row("udp without socket: port unreachable", Topologies::home, "laptop", "192.168.1.20", "udp/53", Verdict.NoListener.class, "desktop"),
            row("local output to own loopback address", Topologies::home, "desktop", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "desktop"),
            row("127.0.0.5 is local (local 127.0.0.0/8)", Topologies::home, "desktop", "127.0.0.5", "icmp", Verdict.Accepted.class, "desktop"),
            row("T3 FORWARD ! -i eth1 drops iot", SimulatorScenariosTest::t3, "iot", "10.1.1.1", "tcp/80", Verdict.Dropped.class, "router"),
            row("T3 FORWARD ! -i eth1 lets the lan in", SimulatorScenariosTest::t3, "laptop", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "laptop"),
            row("T4 whitelist: tcp/80", SimulatorScenariosTest::t4, "iot", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "iot"),
            row("T4 whitelist: ping", SimulatorScenariosTest::t4, "iot", "10.1.1.1", "icmp", Verdict.Accepted.class, "iot"),
            row("T4 whitelist: ssh on the loopback address dropped", SimulatorScenariosTest::t4, "iot", "10.1.1.1", "tcp/22", Verdict.Dropped.class, "desktop"),
            row("T4 whitelist: ssh on the lan address still open", SimulatorScenariosTest::t4, "iot", "192.168.1.20", "tcp/22", Verdict.Accepted.class, "iot"),
            row("T5 DNAT'ed container traffic passes INPUT -d X -j DROP", Topologies::docker, "laptop", "10.2.2.2", "tcp/80", Verdict.Accepted.class, "laptop"),
            row("T5 host sshd on X is hidden", Topologies::docker, "laptop", "10.2.2.2", "tcp/22", Verdict.Dropped.class, "dock"),
            row("T5 host sshd on the lan address", Topologies::docker, "laptop", "192.168.1.50", "tcp/22", Verdict.Accepted.class, "laptop"),
            row("T5 host itself: nat OUTPUT DNATs, but INPUT -d X -j DROP drops the container's reply", Topologies::docker, "dock", "10.2.2.2", "tcp/80", Verdict.Dropped.class, "dock"),
            row("T5 host itself reaches the published port without the INPUT drop", () -> { NetFixture n = Topologies.docker(); n.host("dock").flush("filter", "INPUT"); return n; },
                "dock", "10.2.2.2", "tcp/80", Verdict.Accepted.class, "dock"),
            row("T6 dns on the loopback address", SimulatorScenariosTest::t6, "laptop", "10.53.0.1", "udp/53", Verdict.Accepted.class, "laptop"),
            row("T6 dns not found at the gateway address", SimulatorScenariosTest::t6, "laptop", "192.168.1.1", "udp/53", Verdict.NoListener.class, "router"),
            row("T8 route src: peer with a route back", SimulatorScenariosTest::t8, "router", "192.168.2.10", "tcp/22", Verdict.Accepted.class, "router"),
            row("T8 broken: peer has no route back", SimulatorScenariosTest::t8Broken, "router", "192.168.2.10", "tcp/22", Verdict.NoRoute.class, "iot"),
            row("ip_forward off", SimulatorScenariosTest::noForwarding, "iot", "192.168.1.20", "tcp/22", Verdict.ForwardingDisabled.class, "router"),
            row("interface down: no neighbour", () -> { NetFixture n = Topologies.home(); n.host("desktop").down("eth0"); return n; },
                "laptop", "192.168.1.20", "tcp/22", Verdict.NoNeighbour.class, "laptop"),
            row("address of a down interface is still local (weak host)", () -> { NetFixture n = Topologies.home();
                    n.host("desktop").iface("eth9", "nowhere", "10.44.0.1/24").down("eth9"); n.host("router").route("10.44.0.1 via 192.168.1.20"); return n; },
                "iot", "10.44.0.1", "tcp/22", Verdict.Accepted.class, "iot"),
            row("rp_filter strict drops the asymmetric request", () -> Topologies.multiHomed("1"), "client", "10.0.2.2", "tcp/22", Verdict.RpFilterDrop.class, "server"),
            row("rp_filter loose lets it in", () -> Topologies.multiHomed("2"), "client", "10.0.2.2", "tcp/22", Verdict.Accepted.class, "client"),
            row("rp_filter off lets it in", () -> Topologies.multiHomed("0"), "client", "10.0.2.2", "tcp/22", Verdict.Accepted.class, "client"),
            row("TTL loop between two routers", SimulatorScenariosTest::loop, "client", "10.99.1.1", "icmp", Verdict.TtlExceeded.class, "r2"),
            row("REJECT", () -> fwd("-d 10.1.1.1 -p tcp -j REJECT --reject-with tcp-reset"), "iot", "10.1.1.1", "tcp/80", Verdict.Rejected.class, "router"),
            row("DROP", () -> fwd("-d 10.1.1.1 -p tcp -j DROP"), "iot", "10.1.1.1", "tcp/80", Verdict.Dropped.class, "router"),
            row("unsupported match reached: UNKNOWN", () -> fwd("-d 10.1.1.1 -m recent --rcheck --seconds 60 -j DROP"), "iot", "10.1.1.1", "tcp/80", Verdict.Unknown.class, "router"),
            row("unsupported target reached: UNKNOWN", () -> fwd("-d 10.1.1.1 -j TARPIT"), "iot", "10.1.1.1", "tcp/80", Verdict.Unknown.class, "router"),
            row("unsupported rule excluded by -p udp", () -> fwd("-p udp -m recent --rcheck -j DROP"), "iot", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "iot"),
            row("unsupported match with LOG goes on", () -> fwd("-m limit --limit 5/min -j LOG"), "iot", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "iot"),
            row("asymmetric return, no conntrack rule", Topologies::asymmetric, "client", "10.0.2.10", "tcp/22", Verdict.Accepted.class, "client"),
            row("asymmetric return: SYN-ACK INVALID on r2", SimulatorScenariosTest::asymInvalidDrop, "client", "10.0.2.10", "tcp/22", Verdict.Dropped.class, "r2"),
            row("asymmetric return: UDP answer is NEW on r2", SimulatorScenariosTest::asymInvalidDrop, "client", "10.0.2.10", "udp/53", Verdict.Accepted.class, "client"),
            row("MASQUERADE makes the reply routable", SimulatorScenariosTest::masq, "iot", "192.168.1.40", "tcp/22", Verdict.Accepted.class, "iot"),
            row("without MASQUERADE the pi has no route back", SimulatorScenariosTest::noMasq, "iot", "192.168.1.40", "tcp/22", Verdict.NoRoute.class, "pi"),
            row("SNAT makes the reply routable", SimulatorScenariosTest::snat, "iot", "192.168.1.40", "tcp/22", Verdict.Accepted.class, "iot"),
            row("icmp_echo_ignore_all", () -> { NetFixture n = Topologies.home(); n.host("desktop").sysctl("net.ipv4.icmp_echo_ignore_all", "1"); return n; },
                "laptop", "10.1.1.1", "icmp", Verdict.Dropped.class, "desktop"),
            row("filter OUTPUT on the server drops the reply", () -> { NetFixture n = Topologies.home(); n.host("desktop").iptables("filter", "OUTPUT", "-p tcp --sport 80 -j DROP"); return n; },
                "laptop", "10.1.1.1", "tcp/80", Verdict.Dropped.class, "desktop"),
            row("IPv6 loopback address via router route", Topologies::home, "laptop", "fd00:10::1", "tcp/80", Verdict.Accepted.class, "laptop"),
            row("IPv6 forwarding off", () -> { NetFixture n = Topologies.home(); n.host("router").sysctl("net.ipv6.conf.all.forwarding", "0"); return n; },
                "laptop", "fd00:10::1", "tcp/80", Verdict.ForwardingDisabled.class, "router"),
            row("IPv6 ip6tables FORWARD drop", () -> { NetFixture n = Topologies.home(); n.host("router").ip6tables("filter", "FORWARD", "-d fd00:10::1 -j DROP"); return n; },
                "laptop", "fd00:10::1", "tcp/80", Verdict.Dropped.class, "router"),
            row("IPv6 ping", Topologies::home, "laptop", "fd00:10::1", "icmp", Verdict.Accepted.class, "laptop"),
            row("IPv6 ip6tables -p icmp does not match ICMPv6", () -> { NetFixture n = Topologies.home(); n.host("desktop").ip6tables("filter", "INPUT", "-p icmp -j DROP"); return n; },
                "laptop", "fd00:10::1", "icmp", Verdict.Accepted.class, "laptop"),
            row("dual-stack [::] listener takes IPv4", () -> { NetFixture n = Topologies.home(); n.host("desktop").listen("tcp [::]:8080"); return n; },
                "laptop", "192.168.1.20", "tcp/8080", Verdict.Accepted.class, "laptop"),
            row("v6only [::] listener does not take IPv4", () -> { NetFixture n = Topologies.home(); n.host("desktop").listen("tcp6only [::]:8080"); return n; },
                "laptop", "192.168.1.20", "tcp/8080", Verdict.NoListener.class, "desktop"),
            row("blackhole route", () -> { NetFixture n = Topologies.home(); n.host("router").route("blackhole 10.1.0.0/16"); return n; },
                "iot", "10.1.2.3", "icmp", Verdict.NoRoute.class, "router"),
            row("DNAT to 127.0.0.1 from outside is a martian", () -> dnatToLoopback(false), "laptop", "192.168.1.1", "udp/53", Verdict.Dropped.class, "router"),
            row("DNAT to 127.0.0.1 works with route_localnet", () -> dnatToLoopback(true), "laptop", "192.168.1.1", "udp/53", Verdict.Accepted.class, "laptop"),
            row("REDIRECT to a local port", () -> { NetFixture n = Topologies.home(); n.host("desktop").listen("tcp 0.0.0.0:8080")
                    .iptables("nat", "PREROUTING", "-p tcp --dport 8443 -j REDIRECT --to-ports 8080"); return n; },
                "laptop", "10.1.1.1", "tcp/8443", Verdict.Accepted.class, "laptop"),
            // the ARP request carries the packet's local source, the desktop's own address: arp_process refuses it (checked in namespaces)
            row("own address as source from outside: ARP unanswered", SimulatorScenariosTest::spoofedOwnAddress, "laptop", "10.1.1.1", "tcp/80", Verdict.NoNeighbour.class, "laptop"),
            row("weak host ARP: a /32 on lo answers on-link", () -> { NetFixture n = Topologies.home(); n.host("laptop").route("10.1.1.1 dev eth0"); return n; },
                "laptop", "10.1.1.1", "tcp/80", Verdict.Accepted.class, "laptop"),
            row("arp_ignore 1: a /32 on lo does not answer on-link", () -> { NetFixture n = Topologies.home(); n.host("laptop").route("10.1.1.1 dev eth0");
                    n.host("desktop").sysctl("net.ipv4.conf.all.arp_ignore", "1"); return n; },
                "laptop", "10.1.1.1", "tcp/80", Verdict.NoNeighbour.class, "laptop"),
            // T6 / AnswerSource: a UDP server on the wildcard without IP_PKTINFO answers from the route's source (checked in namespaces)
            row("udp wildcard asked at a loopback address: answered from 192.168.1.20, dropped", () -> udpWildcard("socat"),
                "laptop", "10.1.1.1", "udp/5353", Verdict.Dropped.class, "laptop"),
            row("udp wildcard asked at the interface address: the route's source is the asked one", () -> udpWildcard("socat"),
                "laptop", "192.168.1.20", "udp/5353", Verdict.Accepted.class, "laptop"),
            row("udp wildcard with IP_PKTINFO (dnsmasq) answers from the asked address", () -> udpWildcard("dnsmasq"),
                "laptop", "10.1.1.1", "udp/5353", Verdict.Accepted.class, "laptop"),
            row("udp bound to the loopback address answers from it", () -> { NetFixture n = Topologies.home(); n.host("desktop").listen("udp 10.1.1.1:5353"); return n; },
                "laptop", "10.1.1.1", "udp/5353", Verdict.Accepted.class, "laptop"),
            row("tcp on the wildcard answers from the asked address", Topologies::home, "iot", "10.1.1.1", "tcp/22", Verdict.Accepted.class, "iot"),
            row("udp wildcard reached over IPv6 at a loopback address", () -> { NetFixture n = Topologies.home(); n.host("desktop").listen("udp [::]:5353", "socat"); return n; },
                "laptop", "fd00:10::1", "udp/5353", Verdict.Dropped.class, "laptop"),
            row("policy rule prohibit", () -> { NetFixture n = Topologies.home(); n.host("router").rule("100: from 192.168.2.0/24 to 10.1.1.1/32 prohibit"); return n; },
                "iot", "10.1.1.1", "icmp", Verdict.NoRoute.class, "router")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name, Supplier<NetFixture> net, String from, String dst, String probe,
                  Class<? extends Verdict> verdict, String decidedAt) {
        Simulator sim = net.get().sim();
        String[] p = probe.split("/");
        Proto proto = Proto.parse(p[0]);
        int port = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        RoundTrip rt = sim.roundTrip(from, Ip.parse(dst), proto, port);
        assertThat(rt.verdict()).as(rt.render()).isInstanceOf(verdict);
        assertThat(rt.verdict().step().host()).as(rt.render()).isEqualTo(decidedAt);
        assertThat(rt.reachable()).as(rt.render()).isEqualTo(verdict == Verdict.Accepted.class);
        assertThat(sim.reachable(from, Ip.parse(dst), proto, port)).isEqualTo(rt.reachable());
    }

    @Test
    void theTraceSaysWhereAWildcardUdpAnswerComesFrom() {
        RoundTrip rt = udpWildcard("socat").sim().roundTrip("laptop", Ip.parse("10.1.1.1"), Proto.UDP, 5353);
        assertThat(rt.render()).contains("udp socket 0.0.0.0:5353 (socat) is bound to the wildcard and does not use IP_PKTINFO")
                .contains("the answer comes from 192.168.1.20, not from the asked 10.1.1.1: the client's connected socket drops it");
        assertThat(udpWildcard("socat").sim().reachable("laptop", Ip.parse("10.1.1.1"), Proto.UDP, 5353)).isFalse();
    }

    @Test
    void unknownHostIsRefusedWithTheKnownNames() {
        Simulator sim = Topologies.home().sim();
        assertThatThrownBy(() -> sim.roundTrip("nas", Ip.parse("10.1.1.1"), Proto.TCP, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown host 'nas'").hasMessageContaining("desktop");
    }

    // ---- fixtures ------------------------------------------------------------------------------

    static NetFixture udpWildcard(String process) {
        NetFixture n = Topologies.home();
        n.host("desktop").listen("udp 0.0.0.0:5353", process);
        return n;
    }

    static NetFixture dnatToLoopback(boolean localnet) {
        NetFixture n = Topologies.home();
        n.host("router").listen("udp 127.0.0.1:53").iptables("nat", "PREROUTING", "-i eth1 -p udp --dport 53 -j DNAT --to-destination 127.0.0.1");
        if (localnet) n.host("router").sysctl("net.ipv4.conf.eth1.route_localnet", "1");
        return n;
    }

    /** The laptop (wrongly) holds the desktop's address too and sends from it: the desktop drops it. */
    static NetFixture spoofedOwnAddress() {
        NetFixture n = Topologies.home();
        n.host("laptop").lo("192.168.1.20/32").route("10.1.1.1 dev eth0 src 192.168.1.20");
        return n;
    }

    static NetFixture withoutRouterRoute() {
        NetFixture n = Topologies.home();
        n.host("router").routes.removeIf(r -> r.dst().toString().equals("10.1.1.1/32"));
        return n;
    }

    static NetFixture t3() {
        NetFixture n = Topologies.home();
        n.host("router").iptables("filter", "FORWARD", "! -i eth1 -d 10.1.1.1 -j DROP");
        return n;
    }

    static NetFixture t4() {
        NetFixture n = Topologies.home();
        n.host("desktop").chain("filter", "LOOPBACK_ADDR")
                .iptables("filter", "INPUT", "-d 10.1.1.1 -j LOOPBACK_ADDR")
                .iptables("filter", "LOOPBACK_ADDR", "-p icmp --icmp-type echo-request -j ACCEPT")
                .iptables("filter", "LOOPBACK_ADDR", "-p tcp --dport 80 -j ACCEPT")
                .iptables("filter", "LOOPBACK_ADDR", "-j DROP");
        return n;
    }

    static NetFixture t6() {
        NetFixture n = Topologies.home();
        n.host("router").lo("10.53.0.1/32").listen("udp 10.53.0.1:53");
        return n;
    }

    static NetFixture t8() {
        NetFixture n = Topologies.home();
        NetFixture.H r = n.host("router").lo("10.53.0.2/32");
        r.routes.replaceAll(x -> x.dst().toString().equals("192.168.2.0/24") ? x.withSrc(java.util.Optional.of(Ip.parse("10.53.0.2"))) : x);
        return n;
    }

    static NetFixture t8Broken() {
        NetFixture n = t8();
        n.host("iot").routes.removeIf(r -> r.dst().length() == 0);
        return n;
    }

    static NetFixture noForwarding() {
        NetFixture n = Topologies.home();
        n.host("router").sysctl("net.ipv4.ip_forward", "0");
        return n;
    }

    static NetFixture loop() {
        NetFixture n = new NetFixture();
        n.host("client").iface("eth0", "a", "10.0.1.10/24").route("default via 10.0.1.1");
        n.host("r1").iface("eth0", "a", "10.0.1.1/24").iface("eth1", "x", "10.0.9.1/24").forwarding().route("10.99.0.0/16 via 10.0.9.2");
        n.host("r2").iface("eth1", "x", "10.0.9.2/24").forwarding().route("10.99.0.0/16 via 10.0.9.1");
        return n;
    }

    static NetFixture fwd(String rule) {
        NetFixture n = Topologies.home();
        n.host("router").iptables("filter", "FORWARD", rule);
        return n;
    }

    static NetFixture asymInvalidDrop() {
        NetFixture n = Topologies.asymmetric();
        n.host("r2").iptables("filter", "FORWARD", "-m conntrack --ctstate INVALID -j DROP");
        return n;
    }

    static NetFixture noMasq() {
        NetFixture n = Topologies.home();
        n.host("pi").routes.removeIf(r -> r.dst().length() == 0);
        return n;
    }

    static NetFixture masq() {
        NetFixture n = noMasq();
        n.host("router").iptables("nat", "POSTROUTING", "-s 192.168.2.0/24 -o eth1 -j MASQUERADE");
        return n;
    }

    static NetFixture snat() {
        NetFixture n = noMasq();
        n.host("router").iptables("nat", "POSTROUTING", "-s 192.168.2.0/24 -o eth1 -j SNAT --to-source 192.168.1.1");
        return n;
    }
}
