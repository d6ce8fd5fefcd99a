package dev.anyloop.fleet;

import dev.anyloop.apply.ApplyException;
import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.apply.HostRecord;
import dev.anyloop.intent.Intent;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import dev.anyloop.state.Sysctls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code apply --all}: the single-host apply {@link Engine} run on every host in the order {@link Rollout} plans
 * and {@link RolloutProof} proves. Before anything is touched: every host opened and read, the preview of what
 * changes for which client, the order proved. Then, with {@code --confirm}, every host's rollback timer armed;
 * then the waves, each wave's hosts at once. The first host that fails stops the rollout; every host changed so far
 * is put back (newest wave first), and the result names the host and the error.
 */
public final class FleetApply {
    private FleetApply() { }

    /** What the command asks beyond network.yaml. */
    public record Settings(Optional<Backend> backend, OptionalInt confirm, boolean dryRun, boolean force, Path stateDir, boolean installProtoName,
                           Duration listenWait) { }

    /** One host: its target, the waves it took part in, the changes each step made, and its error if it failed. */
    public record HostResult(String host, String target, List<String> waves, List<String> changes, Optional<String> error, List<String> notes) {
        public boolean changed() { return !waves.isEmpty(); }
    }

    /** Everything a run found and did. {@code exit}: 0 done (or dry run without changes), 1 failed or refused by a check or the proof, 2 nothing could start. */
    public record Result(int exit, boolean changed, Optional<Preview> preview, Optional<Rollout.Plan> plan, Optional<RolloutProof> proof,
                         Map<String, HostResult> hosts, List<String> messages, Optional<String> failure, Optional<LiveNetwork> live) { }

    /** The live view a run works from: each host's engine, record and state, and the network they make. */
    private record Read(Map<String, Engine> engines, Map<String, HostRecord> records, Map<String, DeviceState> live, LiveNetwork network,
                        Network desired) { }

    /** With -Danyloop.fleet.timing=true, how long each phase took (for the benchmark). */
    static void phase(String what, long t0) {
        if (Boolean.getBoolean("anyloop.fleet.timing")) System.err.printf("fleet: %-22s %.2f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    public static Result run(Intent intent, Network desired, Fleet fleet, Settings s, PrintWriter progress) {
        long t0 = System.nanoTime();
        List<String> messages = new ArrayList<>();
        if (!fleet.problems().isEmpty()) {
            for (Fleet.Problem p : fleet.problems()) messages.add(p.line());
            return refused(2, messages, "cannot reach every host with a target; nothing was changed anywhere");
        }
        if (fleet.targets().isEmpty()) return refused(2, messages, "no host has a target (" + skippedLine(fleet) + "); nothing was changed");
        Read read;
        try {
            read = read(fleet, desired, s);
        } catch (Refusal r) {
            messages.addAll(r.lines);
            return refused(2, messages, "nothing was changed anywhere");
        }
        phase("read every host", t0);
        Network live = read.network.network();
        for (String h : read.network.assumed()) messages.add(h + ": skipped (" + why(fleet, h) + "); simulated as network.yaml plans it");
        Map<String, Rollout.HostInput> inputs = new LinkedHashMap<>();
        for (String h : read.live.keySet()) {
            inputs.put(h, new Rollout.HostInput(read.live.get(h), read.records.get(h).scope().addresses(), desired.host(h).orElseThrow()));
        }
        Rollout.Plan plan = Rollout.plan(inputs);
        // after the rollout: each changed host as its last step leaves it (its own foreign state kept), the rest as they are
        Map<String, DeviceState> after = new LinkedHashMap<>();
        for (Rollout.Step st : plan.steps()) after.put(st.host(), st.simulated());
        Network predicted = Rollout.with(live, after);
        Catalog catalog = Catalog.of(Optional.of(intent), List.of(live, desired));
        List<Query> queries = catalog.queries(List.of(live, predicted));
        Preview preview = Preview.scoped(live, predicted, queries, 2);
        RolloutProof proof = RolloutProof.check(live, plan, preview.staying());
        phase("preview, plan and proof", t0);
        Map<String, HostResult> hosts = new LinkedHashMap<>();
        for (String h : read.live.keySet()) hosts.put(h, new HostResult(h, fleet.spec(h).toString(), List.of(), List.of(), Optional.empty(), List.of()));
        if (!proof.safe() && !s.force()) {
            for (RolloutProof.Violation v : proof.violations()) messages.add(v.line());
            return new Result(1, false, Optional.of(preview), Optional.of(plan), Optional.of(proof), hosts, messages,
                    Optional.of("the rollout would cut off clients of services that stay (above); nothing was changed (--force applies anyway)"),
                    Optional.of(read.network));
        }
        if (s.dryRun() || plan.isEmpty()) {
            return new Result(s.dryRun() && !plan.isEmpty() ? 1 : 0, false, Optional.of(preview), Optional.of(plan), Optional.of(proof), hosts, messages,
                    Optional.empty(), Optional.of(read.network));
        }
        Result done = execute(plan, read, fleet, s, progress, new Result(0, false, Optional.of(preview), Optional.of(plan), Optional.of(proof), hosts, messages,
                Optional.empty(), Optional.of(read.network)));
        phase("waves", t0);
        return done;
    }

    private static String skippedLine(Fleet f) {
        return f.skipped().isEmpty() ? "no inventory" : f.skipped().size() + " skipped: give --inventory FILE, --target HOST=URI or --lab NAME";
    }

    private static String why(Fleet f, String host) {
        for (Placement.Skipped s : f.skipped()) if (s.host().equals(host)) return s.why();
        return "not read";
    }

    private static Result refused(int exit, List<String> messages, String failure) {
        return new Result(exit, false, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), messages, Optional.of(failure), Optional.empty());
    }

