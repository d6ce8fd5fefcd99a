package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Route;
import org.junit.jupiter.api.Test;

/** Owned and foreign split a host in two, by marks anyone can read off the host. */
class OwnershipTest {
    private static DeviceState host(String h) { return PlannerTest.HOME.host(h).orElseThrow(); }

    @Test
    void theEnvironmentHoldsNothingOfAnyloopsAndTheOwnedPartNothingElse() {
        for (DeviceState d : PlannerTest.HOME.hosts().values()) {
            DeviceState env = Ownership.environment(d);
            assertThat(env.addresses()).noneMatch(Ownership::ownable);
            assertThat(env.routes()).noneMatch(Route::ownedByAnyloop);
            assertThat(env.sysctls().values()).isEmpty();
            for (Family f : Family.values()) {
                env.netfilter(f).tables().forEach(t -> t.chains().forEach(c -> {
                    assertThat(Ownership.ownsChain(c.name())).as(c.name()).isFalse();
                    assertThat(c.rules()).noneMatch(Ownership::ownsRule);
                }));
            }
            DeviceState own = Ownership.ownedState(d, false);
            assertThat(own.addresses()).allMatch(Ownership::ownable);
            own.ipv4().tables().forEach(t -> t.chains().stream().filter(Chain::builtin).forEach(c -> assertThat(c.rules()).allMatch(Ownership::ownsRule)));
        }
    }

    @Test
    void theGatewayIsTheNetworkManagersAndServiceRoutesAreAnyloops() {
        DeviceState pi1 = host("pi1");
        assertThat(pi1.routes()).filteredOn(r -> r.dst().length() == 0).allMatch(r -> !r.ownedByAnyloop());
        assertThat(host("router").routes()).filteredOn(r -> r.dst().toString().equals("10.53.0.53/32")).allMatch(Route::ownedByAnyloop);
    }

    @Test
    void forNftAJumpInDockersChainMovesToTheBuiltInChainThatCallsIt() {
        DeviceState own = Ownership.ownedState(host("desktop"), true);
        assertThat(own.ipv4().chain("filter", "DOCKER-USER")).isEmpty();
        assertThat(own.ipv4().chain("filter", "FORWARD").orElseThrow().rules()).extracting(r -> Change.spec(Family.V4, r))
                .containsExactly("-d 172.17.0.2/32 -o docker0 -m comment --comment \"anyloop service ghost: published to container ghost (T5)\" -j AL-DK-ghost");
        assertThat(Ownership.ownedState(host("desktop"), false).ipv4().chain("filter", "DOCKER-USER")).isPresent();
    }

    @Test
    void theTransitAcceptOfARoutingDockerHostIsFoundByItsChainName() {
        // Docker's FORWARD policy is DROP; a host that also routes accepts other transit in AL-TRANSIT, findable like any of anyloop's rules
        assertThat(Ownership.ownsChain("AL-TRANSIT")).isTrue();
        assertThat(Ownership.ownsRule(dev.anyloop.state.Rule.of(new dev.anyloop.state.Target.Jump("AL-TRANSIT")))).isTrue();
        assertThat(Ownership.ownsRule(dev.anyloop.state.Rule.of(new dev.anyloop.state.Target.Jump("DOCKER-USER")))).isFalse();
        assertThat(Ownership.ownsRule(dev.anyloop.state.Rule.of(new dev.anyloop.state.Target.Goto("AL-X")))).isTrue();
    }
}
