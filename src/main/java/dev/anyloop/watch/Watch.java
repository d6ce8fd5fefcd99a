package dev.anyloop.watch;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.net.Ip;
import dev.anyloop.os.RunDirs;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The daemon: checks run on their own threads ({@link ProbeLoop} for sockets, {@link IcmpChecks} for ping) and hand
 * their outcomes to one control thread, which feeds the {@link Supervisor}, asks the {@link Actuator} for the changes
 * it decides, reads the live state every second (drains, routes someone else changed, broken probe paths), logs one
 * line per state change and keeps the metrics. Stopping it (SIGTERM, or a crash) changes nothing on the host.
 */
public final class Watch {
    /** Loads network.yaml again for SIGHUP; throws with the diagnostics when the new file is refused. */
    public interface Loader {
        WatchPlan load() throws Exception;
    }

    /** Files the daemon keeps for {@code lab watch} and {@code lab status}. */
    public record Options(Optional<Path> readyFile, Optional<Path> statusFile, Duration reconcileEvery) {
        public static Options none() { return new Options(Optional.empty(), Optional.empty(), Duration.ofSeconds(1)); }
    }

    private record Result(Instance instance, Outcome outcome) { }

    private static final long RETRY_MS = 1000;
    private static final long DECIDE_EVERY_MS = 100;
    private static final long PUBLISH_EVERY_MS = 500;

    private final Function<WatchPlan, Actuator> actuators;
    private final Loader loader;
    private final Consumer<Event> log;
    private final Metrics metrics;
    private final Options options;
    /** Outcomes in the order they were delivered; {@link #wake} is released only for those that may change something. */
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean reload = new AtomicBoolean();
    private volatile boolean running = true;
    private WatchPlan plan;
    private Actuator actuator;
    private Supervisor supervisor;
    private ProbeLoop sockets;
    private IcmpChecks pings;
    private final Map<Change, Long> failedAt = new HashMap<>();
    private final Set<Instance> seen = new HashSet<>();
    private boolean ready;

    public Watch(WatchPlan plan, Function<WatchPlan, Actuator> actuators, Loader loader, Consumer<Event> log, Metrics metrics, Options options) {
        this.actuators = actuators;
        this.loader = loader;
        this.log = log;
        this.metrics = metrics;
        this.options = options;
        this.plan = plan;
    }

    /** Milliseconds of a monotonic clock: the supervisor's time. */
    static long now() { return System.nanoTime() / 1_000_000; }

    /** Takes over the live state and starts checking; then {@link #run()} on the calling thread. */
    public void start() {
        actuator = actuators.apply(plan);
        Live live = actuator.read();
        supervisor = new Supervisor(members(plan, false), plan.damping(), live, now(), actuator.holdsEveryCarrier());
        log.accept(Event.of(Event.Level.INFO, "start", "router", plan.router(), "instances", Integer.toString(plan.items().size()),
                "checked", Integer.toString(plan.checked().size()), "in-service", Integer.toString(live.installed().size()),
                "drained", Integer.toString(live.drained().size()), "actuator", actuator.describe(),
                "reason", "took over the live state as it is"));
        for (Event e : supervisor.reconcile(live, now())) log.accept(e);
        startChecks(plan, true);
    }

    private void startChecks(WatchPlan p, boolean spread) {
        List<ProbeLoop.Target> socketTargets = new ArrayList<>();
        List<IcmpChecks.Target> icmpTargets = new ArrayList<>();
        for (WatchPlan.Item item : p.checked()) {
            CheckSpec c = item.check().orElseThrow();
            Ip source = item.source();
            if (c.kind() == CheckSpec.Kind.ICMP) {
                icmpTargets.add(new IcmpChecks.Target(item.instance(), (CheckSpec.Icmp) c, source));
            } else {
                socketTargets.add(new ProbeLoop.Target(item.instance(), Attempts.of(c, inet(source), inet(item.instance().address())),
                        c.timing().interval().toNanos()));
            }
        }
        Map<Instance, Courier> couriers = new HashMap<>();
        for (Supervisor.Member m : members(p, false)) couriers.put(m.instance(), new Courier(m.rise()));
        sockets = new ProbeLoop(socketTargets, (i, o) -> deliver(couriers.get(i), i, o), spread);
        pings = new IcmpChecks(icmpTargets, (i, o) -> deliver(couriers.get(i), i, o));
        sockets.start();
        pings.start();
    }

