package dev.anyloop.render;

import static dev.anyloop.render.Fixtures.ia;
import static dev.anyloop.render.Fixtures.ip;
import static dev.anyloop.render.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpBatchRendererTest {
    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of(Route.via(p("10.10.10.10/32"), ip("192.168.1.20"), "eth1", 1, "77"),
                        "10.10.10.10/32 via 192.168.1.20 dev eth1 proto 77 metric 1"),
                Arguments.of(Route.via(p("0.0.0.0/0"), ip("192.168.1.1"), "eth0", 0, "static"),
                        "0.0.0.0/0 via 192.168.1.1 dev eth0 proto 4"),
                Arguments.of(new Route(Route.Type.UNICAST, p("10.9.0.0/16"), 100, List.of(NextHop.dev("eth1")), 0,
                        Optional.empty(), "77", Route.Scope.LINK), "10.9.0.0/16 table 100 dev eth1 proto 77 scope link"),
                // a device route the user made global: iproute2 would pick link, so it is said
                Arguments.of(new Route(Route.Type.UNICAST, p("10.9.0.0/16"), Route.TABLE_MAIN, List.of(NextHop.dev("eth1")), 0,
                        Optional.empty(), "77", Route.Scope.GLOBAL), "10.9.0.0/16 dev eth1 proto 77 scope global"),
                Arguments.of(new Route(Route.Type.UNREACHABLE, p("fd00:99::/64"), Route.TABLE_MAIN, List.of(), 1024,
                        Optional.empty(), "77", Route.Scope.GLOBAL), "unreachable fd00:99::/64 proto 77 metric 1024"),
                Arguments.of(new Route(Route.Type.UNICAST, p("10.0.0.0/8"), Route.TABLE_MAIN, List.of(), -1,
                        Optional.empty(), "77", Route.Scope.GLOBAL), "10.0.0.0/8 proto 77 scope global metric 4294967295"));
    }

    @ParameterizedTest
    @MethodSource("routes")
    void writesRouteArguments(Route r, String expected) {
        assertThat(IpBatchRenderer.route(r)).isEqualTo(expected);
    }

    @Test
    void leavesToTheKernelWhatTheKernelMakes() {
        String out = IpBatchRenderer.render(Fixtures.router());
        assertThat(out).doesNotContain("127.0.0.1").doesNotContain("replace ::1/128").doesNotContain("fe80")
                .doesNotContain("table local").doesNotContain("198.51.100.0/24").doesNotContain("fd00:1::/64");
    }

    @Test
    void t8RendersOnlyAConnectedRouteWhoseSrcIsNotTheKernels() {
        DeviceState d = Fixtures.router();
        assertThat(Realised.srcOverrides(d)).extracting(r -> r.dst().toString()).containsExactly("192.168.1.0/24");
        assertThat(IpBatchRenderer.render(d)).contains("route replace 192.168.1.0/24 dev eth1 proto 2 scope link src 10.53.0.2\n");
    }

    @Test
    void theNaturalSrcIsTheFirstAddressInThePrefixAndIpv6HasNone() {
        DeviceState d = Fixtures.router();
        List<Address> addrs = new ArrayList<>(d.addresses());
        addrs.add(Address.global("eth1", ia("192.168.1.2/24")));
        DeviceState two = new DeviceState(d.host(), d.links(), addrs, d.routes(), d.rules(), d.sysctls(), d.ipv4(), d.ipv6(),
                d.listeners());
        Route connected = Route.connected(p("192.168.1.0/24"), "eth1", ip("192.168.1.2"), 0);
        assertThat(Realised.naturalSrc(two, connected)).contains(ip("192.168.1.1"));
        assertThat(Realised.naturalSrc(two, Fixtures.v6Kernel("fd00:1::/64", "eth1"))).isEmpty();
        assertThat(Realised.naturalSrc(two, Route.connected(p("10.77.0.0/16"), "eth1", ip("10.53.0.2"), 0))).isEmpty();
    }

    @Test
    void deviceRoutesComeBeforeTheGatewaysTheyMakeReachable() {
        Route gw = Route.via(p("10.10.0.0/16"), ip("10.9.0.1"), "eth1", 0, "77");
        Route dev = new Route(Route.Type.UNICAST, p("10.9.0.0/24"), Route.TABLE_MAIN, List.of(NextHop.dev("eth1")), 0,
                Optional.empty(), "77", Route.Scope.LINK);
        String out = IpBatchRenderer.render(Fixtures.desktop().withRoutes(List.of(gw, dev)));
        assertThat(out.indexOf("10.9.0.0/24")).isLessThan(out.indexOf("10.10.0.0/16"));
    }

    @Test
    void ipv6RulesGoToTheirOwnBatch() {
        DeviceState d = Fixtures.router();
        assertThat(IpBatchRenderer.render(d)).doesNotContain("fd00:53::/64");
        assertThat(IpBatchRenderer.renderV6Rules(d)).isEqualTo("rule add from all to fd00:53::/64 fwmark 0x77 priority 1000 lookup 100\n");
        assertThat(IpBatchRenderer.renderV6Rules(Fixtures.desktop())).isEmpty();
    }

    @Test
    void writesRuleActionsAndInversion() {
        PolicyRule r = new PolicyRule(Family.V4, 500, true, Optional.of(p("10.0.0.0/8")), Optional.empty(), Optional.empty(),
                Optional.of("eth0"), Optional.empty(), PolicyRule.Action.UNREACHABLE, 0);
        assertThat(IpBatchRenderer.rule(r)).isEqualTo("not from 10.0.0.0/8 oif eth0 priority 500 unreachable");
    }

    /** Regression: the parser read fwmask, the renderer dropped it (a rule for fwmark 0x1/0xff matched only mark 0x1). */
    @Test
    void writesTheFwmarkMask() {
        PolicyRule r = new PolicyRule(Family.V4, 100, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(0x1L), PolicyRule.Action.LOOKUP, 100, 0xffL);
        assertThat(IpBatchRenderer.rule(r)).isEqualTo("from all fwmark 0x1/0xff priority 100 lookup 100");
    }

    @Test
    void refusesAnInterfaceNameThatWouldSplitTheLine() {
        DeviceState d = Fixtures.desktop();
        List<Address> addrs = List.of(Address.global("eth0\nlink", ia("10.0.0.1/24")));
        DeviceState bad = new DeviceState(d.host(), d.links(), addrs, d.routes(), d.rules(), d.sysctls(), d.ipv4(), d.ipv6(),
                d.listeners());
        assertThatThrownBy(() -> IpBatchRenderer.render(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid interface name");
    }

    @Test
    void refusesAProtocolThatIsNotAWord() {
        Route r = Route.via(p("10.0.0.0/8"), ip("192.168.1.1"), "eth0", 0, "77 table 5");
        assertThatThrownBy(() -> IpBatchRenderer.route(r)).hasMessageContaining("Invalid route protocol '77 table 5'");
    }

    @Test
    void sysctlsAreSortedKeyValueLinesAndRefuseNewlines() {
        assertThat(SysctlRenderer.render(Fixtures.desktop()))
                .isEqualTo("net.ipv4.conf.all.rp_filter = 2\nnet.ipv4.conf.eth0.rp_filter = 2\nnet.ipv4.ip_forward = 0\n");
        DeviceState d = Fixtures.desktop();
        DeviceState bad = new DeviceState(d.host(), d.links(), d.addresses(), d.routes(), d.rules(),
                dev.anyloop.state.Sysctls.of(Map.of("net.ipv4.ip_forward", "1\nkernel.x = 1")), d.ipv4(), d.ipv6(), d.listeners());
        assertThatThrownBy(() -> SysctlRenderer.render(bad)).hasMessageContaining("control characters");
    }
}
