package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.RpFilter;
import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import dev.anyloop.state.PolicyRule;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompilerTest {
    private static Intent full() {
        return Home.withWeb()
                .service("blog").addresses("10.10.10.20").ports("tcp/80").hosts("desktop").allowSegments("lan")
                    .docker("ghost", 2368, 80).done()
                .service("dns-router").addresses("10.53.0.1").ports("udp/53", "tcp/53").hosts("router").done()
                .service("dns").addresses("10.53.0.53").ports("udp/53", "tcp/53").hosts("pi1", "pi2").done()
                .host("router").forwarding()
                    .iface("eth0", "wan", "198.51.100.2/24").gateway("eth0", "198.51.100.1")
                    .iface("eth1", "lan", "192.168.1.1/24")
                    .iface("eth2", "iot", "192.168.20.1/24").loopback("10.255.0.1/32").done()
                .source("router", "192.168.1.0/24", "10.255.0.1")
                .build();
    }

    @Test
    void t6BindAddressListensOnTheServiceAddressOnly() {
        DeviceState router = Compiler.compile(full()).host("router").orElseThrow();
        assertThat(Text.listeners(router)).containsExactly("udp 10.53.0.1:53 (dns-router)", "tcp 10.53.0.1:53 (dns-router)");
    }

    @Test
    void bindAnyListensOnTheWildcardOfEachFamily() {
        Network n = Compiler.compile(new Fixture().host("h").done()
                .service("web").addresses("10.10.10.10", "fd00::10").ports("tcp/80").hosts("h").bindAny().done()
                .service("web2").addresses("10.10.10.11").ports("tcp/80").hosts("h").bindAny().done().build());
        assertThat(Text.listeners(n.host("h").orElseThrow())).containsExactly("tcp 0.0.0.0:80 (web)", "tcp [::]:80 (web)");
        assertThat(n.host("h").orElseThrow().listeners().get(1).v6only()).isTrue();
    }

    @Test
    void t8ConnectedRouteGetsTheLoopbackSource() {
        DeviceState router = Compiler.compile(full()).host("router").orElseThrow();
        assertThat(Text.routes(router, Family.V4)).contains(
                "192.168.1.0/24 dev eth1 proto kernel scope link src 10.255.0.1",
                "192.168.20.0/24 dev eth2 proto kernel scope link src 192.168.20.1",
                "local 10.255.0.1 table local dev lo proto kernel scope host src 10.255.0.1");
    }

    @Test
    void t8DeclaredRouteGetsTheSourceToo() {
        Network n = Compiler.compile(Home.base()
                .host("router").forwarding().iface("eth1", "lan", "192.168.1.1/24").loopback("10.255.0.1/32")
                    .route("10.99.0.0/16", "192.168.1.50", null, 10, null, "unicast").done()
                .source("router", "10.99.0.0/16", "10.255.0.1").build());
        assertThat(Text.routes(n.host("router").orElseThrow(), Family.V4))
                .contains("10.99.0.0/16 via 192.168.1.50 dev eth1 proto 77 src 10.255.0.1 metric 10");
    }

    @Test
    void t8ToOneAddressInsideARouteGetsARouteOfItsOwn() {
        // "the router sources syslog to 10.99.0.9 from its loopback": only that address, not the whole declared route
        Network n = Compiler.compile(Home.base()
                .host("router").forwarding().iface("eth1", "lan", "192.168.1.1/24").loopback("10.255.0.1/32")
                    .route("10.99.0.0/16", "192.168.1.50", null, 10, null, "unicast").done()
                .source("router", "10.99.0.9/32", "10.255.0.1").build());
        assertThat(Text.routes(n.host("router").orElseThrow(), Family.V4))
                .contains("10.99.0.0/16 via 192.168.1.50 dev eth1 proto 77 metric 10")
                .contains("10.99.0.9 via 192.168.1.50 dev eth1 proto 77 src 10.255.0.1 metric 10");
    }

    @Test
    void t8WithoutARouteToTheTargetIsRefused() {
        // no gateway, no route: nothing covers 10.99.0.0/16 (with a gateway the default route would, see below)
        assertThatThrownBy(() -> Compiler.compile(new Fixture().segment("lan", "10.0.0.0/24")
                .host("h").iface("eth0", "lan", "10.0.0.1/24").loopback("10.255.0.1/32").done()
                .source("h", "10.99.0.0/16", "10.255.0.1").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host h has no route covering 10.99.0.0/16");
        assertThatThrownBy(() -> Compiler.compile(Home.base().source("router", "192.168.1.0/24", "fd00::1").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different families");
    }

    @Test
    void declaredRoutesOfEveryType() {
        Network n = Compiler.compile(new Fixture().segment("lan", "192.168.1.0/24", "fd00:1::/64")
                .host("h").iface("eth0", "lan", "192.168.1.2/24", "fd00:1::2/64").gateway("eth0", "192.168.1.1", "fd00:1::1")
                    .route("10.99.0.0/16", "192.168.1.50", null, 0, null, "unicast")
                    .route("10.98.0.0/16", null, "eth0", 5, null, "unicast")
                    .route("10.97.0.0/16", null, null, 0, null, "blackhole")
                    .route("10.96.0.0/16", null, null, 0, null, "unreachable")
                    .route("fd00:99::/48", "fd00:1::50", "eth0", 0, null, "unicast").done().build());
        DeviceState h = n.host("h").orElseThrow();
        assertThat(Text.routes(h, Family.V4)).startsWith(
                // a gateway is the host's network manager's (proto boot); a declared route is anyloop's (77)
                "0.0.0.0/0 via 192.168.1.1 dev eth0 proto boot",
                "10.99.0.0/16 via 192.168.1.50 dev eth0 proto 77",
                "10.98.0.0/16 dev eth0 proto 77 scope link metric 5",
                "blackhole 10.97.0.0/16 proto 77",
                "unreachable 10.96.0.0/16 proto 77");
        // IPv6 gives user routes metric 1024 when none is set (IP6_RT_PRIO_USER).
        assertThat(Text.routes(h, Family.V6)).startsWith(
                "::/0 via fd00:1::1 dev eth0 proto boot metric 1024",
                "fd00:99::/48 via fd00:1::50 dev eth0 proto 77 metric 1024");
    }

    @Test
    void routeViaAnAddressNoInterfaceHoldsIsRefused() {
        assertThatThrownBy(() -> Compiler.compile(new Fixture().host("h")
                .route("10.99.0.0/16", "192.168.9.9", null, 0, null, "unicast").done().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host h: route to 10.99.0.0/16 via 192.168.9.9: no interface has a subnet holding 192.168.9.9");
        assertThatThrownBy(() -> Compiler.compile(new Fixture().host("h")
                .route("10.99.0.0/16", null, null, 0, null, "unicast").done().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has neither via nor dev");
    }

    @ParameterizedTest
    @CsvSource({"OFF,0", "STRICT,1", "LOOSE,2"})
    void sysctlsCarryForwardingAndRpFilterOnEveryInterface(RpFilter mode, String value) {
        Network n = Compiler.compile(new Fixture().segment("lan", "192.168.1.0/24")
                .host("r").forwarding().rp(mode).iface("eth1", "lan", "192.168.1.1/24").iface("eth0.10", "lan").done()
                .build());
        assertThat(n.host("r").orElseThrow().sysctls().values()).isEqualTo(Map.of(
                "net.ipv4.ip_forward", "1",
                "net.ipv4.conf.all.rp_filter", value,
                "net.ipv4.conf.default.rp_filter", value,
                "net.ipv4.conf.lo.rp_filter", value,
                "net.ipv4.conf.eth1.rp_filter", value,
                "net.ipv4.conf.eth0/10.rp_filter", value));
    }

    @Test
    void ipv6ForwardingIsSetWhenTheHostHasIpv6() {
        Network n = Compiler.compile(new Fixture().segment("lan", "fd00:1::/64")
                .host("r").forwarding().iface("eth1", "lan", "fd00:1::1/64").done()
                .host("h").iface("eth0", "lan", "fd00:1::2/64").done().build());
        assertThat(n.host("r").orElseThrow().sysctls().get("net.ipv6.conf.all.forwarding")).contains("1");
        assertThat(n.host("h").orElseThrow().sysctls().get("net.ipv6.conf.all.forwarding")).contains("0");
        assertThat(n.host("h").orElseThrow().sysctls().ipv4Forwarding()).isFalse();
        assertThat(Text.routes(n.host("h").orElseThrow(), Family.V6)).containsExactly(
                "::1 dev lo proto kernel metric 256",
                "fd00:1::/64 dev eth0 proto kernel metric 256",
                "local ::1 table local dev lo proto kernel",
                "local fd00:1::2 table local dev eth0 proto kernel");
    }

    @Test
    void linksPolicyRulesAndSegments() {
        Network n = Compiler.compile(full());
        DeviceState router = n.host("router").orElseThrow();
        assertThat(router.links()).containsExactly(new Link("lo", Link.Kind.LOOPBACK, true),
                new Link("eth0", Link.Kind.ETHER, true), new Link("eth1", Link.Kind.ETHER, true),
                new Link("eth2", Link.Kind.ETHER, true));
        assertThat(router.rules(Family.V4)).isEqualTo(PolicyRule.defaults(Family.V4));
        assertThat(router.rules(Family.V6)).isEqualTo(PolicyRule.defaults(Family.V6));
        assertThat(n.segments().stream().map(s -> s.name() + " " + s.ports())).containsExactly(
                "wan [router:eth0]",
                "lan [router:eth1, desktop:eth0, laptop:wlan0, pi1:eth0, pi2:eth0]",
                "iot [router:eth2, cam:eth0]",
                "desktop-docker0 [desktop:docker0, desktop-ghost:eth0]");
    }

    @Test
    void everyChainAnyloopCreatesIsNamedAlOrIsDockers() {
        Network n = Compiler.compile(full());
        for (DeviceState d : n.hosts().values()) {
            for (var nf : java.util.List.of(d.ipv4(), d.ipv6())) {
                for (var t : nf.tables()) {
                    for (var c : t.chains()) {
                        if (c.builtin()) continue;
                        assertThat(c.name()).matches("AL-(IN|PORTS|FWD|DK)-[a-z][a-z0-9-]*|DOCKER(-USER|-ISOLATION-STAGE-[12])?");
                    }
                }
            }
        }
    }

    @Test
    void sameInputSameOutput() {
        Network a = Compiler.compile(full());
        Network b = Compiler.compile(full());
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).isEqualTo(b.toString());
        assertThat(a.hosts().keySet()).containsExactly("router", "desktop", "desktop-ghost", "laptop", "pi1", "pi2", "cam");
    }

    @Test
    void undefinedReferencesAreRefusedWithTheName() {
        assertThatThrownBy(() -> Compiler.compile(Home.base().service("web").addresses("10.10.10.10").ports("tcp/80")
                .hosts("desktop").allowSegments("nowhere").done().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment 'nowhere' is not defined");
        assertThatThrownBy(() -> Compiler.compile(Home.base().service("web").addresses("10.10.10.10").ports("tcp/80")
                .hosts("desktop").allowInterfaces("router:eth9").done().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interface router:eth9 is not defined");
        assertThatThrownBy(() -> Compiler.compile(Home.base().service("web").addresses("10.10.10.10").ports("tcp/80")
                .hosts("ghost-host").done().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host 'ghost-host' is not defined");
    }
}
