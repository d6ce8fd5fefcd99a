package dev.anyloop.bench;

import dev.anyloop.sim.Flow;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.sim.Simulator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips per second of {@link Simulator#reachable(Flow)} (the trace-free path) on one thread, over the
 * 1,000-host {@link ScaleNetwork} (100,000 routes, 10,000 rules) and 2^16 pre-generated queries (seed 7) that mix
 * accepted and refused TCP, UDP and ICMP, no route and no neighbour; see {@link ScaleNetwork#queries}. The traced path
 * ({@link Simulator#roundTrip(Flow)}) is measured beside it. Run with {@code bench/reach}; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class ReachBench {
    static final int QUERIES = 1 << 16;
    static final long QUERY_SEED = 7;

    /** The simulator under test, with the queries. */
    @State(Scope.Benchmark)
    public static class Now {
        Simulator sim;
        Flow[] flows;

        @Setup
        public void build() {
            sim = Simulator.of(ScaleNetwork.network());
            flows = ScaleNetwork.queries(QUERIES, QUERY_SEED).toArray(new Flow[0]);
        }
    }

    /** Walks the query list in order; one call is one round trip (request and, if it got in, the reply). */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public boolean reachable(Now s, Cursor c) {
        return s.sim.reachable(s.flows[c.next++ & (QUERIES - 1)]);
    }

    @Benchmark
    public Object roundTripTraced(Now s, Cursor c) {
        return s.sim.roundTrip(s.flows[c.next++ & (QUERIES - 1)]);
    }
}