    /**
     * Counts one instance's good checks in a row, on the thread that checks it (one thread per instance). A good
     * check after {@code rise} good ones in a row changes nothing the supervisor decides (the instance is up, with no
     * failure run and no local fault), so it is queued without waking the control thread, which takes it at its
     * next turn (at most 50 ms later: counters and the last outcome; and the rare instance an undrain left without
     * its route, which the supervisor restarts from down, comes back up to 50 ms later). Every other outcome wakes it at once:
     * thousands of checks a second, each waking a thread, cost more CPU than the checks themselves.
     */
    private static final class Courier {
        final int rise;
        int okRun;

        Courier(int rise) { this.rise = rise; }

        /** True when {@code o} may change a decision. */
        boolean urgent(Outcome o) {
            boolean quiet = o.ok() && okRun >= rise;
            okRun = o.ok() ? okRun + 1 : 0;
            return !quiet;
        }
    }

    private void deliver(Courier c, Instance i, Outcome o) {
        results.add(new Result(i, o));
        if (c == null || c.urgent(o)) wake.release();
    }

    /** Waits up to {@code ms} for an urgent outcome, then takes every outcome queued. */
    private List<Result> take(long ms) throws InterruptedException {
        if (wake.tryAcquire(ms, TimeUnit.MILLISECONDS)) wake.drainPermits();
        List<Result> batch = new ArrayList<>();
        for (Result r; (r = results.poll()) != null; ) batch.add(r);
        return batch;
    }

    /** An {@link Ip} as a java.net address, without any name lookup. */
    public static InetAddress inetOf(Ip ip) { return inet(ip); }

