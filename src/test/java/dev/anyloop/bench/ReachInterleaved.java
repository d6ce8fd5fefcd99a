package dev.anyloop.bench;

import dev.anyloop.sim.Flow;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.sim.Simulator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A noise-resistant A/B of {@link Simulator#reachable(Flow)} against the pre-optimisation copy
 * ({@code dev.anyloop.bench.before}): one JVM, one thread, both simulators over the same 1,000-host network and the
 * same 2^16 queries as {@link ReachBench}, alternating in rounds after a warm-up. A round runs all queries on one
 * and then on the other (which goes first alternates), each timed in this thread's CPU time as well as wall time,
 * so time the machine gives to other processes does not count. Prints per round and the medians.
 * {@code java -Xmx3g -cp ... dev.anyloop.bench.ReachInterleaved [ROUNDS]}.
 */
public final class ReachInterleaved {
    private ReachInterleaved() { }

    /** The same flows for the old simulator. */
    static dev.anyloop.bench.before.Flow[] before(List<Flow> flows) {
        return flows.stream().map(f -> new dev.anyloop.bench.before.Flow(f.from(), f.src(), f.dst(), f.proto(), f.port()))
                .toArray(dev.anyloop.bench.before.Flow[]::new);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Simulator now = Simulator.of(ScaleNetwork.network());
        dev.anyloop.bench.before.Simulator old = dev.anyloop.bench.before.Simulator.of(ScaleNetwork.network());
        List<Flow> qs = ScaleNetwork.queries(ReachBench.QUERIES, ReachBench.QUERY_SEED);
        Flow[] a = qs.toArray(new Flow[0]);
        dev.anyloop.bench.before.Flow[] b = before(qs);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] cpuNow = new double[rounds];
        double[] cpuOld = new double[rounds];
        double[] wallNow = new double[rounds];
        double[] wallOld = new double[rounds];
        for (int round = -2; round < rounds; round++) { // two unprinted warm-up rounds
            boolean nowFirst = (round & 1) == 0;
            long[] tNow = new long[2];
            long[] tOld = new long[2];
            int okNow = 0;
            int okOld = 0;
            for (int k = 0; k < 2; k++) {
                long w0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                if ((k == 0) == nowFirst) {
                    for (Flow f : a) if (now.reachable(f)) okNow++;
                    tNow[0] = mx.getCurrentThreadCpuTime() - c0;
                    tNow[1] = System.nanoTime() - w0;
                } else {
                    for (dev.anyloop.bench.before.Flow f : b) if (old.reachable(f)) okOld++;
                    tOld[0] = mx.getCurrentThreadCpuTime() - c0;
                    tOld[1] = System.nanoTime() - w0;
                }
            }
            if (okNow != okOld) throw new AssertionError("reachable counts differ: " + okNow + " now, " + okOld + " before");
            if (round < 0) continue;
            cpuNow[round] = a.length / (tNow[0] / 1e9);
            cpuOld[round] = a.length / (tOld[0] / 1e9);
            wallNow[round] = a.length / (tNow[1] / 1e9);
            wallOld[round] = a.length / (tOld[1] / 1e9);
            System.out.printf("round %d: now %.0f/CPU-s (%.0f/s wall), before %.0f/CPU-s (%.0f/s wall), ratio %.2fx CPU%n",
                    round + 1, cpuNow[round], wallNow[round], cpuOld[round], wallOld[round], cpuNow[round] / cpuOld[round]);
        }
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) ratios[i] = cpuNow[i] / cpuOld[i];
        System.out.printf("median: now %.0f round trips per CPU second (%.0f/s wall), before %.0f (%.0f/s wall), "
                        + "ratio %.2fx (per-round %.2fx .. %.2fx)%n", median(cpuNow), median(wallNow), median(cpuOld),
                median(wallOld), median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0));
        Optional.of(now).ifPresent(s -> { }); // keep both simulators alive to the end
        Optional.of(old).ifPresent(s -> { });
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
