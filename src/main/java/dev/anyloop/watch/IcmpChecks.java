package dev.anyloop.watch;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.os.LineProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * ICMP echo checks. Java has no ICMP socket (InetAddress.isReachable sends from the interface's first address, or
 * falls back to TCP port 7 without root), so each ICMP-checked instance gets one long-running iputils {@code ping -O}
 * bound to its probe source, through {@code dev.anyloop.os}: one process for the daemon's life, not one per check.
 * ping's interval is the check's; an unanswered request is reported when the next one leaves, so an ICMP check's
 * timeout is its interval (a reply slower than the timeout counts as a failure). A ping that exits (its source is
 * gone) is a local outcome and is started again one interval later.
 */
final class IcmpChecks implements AutoCloseable {
    /** One ICMP-checked instance. */
    record Target(Instance instance, CheckSpec.Icmp check, Ip source) { }

    private final List<Target> targets;
    private final BiConsumer<Instance, Outcome> sink;
    private final List<LineProcess> running = new ArrayList<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watch-ping-restart");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    IcmpChecks(List<Target> targets, BiConsumer<Instance, Outcome> sink) {
        this.targets = List.copyOf(targets);
        this.sink = sink;
    }

    void start() { for (Target t : targets) launch(t); }

    /** The ping command: numeric, -O for unanswered requests, bound to the probe source. */
    static List<String> argv(Target t) {
        double interval = t.check().timing().interval().toMillis() / 1000.0;
        List<String> a = new ArrayList<>(List.of("ping"));
        if (t.instance().address().family() == Family.V6) a.add("-6");
        a.addAll(List.of("-n", "-O", "-i", String.format(Locale.ROOT, "%.3f", interval), "-I", t.source().toString(),
                t.instance().address().toString()));
        return a;
    }

    private synchronized void launch(Target t) {
        if (closed) return;
        long timeout = t.check().timing().timeout().toNanos();
        String[] lastError = {""};
        try {
            running.add(LineProcess.start(argv(t), line -> PingLines.parse(line, timeout).ifPresent(o -> {
                if (o.kind() == Outcome.Kind.LOCAL) lastError[0] = o.detail();
                sink.accept(t.instance(), o);
            }), exit -> {
                if (closed) return;
                sink.accept(t.instance(), Outcome.local("ping exited with " + exit + (lastError[0].isEmpty() ? "" : ": " + lastError[0])));
                restarts.schedule(() -> launch(t), t.check().timing().interval().toMillis(), TimeUnit.MILLISECONDS);
            }));
        } catch (RuntimeException e) {
            sink.accept(t.instance(), Outcome.local("cannot start ping: " + e.getMessage()));
            restarts.schedule(() -> launch(t), Math.max(1000, t.check().timing().interval().toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        restarts.shutdownNow();
        for (LineProcess p : running) p.close();
        running.clear();
    }
}
