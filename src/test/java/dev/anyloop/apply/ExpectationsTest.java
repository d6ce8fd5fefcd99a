package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a host must have and anyloop never adds: missing interface state refuses, missing Docker state warns. */
class ExpectationsTest {
    private static DeviceState host(String h) { return PlannerTest.HOME.host(h).orElseThrow(); }

    @Test
    void aHostThatHasItsInterfacesMissesNothing() {
        for (String h : List.of("router", "desktop", "pi1")) {
            assertThat(Expectations.check(Ownership.environment(host(h)), host(h))).as(h).isEmpty();
        }
    }

    @Test
    void aMissingInterfaceAddressOrGatewayRefuses() {
        DeviceState pi1 = host("pi1");
        DeviceState env = Ownership.environment(pi1);
        DeviceState noAddress = new DeviceState(env.host(), env.links(), env.addresses().stream().filter(a -> !a.dev().equals("eth0")).toList(),
                env.routes().stream().filter(r -> r.dst().length() != 0).toList(), env.rules(), env.sysctls(), env.ipv4(), env.ipv6(), env.listeners());
        assertThat(Expectations.check(noAddress, pi1)).extracting(Expectations.Missing::line).containsExactly(
                "! address 192.168.1.53/24 on eth0: missing: interface addresses are the host's network manager's (DHCP, ifupdown, "
                        + "NetworkManager); configure it there",
                "! route 0.0.0.0/0 via 192.168.1.1 dev eth0: missing: gateways and other routes of the host's network manager are "
                        + "expected, not added by anyloop");
        DeviceState noLink = env.withLinks(env.links().stream().filter(l -> !l.name().equals("eth0")).toList());
        assertThat(Expectations.check(noLink, pi1)).extracting(Expectations.Missing::line)
                .contains("! interface eth0: missing: anyloop does not create interfaces; the host's network manager does");
    }

    @Test
    void aGatewayFromDhcpWithAnotherMetricAndProtoIsTheSameGateway() {
        DeviceState pi1 = host("pi1");
        DeviceState env = Ownership.environment(pi1);
        List<Route> dhcp = env.routes().stream().map(r -> r.dst().length() == 0 ? new Route(r.type(), r.dst(), r.table(), r.nexthops(), 100,
                r.src(), "dhcp", r.scope()) : r).toList();
        assertThat(Expectations.check(env.withRoutes(dhcp), pi1)).isEmpty();
    }

    @Test
    void withoutDockerTheAddressesAreStillAppliedAndTheDockerRunIsNamed() {
        DeviceState desktop = host("desktop");
        DeviceState env = Ownership.environment(desktop);
        DeviceState noDocker = new DeviceState(env.host(), env.links().stream().filter(l -> !l.name().equals("docker0")).toList(),
                env.addresses().stream().filter(a -> !a.dev().equals("docker0")).toList(),
                env.routes().stream().filter(r -> r.nexthops().stream().noneMatch(h -> h.dev().equals("docker0"))).toList(), env.rules(), env.sysctls(),
                dev.anyloop.state.Netfilter.empty(dev.anyloop.net.Family.V4), env.ipv6(), env.listeners());
        List<Expectations.Missing> m = Expectations.check(noDocker, desktop);
        assertThat(m).allMatch(x -> x.severity() == Expectations.Missing.Severity.WARN);
        assertThat(m).extracting(Expectations.Missing::line).contains(
                "? interface docker0: missing: Docker makes it when its daemon starts",
                "? Docker's DNAT tcp 10.10.10.20:80 -> 172.17.0.2:2368: missing: the container is not published yet; "
                        + "'docker run -p 10.10.10.20:80:2368 IMAGE' completes the plan");
    }

    @Test
    void anotherToolsRouteWhereAnyloopsWouldGoRefuses() {
        DeviceState router = host("router");
        DeviceState env = Ownership.environment(router);
        List<Route> routes = new java.util.ArrayList<>(env.routes());
        routes.add(Route.via(dev.anyloop.net.Prefix.parse("10.53.0.53/32"), dev.anyloop.net.Ip.parse("192.168.1.99"), "eth1", 1, "static"));
        assertThat(Expectations.check(env.withRoutes(routes), router)).extracting(Expectations.Missing::line).anyMatch(l ->
                l.startsWith("! route 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1: its place (10.53.0.53/32 metric 1, table main) "
                        + "is held by proto static"));
    }

    @Test
    void anLoAddressAnyloopOwnsIsNotAnExpectation() {
        DeviceState pi1 = host("pi1");
        assertThat(pi1.addresses()).anyMatch(a -> a.dev().equals("lo") && !dev.anyloop.render.Realised.kernelMade(a));
        assertThat(Expectations.check(Ownership.environment(pi1), pi1)).noneMatch(m -> m.what().contains("10.53.0.53"));
        assertThat(Ownership.environment(pi1).addresses()).noneMatch(Ownership::ownable);
    }
}