    /** Lines that refuse the run before anything changed. */
    private static final class Refusal extends Exception {
        final List<String> lines;

        Refusal(List<String> lines) {
            super(String.join("; ", lines), null, false, false);
            this.lines = lines;
        }
    }

    /** Every open host's record (a crashed apply finished first) and state, in parallel; any problem refuses the run. */
    private static Read read(Fleet fleet, Network desired, Settings s) throws Refusal {
        List<String> hosts = List.copyOf(fleet.targets().keySet());
        Map<String, Engine> engines = new LinkedHashMap<>();
        for (String h : hosts) engines.put(h, new Engine(fleet.targets().get(h), s.stateDir()));
        Map<String, Object> status = fleet.each(hosts, (h, t) -> {
            try {
                return engines.get(h).status();
            } catch (ApplyException e) {
                return new IllegalStateException(e.getMessage());
            }
        });
        List<String> problems = new ArrayList<>();
        Map<String, HostRecord> records = new LinkedHashMap<>();
        for (String h : hosts) {
            Object o = status.get(h);
            if (o instanceof Engine.Status) {
                HostRecord r = ((Engine.Status) o).record();
                records.put(h, r);
                r.pending().ifPresent(p -> problems.add(h + " (" + fleet.spec(h) + "): the change " + p.id() + " awaits confirmation: "
                        + "'anyloop confirm' or 'anyloop rollback' it first"));
            } else {
                problems.add(h + " (" + fleet.spec(h) + "): " + ((Throwable) o).getMessage());
            }
        }
        Map<String, FleetSnapshot.Read> reads = FleetSnapshot.read(fleet, hosts);
        for (FleetSnapshot.Read r : reads.values()) {
            if (r instanceof FleetSnapshot.Bad) problems.add(r.host() + " (" + fleet.spec(r.host()) + "): " + ((FleetSnapshot.Bad) r).why());
        }
        if (!problems.isEmpty()) throw new Refusal(problems);
        Map<String, DeviceState> live = FleetSnapshot.states(reads);
        return new Read(engines, records, live, LiveNetwork.of(live, desired), desired);
    }

    /** The state of one host's rollout while it runs: its armed change and the waves it has done. */
    private static final class Progress {
        final Map<String, String> armed = new LinkedHashMap<>();
        final Map<String, List<String>> waves = new LinkedHashMap<>();
        final Map<String, List<String>> changes = new LinkedHashMap<>();
        final Map<String, List<String>> notes = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();
    }

