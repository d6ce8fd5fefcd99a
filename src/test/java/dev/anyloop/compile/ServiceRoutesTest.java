package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.state.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {
    private static List<String> anyloopRoutes(Network n, String host) {
        return n.host(host).orElseThrow().routes().stream().filter(r -> r.ownedByAnyloop() && r.dst().isHost())
                .map(Object::toString).toList();
    }

    @Test
    void t2RouterRoutesServiceAddressViaTheServiceHost() {
        Network n = Compiler.compile(Home.withWeb().build());
        assertThat(anyloopRoutes(n, "router")).containsExactly("10.10.10.10 via 192.168.1.20 dev eth1 proto 77 metric 1");
        // Hosts that do not forward reach it through their default route to the router.
        assertThat(anyloopRoutes(n, "laptop")).isEmpty();
        assertThat(anyloopRoutes(n, "desktop")).isEmpty();
    }

    @Test
    void t7ServiceHostsInPreferenceOrderBecomeMetricOrderedRoutes() {
        Network n = Compiler.compile(Home.base().service("dns").addresses("10.53.0.53").ports("udp/53", "tcp/53")
                .hosts("pi1", "pi2").done().build());
        assertThat(anyloopRoutes(n, "router")).containsExactly(
                "10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1",
                "10.53.0.53 via 192.168.1.54 dev eth1 proto 77 metric 2");
        assertThat(n.host("pi1").orElseThrow().hasAddress(dev.anyloop.net.Ip.parse("10.53.0.53"))).isTrue();
        assertThat(n.host("pi2").orElseThrow().hasAddress(dev.anyloop.net.Ip.parse("10.53.0.53"))).isTrue();
    }

    @Test
    void aForwardingServiceHostGetsNoRouteToItsOwnService() {
        Network n = Compiler.compile(Home.base().service("dns-router").addresses("10.53.0.1").ports("udp/53")
                .hosts("router").done().build());
        assertThat(anyloopRoutes(n, "router")).isEmpty();
    }

    @Test
    void multiHomedRouterUsesTheInterfaceOnTheServiceHostsSegment() {
        // cam sits on iot: the route leaves through eth2; a host on lan and iot uses the router's first shared interface.
        Network n = Compiler.compile(Home.base()
                .host("nas").iface("eth0", "iot", "192.168.20.40/24").iface("eth1", "lan", "192.168.1.40/24").done()
                .service("cam-feed").addresses("10.20.0.1").ports("tcp/554").hosts("cam").done()
                .service("files").addresses("10.40.0.1").ports("tcp/445").hosts("nas", "desktop").done()
                .build());
        assertThat(anyloopRoutes(n, "router")).containsExactly(
                "10.20.0.1 via 192.168.20.10 dev eth2 proto 77 metric 1",
                "10.40.0.1 via 192.168.1.40 dev eth1 proto 77 metric 1",
                "10.40.0.1 via 192.168.1.20 dev eth1 proto 77 metric 2");
    }

    @Test
    void everyForwardingHostGetsTheRoutesAlongItsShortestPathAlsoBeyondAnotherRouter() {
        Network n = Compiler.compile(new Fixture()
                .segment("core", "10.0.0.0/29").segment("srv", "10.1.0.0/24").segment("edge", "10.2.0.0/24")
                .host("r1").forwarding().iface("eth0", "core", "10.0.0.1/29").iface("eth1", "srv", "10.1.0.1/24").done()
                .host("r2").forwarding().iface("eth0", "core", "10.0.0.2/29").iface("eth1", "srv", "10.1.0.2/24").done()
                .host("r3").forwarding().iface("eth0", "core", "10.0.0.3/29").iface("eth1", "edge", "10.2.0.1/24").done()
                .host("s1").iface("eth0", "srv", "10.1.0.10/24").done()
                .service("ntp").addresses("10.123.0.1").ports("udp/123").hosts("s1").done().build());
        assertThat(anyloopRoutes(n, "r1")).containsExactly("10.123.0.1 via 10.1.0.10 dev eth1 proto 77 metric 1");
        assertThat(anyloopRoutes(n, "r2")).containsExactly("10.123.0.1 via 10.1.0.10 dev eth1 proto 77 metric 1");
        // r3 is one router further: via the first router (file order) on the way, r1 on core
        assertThat(anyloopRoutes(n, "r3")).containsExactly("10.123.0.1 via 10.0.0.1 dev eth0 proto 77 metric 1");
    }

    @Test
    void serviceRoutesOfBothFamiliesUseAnAddressOfTheirFamily() {
        Network n = Compiler.compile(new Fixture().segment("lan", "192.168.1.0/24", "fd00:1::/64")
                .host("r").forwarding().iface("eth1", "lan", "192.168.1.1/24", "fd00:1::1/64").done()
                .host("h").iface("eth0", "lan", "192.168.1.2/24", "fd00:1::2/64").done()
                .service("web").addresses("10.10.10.10", "fd00:10::10").ports("tcp/80").hosts("h").done().build());
        assertThat(Text.routes(n.host("r").orElseThrow(), Family.V6)).contains("fd00:10::10 via fd00:1::2 dev eth1 proto 77 metric 1");
        assertThat(Text.routes(n.host("r").orElseThrow(), Family.V4)).contains("10.10.10.10 via 192.168.1.2 dev eth1 proto 77 metric 1");
    }
}
