package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multipath routes: the kernel hashes each flow onto one next hop with a seed chosen at boot, so every path is
 * walked and reported; reachable only when every path is (MultipathKernelTest: the kernel's path is among them).
 */
class MultipathTest {
    /** c - r, and r's ECMP route to the anycast address 10.99.0.1 via a (serves tcp/80) and b (does not). */
    static NetFixture ecmp(boolean bServes) {
        NetFixture n = new NetFixture();
        n.host("c").iface("eth0", "lan", "10.0.0.10/24").route("default via 10.0.0.1");
        n.host("r").iface("eth0", "lan", "10.0.0.1/24").iface("eth1", "s1", "10.1.0.1/24").iface("eth2", "s2", "10.2.0.1/24")
                .forwarding().route("10.99.0.1 nexthop via 10.1.0.2 nexthop via 10.2.0.2");
        n.host("a").iface("eth0", "s1", "10.1.0.2/24").lo("10.99.0.1/32").route("default via 10.1.0.1").listen("tcp 0.0.0.0:80");
        NetFixture.H b = n.host("b").iface("eth0", "s2", "10.2.0.2/24").lo("10.99.0.1/32").route("default via 10.2.0.1");
        if (bServes) b.listen("tcp 0.0.0.0:80");
        return n;
    }

    @Test
    void everyPathIsWalkedAndAMixedOutcomeIsSaid() {
        Simulator sim = ecmp(false).sim();
        RoundTrip rt = sim.roundTrip("c", Ip.parse("10.99.0.1"), Proto.TCP, 80);
        assertThat(rt.paths()).hasSize(2);
        assertThat(rt.paths()).extracting(RoundTrip::reachable).containsExactly(true, false);
        assertThat(rt.mixed()).isTrue();
        assertThat(rt.reachable()).isFalse();
        assertThat(rt.multipath()).contains("reachable on 1 of 2 paths");
        // the verdict shown is the failing path's: b refuses
        assertThat(rt.verdict()).isInstanceOf(Verdict.NoListener.class);
        assertThat(rt.verdict().step().host()).isEqualTo("b");
        assertThat(rt.render()).startsWith("c -> tcp 10.99.0.1:80: MULTIPATH (reachable on 1 of 2 paths)")
                .contains("== path 1 of 2 ==").contains("== path 2 of 2 ==")
                .contains("multipath: path 1 of 2 (via 10.1.0.2 dev eth1)").contains("multipath: path 2 of 2 (via 10.2.0.2 dev eth2)");
        assertThat(sim.outcomes(rt.flow())).containsExactly(true, false);
        assertThat(sim.reachable(rt.flow())).isFalse();
        assertThat(rt.toJson()).containsEntry("multipath", "reachable on 1 of 2 paths");
    }

    @Test
    void pathsThatAgreeAreReachable() {
        Simulator sim = ecmp(true).sim();
        RoundTrip rt = sim.roundTrip("c", Ip.parse("10.99.0.1"), Proto.TCP, 80);
        assertThat(rt.reachable()).isTrue();
        assertThat(rt.mixed()).isFalse();
        assertThat(rt.render()).startsWith("c -> tcp 10.99.0.1:80: REACHABLE (reachable on 2 of 2 paths)");
        assertThat(sim.reachable(rt.flow())).isTrue();
    }

    @Test
    void withoutMultipathThereIsOnePath() {
        RoundTrip rt = ecmp(false).sim().roundTrip("c", Ip.parse("10.1.0.2"), Proto.TCP, 80);
        assertThat(rt.paths()).isEmpty();
        assertThat(rt.multipath()).isEmpty();
    }

    /** Two multipath lookups on the way (request and reply) multiply: each combination once. */
    @Test
    void choicesCombineAcrossLookups() {
        Paths p = new Paths(new int[0]);
        assertThat(p.pick(2)).isZero();
        assertThat(p.pick(3)).isZero();
        assertThat(p.branches()).extracting(a -> List.of(java.util.Arrays.stream(a).boxed().toArray()))
                .containsExactly(List.of(1), List.of(0, 1), List.of(0, 2));
    }
}
