package dev.anyloop.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs every socket check on one thread: each target starts an attempt every interval (attempts may overlap when the
 * timeout is longer than the interval), one selector waits for all sockets, and outcomes go to the sink in the order
 * the attempts were started, so a late timeout never overtakes a newer answer. Sockets are not processes: they open
 * in the network namespace this JVM runs in (docs/watch.md, "Namespaces").
 */
final class ProbeLoop implements AutoCloseable {
    /** One instance to check: how to start an attempt and how often. */
    record Target(Instance instance, Supplier<Attempt> attempts, long intervalNanos) { }

    private static final class Scheduled {
        final Target target;
        long next;
        long started;
        long delivered;
        final TreeMap<Long, Outcome> finished = new TreeMap<>();
        final Map<Long, Attempt> inFlight = new HashMap<>();
        boolean removed;

        Scheduled(Target t, long next) {
            this.target = t;
            this.next = next;
        }
    }

    private final Selector selector;
    private final BiConsumer<Instance, Outcome> sink;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> Long.compare(a.next, b.next));
    private final List<Scheduled> all = new ArrayList<>();
    /** Attempts in flight by deadline, for timeouts without a scan of every target. */
    private final PriorityQueue<Attempt> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    /** Targets with an attempt that ended since the last delivery. */
    private final java.util.ArrayDeque<Scheduled> news = new java.util.ArrayDeque<>();
    private final ConcurrentLinkedQueue<List<Target>> replacements = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final boolean spread;

    /** With {@code spread}, first attempts are spread over one interval; without, all start at once ({@code --once}). */
    ProbeLoop(List<Target> targets, BiConsumer<Instance, Outcome> sink, boolean spread) {
        this.spread = spread;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        this.sink = sink;
        schedule(targets);
        this.thread = new Thread(this::run, "watch-probes");
        this.thread.setDaemon(true);
    }

    void start() { thread.start(); }

    /** Swaps the targets (a reload); attempts in flight finish and are delivered only if their instance stays. */
    void replace(List<Target> targets) {
        replacements.add(List.copyOf(targets));
        selector.wakeup();
    }

    /**
     * First attempts are spread over one interval in steps of {@link #STEP_NANOS}, so 300 targets do not all fire in
     * the same millisecond, and yet the ones of a step go out, and their answers mostly come back, in one turn of
     * the loop: a turn per target (a wake-up per send and per answer, thousands a second) cost more CPU than the
     * checks. Every target still starts one attempt per interval.
     */
    static final long STEP_NANOS = 5_000_000L;

    private void schedule(List<Target> targets) {
        long now = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            long offset = t.intervalNanos() * i / Math.max(1, targets.size());
            Scheduled s = new Scheduled(t, spread ? now + offset - offset % STEP_NANOS : now);
            all.add(s);
            queue.add(s);
        }
    }

    private void run() {
        while (running) {
            List<Target> swap = replacements.poll();
            if (swap != null) {
                for (Scheduled s : all) {
                    s.removed = true;
                    for (Attempt a : s.inFlight.values()) a.close();
                }
                all.clear();
                queue.clear();
                deadlines.clear();
                news.clear();
                schedule(swap);
            }
            long now = System.nanoTime();
            while (!queue.isEmpty() && queue.peek().next <= now) {
                Scheduled s = queue.poll();
                launch(s, now);
                // fixed rate; after a stall (a suspended machine) start again from now instead of a burst
                s.next = s.next + s.target.intervalNanos() < now ? now + s.target.intervalNanos() : s.next + s.target.intervalNanos();
                queue.add(s);
            }
            long wake = queue.isEmpty() ? now + 1_000_000_000L : queue.peek().next;
            while (!deadlines.isEmpty() && deadlines.peek().done()) deadlines.poll();
            if (!deadlines.isEmpty()) wake = Math.min(wake, deadlines.peek().deadline);
            long waitMs = Math.max(1, (wake - System.nanoTime() + 999_999) / 1_000_000);
            try {
                selector.select(waitMs);
            } catch (IOException e) {
                throw new UncheckedIOException("selector failed", e);
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey k = keys.next();
                keys.remove();
                if (k.isValid()) ((Ready) k.attachment()).ready(k);
            }
            now = System.nanoTime();
            while (!deadlines.isEmpty() && (deadlines.peek().done() || deadlines.peek().deadline <= now)) {
                Attempt a = deadlines.poll();
                if (!a.done()) a.timeout(now);
            }
            while (!news.isEmpty()) collect(news.poll(), now);
        }
    }

    private void launch(Scheduled s, long now) {
        Attempt a = s.target.attempts().get();
        long seq = ++s.started;
        s.inFlight.put(seq, a);
        a.onFinish = () -> news.add(s);
        deadlines.add(a);
        a.start(selector);
    }

    /** Moves finished and timed-out attempts to the outcome queue and delivers them in start order. */
    private void collect(Scheduled s, long now) {
        if (s.inFlight.isEmpty()) return;
        Iterator<Map.Entry<Long, Attempt>> it = s.inFlight.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Attempt> e = it.next();
            Attempt a = e.getValue();
            if (!a.done() && now >= a.deadline) a.timeout(now);
            if (a.done()) {
                s.finished.put(e.getKey(), a.outcome().orElseThrow());
                it.remove();
            }
        }
        while (s.finished.containsKey(s.delivered + 1)) {
            Outcome o = s.finished.remove(++s.delivered);
            if (!s.removed) sink.accept(s.target.instance(), o);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) ((Ready) k.attachment()).close();
        try {
            selector.close();
        } catch (IOException e) {
            // closing
        }
    }
}