    static InetAddress inet(Ip ip) {
        try {
            return InetAddress.getByName(ip.toString());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + ip, e);
        }
    }

    static List<Supervisor.Member> members(WatchPlan p, boolean once) {
        List<Supervisor.Member> out = new ArrayList<>();
        for (WatchPlan.Item i : p.checked()) {
            CheckSpec.Timing t = i.check().orElseThrow().timing();
            out.add(new Supervisor.Member(i.instance(), once ? 1 : t.rise(), once ? 1 : t.fall()));
        }
        return out;
    }

    /** SIGHUP: reload at the next turn of the control loop. */
    public void requestReload() { reload.set(true); }

    /** Stops at the next turn; nothing on the host changes. */
    public void stop() { running = false; }

    /** The control loop; returns after {@link #stop()}. */
    public void run() {
        long lastRead = now();
        long lastStatus = 0;
        long lastDecide = 0;
        long lastPublish = 0;
        try {
            while (running) {
                List<Result> batch = take(50);
                long now = now();
                boolean changed = false;
                for (Result r : batch) {
                    metrics.outcome(r.instance(), r.outcome());
                    seen.add(r.instance());
                    List<Event> events = supervisor.observe(r.instance(), r.outcome(), now);
                    changed |= !events.isEmpty();
                    for (Event e : events) log.accept(e);
                }
                if (reload.getAndSet(false)) {
                    reload(now);
                    changed = true;
                }
                if (now - lastRead >= options.reconcileEvery().toMillis()) {
                    lastRead = now;
                    changed = true;
                    try {
                        for (Event e : supervisor.reconcile(actuator.read(), now)) log.accept(e);
                    } catch (RuntimeException e) {
                        log.accept(Event.of(Event.Level.ERROR, "read-failed", "reason", String.valueOf(e.getMessage())));
                    }
                }
                // decide at once on a health change; otherwise a few times a second, for what time alone changes
                // (damping decays, a withdrawal that waited for the other instances, a change to try again)
                if (changed || now - lastDecide >= DECIDE_EVERY_MS) {
                    lastDecide = now;
                    act(now);
                }
                if (changed || now - lastPublish >= PUBLISH_EVERY_MS) {
                    lastPublish = now;
                    publish();
                }
                if (!ready && seen.size() >= plan.checked().size()) {
                    ready = true;
                    lastStatus = 0;
                    options.statusFile().ifPresent(f -> RunDirs.write(f, HealthTable.render(plan, supervisor.view())));
                    options.readyFile().ifPresent(f -> RunDirs.write(f, ProcessHandle.current().pid() + "\n"));
                    log.accept(Event.of(Event.Level.INFO, "checking", "reason", "every checked instance has been checked once"));
                }
                if (options.statusFile().isPresent() && now - lastStatus >= 1000) {
                    lastStatus = now;
                    RunDirs.write(options.statusFile().get(), HealthTable.render(plan, supervisor.view()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.close();
            pings.close();
            log.accept(Event.of(Event.Level.INFO, "stop", "reason", "stopped: routes stay as they are"));
        }
    }

    private void act(long now) {
        Supervisor.Decision d = supervisor.decide(now);
        for (Event e : d.events()) log.accept(e);
        // a change that failed is tried again after a second, not at every turn
        List<Change> due = d.changes().stream().filter(c -> now - failedAt.getOrDefault(c, Long.MIN_VALUE / 2) >= RETRY_MS).toList();
        if (due.isEmpty()) return;
        Map<Change, String> failed = actuator.apply(due);
        for (Change c : due) {
            if (failed.containsKey(c)) failedAt.put(c, now);
            else failedAt.remove(c);
        }
        for (Event e : supervisor.applied(due, failed)) log.accept(e);
    }

    private void publish() {
        Map<Instance.Group, Optional<Instance>> preferred = new HashMap<>();
        for (Instance.Group g : supervisor.groups()) preferred.put(g, supervisor.preferred(g));
        metrics.state(supervisor.view(), preferred, supervisor.alarms());
    }

    private void reload(long now) {
        WatchPlan next;
        try {
            next = loader.load();
        } catch (Exception e) {
            metrics.reload(false);
            log.accept(Event.of(Event.Level.ERROR, "reload-refused", "reason", "kept the running configuration: " + e.getMessage()));
            return;
        }
        Actuator a = actuators.apply(next);
        Live live;
        try {
            live = a.read();
        } catch (RuntimeException e) {
            metrics.reload(false);
            log.accept(Event.of(Event.Level.ERROR, "reload-refused", "reason", "kept the running configuration: " + e.getMessage()));
            return;
        }
        Supervisor s = new Supervisor(members(next, false), next.damping(), live, now, a.holdsEveryCarrier());
        s.carryOver(supervisor);
        sockets.close();
        pings.close();
        plan = next;
        actuator = a;
        supervisor = s;
        seen.retainAll(next.checked().stream().map(WatchPlan.Item::instance).toList());
        startChecks(next, true);
        metrics.reload(true);
        log.accept(Event.of(Event.Level.INFO, "reloaded", "instances", Integer.toString(next.items().size()),
                "checked", Integer.toString(next.checked().size()), "reason", "SIGHUP: network.yaml read again"));
    }

    /**
     * {@code watch --once}: takes the live state, runs every check once (all at the same time) and returns the
     * instances' views, changing nothing.
     */
    public static List<Supervisor.View> once(WatchPlan plan, Actuator actuator, Metrics metrics) {
        Live live = actuator.read();
        Supervisor s = new Supervisor(members(plan, true), plan.damping(), live, now(), actuator.holdsEveryCarrier());
        s.reconcile(live, now());
        Watch w = new Watch(plan, p -> actuator, () -> plan, e -> { }, metrics, Options.none());
        w.startChecks(plan, false);
        long limit = System.nanoTime() + plan.checked().stream().mapToLong(i -> i.check().orElseThrow().timing().timeout().toNanos())
                .max().orElse(0) + Duration.ofSeconds(2).toNanos();
        Set<Instance> got = new HashSet<>();
        try {
            while (got.size() < plan.checked().size() && System.nanoTime() < limit) {
                for (Result r : w.take(50)) {
                    if (got.add(r.instance())) s.observe(r.instance(), r.outcome(), now());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            w.sockets.close();
            w.pings.close();
        }
        return s.view();
    }

    /** Renders events as lines on {@code out}, each with the time it was logged. */
    public static Consumer<Event> printer(LogLine format, java.io.PrintStream out) {
        return e -> {
            synchronized (out) {
                out.println(format.render(Instant.now(), e));
                out.flush();
            }
        };
    }
}
