package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Pins what the benchmarks' query mix answers on the 1,000-host network, so speeding up the simulator cannot change
 * a verdict unnoticed: the trace-free path agrees with the traced one on every query, and the verdicts per kind are
 * those recorded before any optimisation.
 */
class ScaleNetworkTest {
    @Test
    void bulkPathAgreesWithTracedPathAndVerdictsArePinned() {
        Simulator sim = Simulator.of(ScaleNetwork.network());
        List<Flow> qs = ScaleNetwork.queries(4000, 7);
        Map<String, Integer> kinds = new TreeMap<>();
        long digest = 0;
        for (Flow f : qs) {
            RoundTrip rt = sim.roundTrip(f);
            digest = digest * 31 + rt.render().hashCode();
            assertThat(sim.reachable(f)).as(f.toString()).isEqualTo(rt.reachable());
            kinds.merge((rt.reply().isPresent() ? "reply " : "request ") + rt.verdict().getClass().getSimpleName(), 1, Integer::sum);
        }
        System.out.println(kinds + " digest " + digest);
        assertThat(kinds).isEqualTo(Map.of("reply Accepted", 2241, "request NoListener", 1151,
                "request NoNeighbour", 14, "request NoRoute", 594));
        // every trace as rendered, hashed: a change here is a change of behaviour (or of trace wording)
        assertThat(digest).isEqualTo(5971890885162031068L);
    }
}
