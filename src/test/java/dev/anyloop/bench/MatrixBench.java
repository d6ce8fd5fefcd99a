package dev.anyloop.bench;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.sim.Simulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The full reachability matrix of the 1,000-host {@link ScaleNetwork}: every host to the probed address of every
 * other host (999,000 TCP port 80 round trips through {@link Simulator#reachable(Flow)}), split over THREADS threads
 * (default 2) by source host. Prints the heap used after building the simulator (MemoryMXBean after System.gc(),
 * minus the heap before the network was generated and minus the network itself), then per round the wall time, the
 * CPU time of the worker threads and the number of reachable pairs.
 * {@code java -Xmx2g -cp ... dev.anyloop.bench.MatrixBench [THREADS] [ROUNDS]}; run by
 * {@code bench/reach}.
 */
public final class MatrixBench {
    private MatrixBench() { }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long h0 = usedAfterGc(mem);
        var network = ScaleNetwork.network();
        long h1 = usedAfterGc(mem);
        long t0 = System.nanoTime();
        Simulator sim = Simulator.of(network);
        long built = System.nanoTime() - t0;
        long h2 = usedAfterGc(mem);
        System.out.printf("network: %d hosts, %d segments; generated state %.0f MiB; Simulator.of %.2f s, "
                        + "retains %.0f MiB more; heap used %.0f MiB of max %.0f MiB%n",
                network.hosts().size(), network.segments().size(), mib(h1 - h0), built / 1e9, mib(h2 - h1), mib(h2),
                mib(Runtime.getRuntime().maxMemory()));
        List<String> names = ScaleNetwork.names();
        List<Ip> ips = ScaleNetwork.addresses();
        Flow[][] rows = new Flow[names.size()][];
        for (int i = 0; i < rows.length; i++) {
            List<Flow> row = new ArrayList<>(names.size() - 1);
            for (int j = 0; j < names.size(); j++) if (j != i) row.add(Flow.of(names.get(i), ips.get(j), Proto.TCP, 80));
            rows[i] = row.toArray(new Flow[0]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round <= rounds; round++) {
                String name = round == 0 ? "warm-up" : "round " + round;
                time(name, pool, threads, rows.length, sim::reachable, rows);
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("heap used after the matrix (after GC, simulator still held): %.0f MiB%n", mib(usedAfterGc(mem)));
        java.lang.ref.Reference.reachabilityFence(sim);
    }

    /** Runs every row on {@code threads} threads, each taking the next row, and prints the time. */
    private static <F> void time(String name, ExecutorService pool, int threads, int rowCount,
                                 java.util.function.Predicate<F> reach, F[][] rows) throws Exception {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        AtomicInteger nextRow = new AtomicInteger();
        long w0 = System.nanoTime();
        List<Future<long[]>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> {
                long c0 = tmx.getCurrentThreadCpuTime();
                long ok = 0;
                long n = 0;
                for (int i; (i = nextRow.getAndIncrement()) < rowCount; ) {
                    for (F f : rows[i]) {
                        if (reach.test(f)) ok++;
                        n++;
                    }
                }
                return new long[] {ok, n, tmx.getCurrentThreadCpuTime() - c0};
            }));
        }
        long ok = 0;
        long n = 0;
        long cpu = 0;
        for (Future<long[]> p : parts) {
            long[] r = p.get();
            ok += r[0];
            n += r[1];
            cpu += r[2];
        }
        long wall = System.nanoTime() - w0;
        System.out.printf("%s: %d round trips (%d reachable) on %d threads in %.2f s wall, %.2f s CPU: "
                + "%.0f/s wall, %.0f per CPU second%n", name, n, ok, threads, wall / 1e9, cpu / 1e9, n / (wall / 1e9), n / (cpu / 1e9));
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long b) { return b / (1024.0 * 1024.0); }
}
