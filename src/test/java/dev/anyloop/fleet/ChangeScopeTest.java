package dev.anyloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.net.Prefix;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Sysctls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the preview may skip: bounded changes name their destinations; anything it cannot bound simulates every query. */
class ChangeScopeTest {
    /** {@code n} with its hosts' NAT tables emptied: home.yaml's Docker host DNATs, which would make every scope unknown. */
    private static Network withoutNat(Network n) {
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (DeviceState d : n.hosts().values()) {
            hosts.put(d.host(), d.withNetfilter(strip(d.ipv4()), strip(d.ipv6())));
        }
        return new Network(hosts, n.segments());
    }

    private static dev.anyloop.state.Netfilter strip(dev.anyloop.state.Netfilter nf) {
        return new dev.anyloop.state.Netfilter(nf.family(), nf.tables().stream().filter(t -> !t.name().equals("nat")).toList());
    }

    /** {@code desired} with every host that equals one of {@code live} replaced by that very object, as apply --all builds it. */
    private static Network sharing(Network live, Network desired) {
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (DeviceState d : desired.hosts().values()) {
            DeviceState l = live.host(d.host()).orElseThrow();
            hosts.put(d.host(), l.equals(d) ? l : d);
        }
        return new Network(hosts, desired.segments());
    }

    @Test
    void movingAServiceScopesTheChangeToItsAddressAndThePreviewAgreesWithSimulatingEverything() throws Exception {
        Network live = withoutNat(Compiler.compile(RolloutTest.home()));
        Intent moved = RolloutTest.webOnPi2();
        Network desired = sharing(live, withoutNat(Compiler.compile(moved)));
        Optional<List<Prefix>> scope = ChangeScope.of(live, desired);
        assertThat(scope).isPresent();
        assertThat(scope.get()).contains(Prefix.parse("10.10.10.10/32"));
        assertThat(scope.get()).noneMatch(p -> p.contains(dev.anyloop.net.Ip.parse("10.53.0.53")));
        List<Query> queries = Catalog.of(Optional.of(moved), List.of(live, desired)).queries(List.of(live, desired));
        Preview scoped = Preview.scoped(live, desired, queries, 2);
        Preview all = Preview.of(Simulator.of(live), Simulator.of(desired), queries, 2);
        assertThat(scoped.simulated()).isLessThan(scoped.queries());
        assertThat(scoped.changes()).extracting(Preview.Change::line).isEqualTo(all.changes().stream().map(Preview.Change::line).toList());
    }

    @Test
    void natOrAnUnboundedChangeMakesTheScopeUnknown() throws Exception {
        Network home = Compiler.compile(RolloutTest.home());
        assertThat(ChangeScope.of(home, sharing(home, Compiler.compile(RolloutTest.webOnPi2())))).as("desktop DNATs for Docker").isEmpty();
        Network live = withoutNat(home);
        DeviceState router = live.host("router").orElseThrow();
        Map<String, String> s = new LinkedHashMap<>(router.sysctls().values());
        s.put("net.ipv4.ip_forward", "0");
        DeviceState off = new DeviceState(router.host(), router.links(), router.addresses(), router.routes(), router.rules(), Sysctls.of(s),
                router.ipv4(), router.ipv6(), router.listeners());
        assertThat(ChangeScope.of(live, live.with(off))).as("a sysctl touches everything through the host").isEmpty();
        assertThat(ChangeScope.of(live, live)).contains(List.of());
    }
}