    private static Result execute(Rollout.Plan plan, Read read, Fleet fleet, Settings s, PrintWriter progress, Result planned) {
        Progress p = new Progress();
        List<String> messages = new ArrayList<>(planned.messages());
        List<String> hosts = plan.hosts();
        Engine.Options base = Engine.Options.lastBackend().backend(s.backend());
        if (!s.installProtoName()) base = base.withoutProtoName();
        if (s.confirm().isPresent()) {
            int seconds = s.confirm().getAsInt();
            Map<String, Object> armed = fleet.each(hosts, (h, t) -> {
                try {
                    return read.engines.get(h).arm(seconds);
                } catch (ApplyException e) {
                    return new IllegalStateException(e.getMessage());
                }
            });
            List<String> failed = new ArrayList<>();
            for (String h : hosts) {
                Object o = armed.get(h);
                if (o instanceof String) p.armed.put(h, (String) o);
                else failed.add(h + " (" + fleet.spec(h) + "): " + ((Throwable) o).getMessage());
            }
            if (!failed.isEmpty()) {
                disarm(p, read, fleet);
                messages.addAll(failed);
                return finish(planned, p, messages, 2, Optional.of("could not arm every host's rollback timer; nothing was changed anywhere"));
            }
            progress.printf("armed the rollback timer on %d hosts (%d s)%n", p.armed.size(), seconds);
        }
        for (Rollout.Wave w : Rollout.Wave.values()) {
            List<Rollout.Step> steps = plan.waves().get(w);
            if (steps.isEmpty()) continue;
            TestPause.before(w);
            if (w == Rollout.Wave.MOVE) {
                Optional<String> notListening = awaitListeners(plan, read, fleet, s.listenWait());
                if (notListening.isPresent()) {
                    String why = notListening.get();
                    String back = rollBack(p, read, fleet, s, base, progress);
                    messages.add(why);
                    return finish(planned, p, messages, 1, Optional.of(why + "; " + back));
                }
            }
            progress.printf("wave %s: %s%n", w.what(), String.join(", ", steps.stream().map(Rollout.Step::host).toList()));
            Map<String, Rollout.Step> byHost = new LinkedHashMap<>();
            for (Rollout.Step st : steps) byHost.put(st.host(), st);
            Engine.Options opts = base;
            Map<String, Object> done = fleet.each(List.copyOf(byHost.keySet()), (h, t) -> {
                Engine.Options o = p.armed.containsKey(h) ? opts.within(p.armed.get(h)) : opts;
                try {
                    return read.engines.get(h).apply(byHost.get(h).target(), o);
                } catch (ApplyException e) {
                    return new IllegalStateException(e.getMessage());
                }
            });
            List<String> failed = new ArrayList<>();
            for (String h : byHost.keySet()) {
                Object o = done.get(h);
                if (o instanceof Engine.Outcome) {
                    Engine.Outcome r = (Engine.Outcome) o;
                    if (r.changed()) p.waves.computeIfAbsent(h, x -> new ArrayList<>()).add(w.word());
                    for (dev.anyloop.apply.Change c : r.plan().changes()) p.changes.computeIfAbsent(h, x -> new ArrayList<>()).add(w.word() + ": " + c.describe());
                    p.notes.computeIfAbsent(h, x -> new ArrayList<>()).addAll(r.notes());
                } else {
                    String why = ((Throwable) o).getMessage();
                    p.errors.put(h, why);
                    failed.add(h + " (" + fleet.spec(h) + "): " + why);
                    // a step that failed may have been made partly and put back by the engine: roll this host back too
                    p.waves.computeIfAbsent(h, x -> new ArrayList<>());
                }
            }
            if (!failed.isEmpty()) {
                messages.addAll(failed);
                String back = rollBack(p, read, fleet, s, base, progress);
                return finish(planned, p, messages, 1, Optional.of("wave " + w.word() + " failed on " + String.join(", ", p.errors.keySet())
                        + ": the rollout stopped and " + back));
            }
            // the dead man's switch: every timer gets the full time again after each wave, so each one fires SECONDS
            // after the rollout's last sign of life, and a wave never starts on a timer about to fire
            if (s.confirm().isPresent()) extendAll(p, read, fleet, s.confirm().getAsInt());
        }
        if (s.confirm().isPresent()) {
            messages.add("every host rolls back by itself in " + s.confirm().getAsInt() + " s unless 'anyloop confirm FILE --all' (with the same targets) "
                    + "keeps the change");
        }
        return finish(planned, p, messages, 0, Optional.empty());
    }

