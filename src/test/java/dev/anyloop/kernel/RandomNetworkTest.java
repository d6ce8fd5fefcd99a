package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.lab.LabPlan;
import dev.anyloop.net.Family;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Verdict;
import dev.anyloop.state.DeviceState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generator without root: what it makes renders, plans as a lab, and never leaves the simulator unsure. */
class RandomNetworkTest {
    static LongStream seeds() { return LongStream.rangeClosed(1, 300); }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyGeneratedNetworkRendersPlansAndSimulates(long seed) {
        RandomNetwork.Generated g = RandomNetwork.generate(seed);
        for (DeviceState d : g.network().hosts().values()) {
            assertThat(IpBatchRenderer.render(d)).isNotEmpty();
            for (Family f : Family.values()) IptablesRenderer.render(d.netfilter(f));
        }
        assertThat(LabPlan.of("kd" + seed, g.network()).namespaces()).isNotEmpty();
        Simulator sim = Simulator.of(g.network());
        for (KernelProbe p : RandomProbes.plan(g, g.network(), 60)) {
            assertThat(sim.roundTrip(p.flow()).verdict()).as("seed %d %s", seed, p).isNotInstanceOf(Verdict.Unknown.class);
        }
    }

    @Test
    void theSameSeedGivesTheSameNetworkAndSeedsDiffer() {
        assertThat(RandomNetwork.generate(7).network()).isEqualTo(RandomNetwork.generate(7).network());
        Set<Object> distinct = new HashSet<>();
        for (long s = 1; s <= 20; s++) distinct.add(RandomNetwork.generate(s).network());
        assertThat(distinct).hasSize(20);
    }

    @Test
    void probesMixProtocolsTargetsAndLoopbackSources() {
        RandomNetwork.Generated g = RandomNetwork.generate(3);
        List<KernelProbe> ps = RandomProbes.plan(g, g.network(), 140);
        assertThat(ps).hasSize(140);
        assertThat(ps).extracting(KernelProbe::proto).contains(dev.anyloop.net.Proto.ICMP, dev.anyloop.net.Proto.TCP, dev.anyloop.net.Proto.UDP);
        assertThat(ps.stream().map(KernelProbe::from).distinct().count()).isGreaterThan(2);
    }

    @Test
    void dnsProbeIsAsciiAndTcpCarriesItsLength() {
        assertThat(KernelProbe.DNS_QUERY).hasSize(32).matches("\\p{ASCII}*");
        KernelProbe tcp = new KernelProbe("a", java.util.Optional.empty(), dev.anyloop.net.Ip.parse("10.0.0.1"), dev.anyloop.net.Proto.TCP, 53);
        assertThat(tcp.stdin()).contains("\u0000\u0020" + KernelProbe.DNS_QUERY);
        assertThat(tcp.argv()).contains("TCP4:10.0.0.1:53,connect-timeout=" + KernelProbe.WAIT);
    }
}
