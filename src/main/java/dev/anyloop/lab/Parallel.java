package dev.anyloop.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs independent lab steps on a small thread pool; most of their time is spent waiting for a child process. */
final class Parallel {
    private Parallel() { }

    /** Applies {@code f} to every item with at most {@code threads} at once; results in input order. Rethrows the first failure. */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
        if (items.size() <= 1) return items.stream().map(f).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
            Thread t = new Thread(r, "lab");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> f.apply(item)));
            List<R> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<R> fu : futures) {
                try {
                    out.add(fu.get());
                } catch (ExecutionException e) {
                    RuntimeException re = e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                            : new IllegalStateException(e.getCause());
                    if (first == null) first = re;
                    else first.addSuppressed(re);
                    out.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (first != null) throw first;
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static <T> void each(List<T> items, int threads, java.util.function.Consumer<T> f) {
        map(items, threads, t -> {
            f.accept(t);
            return Boolean.TRUE;
        });
    }
}