    /** Gives every armed timer {@code seconds} again from now; a host that cannot be reached keeps its old deadline (and fires first). */
    private static void extendAll(Progress p, Read read, Fleet fleet, int seconds) {
        fleet.each(List.copyOf(p.armed.keySet()), (h, t) -> {
            try {
                read.engines.get(h).extend(p.armed.get(h), seconds);
                return h;
            } catch (ApplyException e) {
                return new IllegalStateException(e.getMessage());
            }
        });
    }

    /** Before routes move: every service the plan moves traffic to must listen on its new host (anyloop does not start services). */
    private static Optional<String> awaitListeners(Rollout.Plan plan, Read read, Fleet fleet, Duration wait) {
        Map<String, Set<Listener>> wanted = new LinkedHashMap<>();
        for (Rollout.Step st : plan.waves().get(Rollout.Wave.MAKE)) {
            DeviceState desired = st.target();
            Set<Ip> gained = st.addressesChanged();
            Set<Listener> need = new LinkedHashSet<>();
            for (Listener l : desired.listeners()) {
                if (gained.contains(l.address()) || (l.address().isZero() && gained.stream().anyMatch(g -> g.family() == l.address().family()))) need.add(l);
            }
            if (!need.isEmpty()) wanted.put(st.host(), need);
        }
        if (wanted.isEmpty()) return Optional.empty();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Map<String, FleetSnapshot.Read> now = FleetSnapshot.read(fleet, List.copyOf(wanted.keySet()));
            List<String> missing = new ArrayList<>();
            List<String> unread = new ArrayList<>();
            for (Map.Entry<String, Set<Listener>> e : wanted.entrySet()) {
                FleetSnapshot.Read r = now.get(e.getKey());
                if (!(r instanceof FleetSnapshot.Good)) {
                    unread.add(e.getKey() + " (" + fleet.spec(e.getKey()) + "): " + (r == null ? "not read" : ((FleetSnapshot.Bad) r).why()));
                    continue;
                }
                List<Listener> have = ((FleetSnapshot.Good) r).state().listeners();
                for (Listener l : e.getValue()) {
                    if (have.stream().noneMatch(x -> serves(x, l))) missing.add(e.getKey() + " does not listen on " + l.proto().word() + " " + l.address() + ":" + l.port());
                }
            }
            // a host that cannot be read again after its change: no waiting makes its services reachable
            if (!unread.isEmpty()) return Optional.of("cannot be read again after the make wave: " + String.join("; ", unread));
            if (missing.isEmpty()) return Optional.empty();
            if (System.nanoTime() > deadline) {
                return Optional.of(String.join("; ", missing) + " within " + wait.toSeconds() + " s of getting the address: start the service there "
                        + "before its routes move (anyloop does not start services)");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while waiting for services to listen");
            }
        }
    }

    /** A live socket that takes what {@code wanted} would: same protocol and port, on that address or the wildcard. */
    static boolean serves(Listener live, Listener wanted) {
        if (live.proto() != wanted.proto() || live.port() != wanted.port()) return false;
        if (live.address().equals(wanted.address())) return true;
        if (!live.address().isZero()) return false;
        // an IPv6 wildcard without IPV6_V6ONLY takes IPv4 too (dual stack)
        return live.address().family() == wanted.address().family() || (!live.v6only() && live.address().family() == dev.anyloop.net.Family.V6);
    }

    /** Stops the timers armed on hosts that did not change; those that did are undone with the rest. */
    private static void disarm(Progress p, Read read, Fleet fleet) {
        fleet.each(List.copyOf(p.armed.keySet()), (h, t) -> {
            try {
                return read.engines.get(h).rollback();
            } catch (ApplyException e) {
                return new IllegalStateException(e.getMessage());
            }
        });
    }

    /**
     * Puts every host the rollout touched back as it was, the hosts of the latest wave first (the reverse order is
     * make before break too). An armed change is undone by the engine's rollback (the whole change, to the state
     * before its first step); without --confirm each host converges to its owned part as read before the rollout.
     * Armed hosts that never changed are disarmed.
     */
    private static String rollBack(Progress p, Read read, Fleet fleet, Settings s, Engine.Options base, PrintWriter progress) {
        List<Rollout.Wave> reverse = new ArrayList<>(List.of(Rollout.Wave.values()));
        java.util.Collections.reverse(reverse);
        Set<String> done = new LinkedHashSet<>();
        List<String> byTimer = new ArrayList<>();
        List<String> byHand = new ArrayList<>();
        for (Rollout.Wave w : reverse) {
            List<String> group = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : p.waves.entrySet()) {
                String last = e.getValue().isEmpty() ? Rollout.Wave.MAKE.word() : e.getValue().get(e.getValue().size() - 1);
                if (last.equals(w.word()) && !done.contains(e.getKey())) group.add(e.getKey());
            }
            if (group.isEmpty()) continue;
            progress.printf("rolling back %s%n", String.join(", ", group));
            Map<String, Object> r = fleet.each(group, (h, t) -> {
                try {
                    if (p.armed.containsKey(h)) return read.engines.get(h).rollback();
                    return read.engines.get(h).apply(restore(read, h), base);
                } catch (ApplyException e) {
                    return new IllegalStateException(e.getMessage());
                }
            });
            for (String h : group) {
                done.add(h);
                Object o = r.get(h);
                List<String> notes = p.notes.computeIfAbsent(h, x -> new ArrayList<>());
                if (o instanceof Throwable) {
                    notes.add("rolling back failed: " + ((Throwable) o).getMessage()
                            + (p.armed.containsKey(h) ? "; its rollback timer undoes the change by itself" : "; run 'anyloop rollback' on it"));
                    (p.armed.containsKey(h) ? byTimer : byHand).add(h);
                } else {
                    notes.add("rolled back");
                }
            }
        }
        List<String> untouched = p.armed.keySet().stream().filter(h -> !done.contains(h)).toList();
        if (!untouched.isEmpty()) {
            fleet.each(untouched, (h, t) -> {
                try {
                    return read.engines.get(h).rollback();
                } catch (ApplyException e) {
                    return new IllegalStateException(e.getMessage());
                }
            });
        }
        if (done.isEmpty()) return "no host had been changed";
        if (byTimer.isEmpty() && byHand.isEmpty()) return "every host changed so far was put back";
        List<String> how = new ArrayList<>();
        if (!byTimer.isEmpty()) how.add(String.join(", ", byTimer) + " rolls back by its own timer");
        if (!byHand.isEmpty()) how.add("run 'anyloop rollback' on " + String.join(", ", byHand));
        return "every host changed so far was put back except " + String.join(", ", concat(byTimer, byHand)) + ", whose rollback failed (see its notes): "
                + String.join("; ", how);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * What puts {@code host} back without an armed change: network.yaml's host (for what it expects) with anyloop's
     * part as read before the rollout, and the sysctls anyloop sets at their values then.
     */
    static DeviceState restore(Read read, String host) {
        DeviceState live = read.live.get(host);
        DeviceState planned = read.desired.host(host).orElseThrow();
        Set<Address> owned = read.records.get(host).scope().addresses();
        OwnedParts was = OwnedParts.of(live, a -> owned.contains(dev.anyloop.apply.Ownership.key(a)));
        DeviceState d = was.onto(planned, a -> true);
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String k : planned.sysctls().values().keySet()) live.sysctls().get(k).ifPresent(v -> sysctls.put(k, v.strip()));
        return new DeviceState(d.host(), d.links(), d.addresses(), d.routes(), d.rules(), Sysctls.of(sysctls), d.ipv4(), d.ipv6(), d.listeners());
    }

    private static Result finish(Result planned, Progress p, List<String> messages, int exit, Optional<String> failure) {
        Map<String, HostResult> hosts = new LinkedHashMap<>();
        for (Map.Entry<String, HostResult> e : planned.hosts().entrySet()) {
            String h = e.getKey();
            hosts.put(h, new HostResult(h, e.getValue().target(), p.waves.getOrDefault(h, List.of()), p.changes.getOrDefault(h, List.of()),
                    Optional.ofNullable(p.errors.get(h)), p.notes.getOrDefault(h, List.of())));
        }
        boolean changed = exit == 0 && hosts.values().stream().anyMatch(HostResult::changed);
        return new Result(exit, changed, planned.preview(), planned.plan(), planned.proof(), hosts, messages, failure, planned.live());
    }
}
