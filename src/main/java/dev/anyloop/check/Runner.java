package dev.anyloop.check;

import dev.anyloop.sim.Outcome;
import dev.anyloop.sim.RoundTrip;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs batches of jobs on a few threads and hands their findings on in plan order. With {@code traceAll} every job
 * runs as a traced round trip, its finding carrying the proof (what the lab and the tests read); otherwise a job
 * runs on the simulator's trace-free path and only a failing one is traced again for its proof. Passing findings are
 * made (without a proof unless traced) only with {@code keepPasses}; else they are just counted.
 */
final class Runner implements AutoCloseable {
    /** Jobs per task: large enough to amortise the hand-off, small enough to keep both cores busy to the end. */
    private static final int CHUNK = 2048;

    private final boolean traceAll;
    private final boolean keepPasses;
    private final Checker.Progress progress;
    private final ExecutorService pool;
    private final int threads;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private long passed;

    Runner(boolean traceAll, boolean keepPasses, int threads, long total, Checker.Progress progress) {
        this.traceAll = traceAll;
        this.keepPasses = keepPasses || traceAll;
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "anyloop-check");
            t.setDaemon(true);
            return t;
        }) : null;
        this.total = total;
        this.progress = progress;
    }

    long passed() { return passed; }

    /** Hands on a finding made outside a batch (T5, T6): a pass is counted, and kept only with keepPasses. */
    void emit(Finding f, Consumer<Finding> sink) {
        if (f.kind() == Finding.Kind.PASS) {
            passed++;
            if (!keepPasses) return;
        }
        sink.accept(f);
    }

    /** True when every check is a traced round trip. */
    boolean traceAll() { return traceAll; }

    /** What a job came to: nothing to check, passed, or a finding (failure, note, or a kept pass). */
    private static final byte SKIP = 0, PASS = 1, FINDING = 2;

    /**
     * Runs batches that are small but costly to prepare (failover scenarios: a derived simulator each) side by side,
     * each on one thread, and hands their findings on in batch order, as {@link #run(Batch, Consumer)} would.
     */
    void runAll(List<Batch> batches, Consumer<Finding> sink) {
        if (pool == null) {
            for (Batch b : batches) run(b, sink);
            return;
        }
        List<Future<List<Finding>>> done = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
        for (Batch b : batches) {
            done.add(pool.submit(() -> {
                List<Finding> out = new ArrayList<>();
                passes.addAndGet(alone(b, out::add));
                return out;
            }));
        }
        for (Future<List<Finding>> f : done) {
            try {
                f.get().forEach(sink);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("check interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
                throw new IllegalStateException(e.getCause());
            }
        }
        synchronized (this) {
            passed += passes.get();
        }
    }

    /** Runs every job of {@code b} on this thread; returns its passes. */
    private long alone(Batch b, Consumer<Finding> sink) {
        b.prepare();
        b.notes().forEach(sink);
        int n = b.size();
        Finding[] out = new Finding[n];
        byte[] result = new byte[n];
        for (int i = 0; i < n; i++) if (b.sameAs(i) < 0) result[i] = run(b, i, out);
        for (int i = 0; i < n; i++) {
            int k = b.sameAs(i);
            if (k >= 0) result[i] = result[k] == FINDING || keepPasses ? run(b, i, out) : result[k];
        }
        b.finish();
        progress.update(done.addAndGet(n), total);
        long passes = 0;
        for (int i = 0; i < n; i++) {
            if (result[i] == PASS || out[i] != null && out[i].kind() == Finding.Kind.PASS) passes++;
            if (out[i] != null) sink.accept(out[i]);
        }
        return passes;
    }

    /** Runs every job of {@code b}; findings (passes too when keepPasses) go to {@code sink} in job order. */
    void run(Batch b, Consumer<Finding> sink) {
        b.prepare();
        b.notes().forEach(sink);
        int n = b.size();
        Finding[] out = new Finding[n];
        byte[] result = new byte[n];
        // stand-ins first, then the jobs they stand for: a stand-in's pass is theirs without a round trip
        parallel(n, (lo, hi) -> {
            for (int i = lo; i < hi; i++) if (b.sameAs(i) < 0) result[i] = run(b, i, out);
        }, false);
        parallel(n, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int k = b.sameAs(i);
                if (k < 0) continue;
                result[i] = result[k] == FINDING || keepPasses ? run(b, i, out) : result[k];
            }
        }, true);
        b.finish();
        for (int i = 0; i < n; i++) {
            if (result[i] == PASS || out[i] != null && out[i].kind() == Finding.Kind.PASS) passed++;
            if (out[i] != null) sink.accept(out[i]);
        }
    }

    /** A range task. */
    private interface Range { void run(int lo, int hi); }

    /** Runs {@code task} over 0..n in chunks on the pool (or here); reports progress when {@code count}. */
    private void parallel(int n, Range task, boolean count) {
        if (pool == null || n <= CHUNK) {
            task.run(0, n);
            if (count) progress.update(done.addAndGet(n), total);
            return;
        }
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < n; from += CHUNK) {
            int lo = from, hi = Math.min(n, from + CHUNK);
            tasks.add(pool.submit(() -> {
                task.run(lo, hi);
                if (count) progress.update(done.addAndGet(hi - lo), total);
            }));
        }
        for (Future<?> t : tasks) {
            try {
                t.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("check interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Runs job {@code i} of {@code b}; a finding it keeps goes to {@code out[i]}. */
    private byte run(Batch b, int i, Finding[] out) {
        Job j = b.job(i);
        if (j == null) return SKIP;
        Job.Judged v;
        RoundTrip rt = null;
        if (traceAll) {
            rt = j.sim().roundTrip(j.flow());
            v = j.judge().apply(Outcome.of(rt));
        } else {
            v = j.judge().apply(j.sim().outcome(j.flow()));
        }
        if (v != null && v.kind() != Finding.Kind.PASS && rt == null) {
            rt = j.sim().roundTrip(j.flow()); // a failure (or note) is traced for its proof
            v = j.judge().apply(Outcome.of(rt));
        }
        if (v == null) return SKIP; // the job found nothing to check (its own judge said so)
        boolean pass = v.kind() == Finding.Kind.PASS;
        if (pass && !keepPasses) return PASS;
        out[i] = new Finding(v.technique(), v.kind(), v.message().get(), Optional.ofNullable(rt));
        return FINDING;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
