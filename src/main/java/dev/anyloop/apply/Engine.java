package dev.anyloop.apply;

import dev.anyloop.os.HostScript;
import dev.anyloop.os.Snapshotter;
import dev.anyloop.os.Target;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.DeviceState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converges one target to a desired {@link DeviceState}, for the part anyloop owns: read the host, plan
 * ({@link Planner}), write a journal, run every step in one process on the target, read the host again and
 * prove the owned part equals the desired one, else put it back as it was. The lab, {@code apply}, drains
 * and the health checks all change hosts through here and nowhere else.
 *
 * <p>Crash safety: the journal (the host as it was, the record as it was, what the change is about to take
 * on) is written before the first command. A later apply, diff or rollback that finds it undoes the change.
 * A change with {@code --confirm} leaves a timer script on the target that undoes it unless confirmed.
 */
public final class Engine {
    /** How long one read or one run of the steps may take on the target. */
    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    /** Past its deadline by this much with no timer having fired, a pending change is rolled back by the next anyloop. */
    private static final long TIMER_GRACE_SECONDS = 5;
    /** How long a staged timer due to fire waits for a step under way: longer than a step may run. */
    static final int STEP_GRACE_SECONDS = (int) TIMEOUT.toSeconds() + 30;
    /** /etc/iproute2/rt_protos.d/anyloop.conf: names anyloop's proto, so "ip route show proto anyloop" works. */
    public static final Path PROTO_NAME_FILE = Path.of("/etc/iproute2/rt_protos.d/anyloop.conf");
    /** The text of packaging/rt_protos.d/anyloop.conf (a test keeps the two the same). */
    public static final String PROTO_NAME_TEXT = "# Route protocol of the routes anyloop installs (\"ip route ... proto 77\"), so that \"ip route\" prints\n"
            + "# \"proto anyloop\" and \"ip route show proto anyloop\" lists exactly them (iproute2 reads rt_protos.d/*.conf).\n77\tanyloop\n";
    private static final Set<Snapshotter.Part> READ = EnumSet.of(Snapshotter.Part.ADDR, Snapshotter.Part.ROUTE, Snapshotter.Part.RULE,
            Snapshotter.Part.RULE6, Snapshotter.Part.IPTABLES, Snapshotter.Part.IP6TABLES, Snapshotter.Part.SYSCTL,
            Snapshotter.Part.NFT_TABLE);
    private static final List<String> WRITE_TOOLS = List.of("sysctl", "iptables-restore", "ip6tables-restore", "nft");
    private static final Pattern NFT_CHAIN = Pattern.compile("(?m)^\\s*chain\\s+(\\S+)\\s*\\{");

    /**
     * What one command does beyond the desired state: the firewall backend (empty: the one the last change
     * used, else iptables), --dry-run, --confirm, whether to install rt_protos.d/anyloop.conf, and the change
     * armed ahead this apply is one step of (fleet apply).
     */
    public record Options(Optional<Backend> backend, boolean dryRun, OptionalInt confirmSeconds, boolean installProtoName, Optional<String> within) {
        public Options(Optional<Backend> backend, boolean dryRun, OptionalInt confirmSeconds, boolean installProtoName) {
            this(backend, dryRun, confirmSeconds, installProtoName, Optional.empty());
        }

        public static Options of(Backend b) { return new Options(Optional.of(b), false, OptionalInt.empty(), true); }

        /** The backend the last change on the target used (iptables on a new one). */
        public static Options lastBackend() { return new Options(Optional.empty(), false, OptionalInt.empty(), true); }

        Backend backendFor(HostRecord r) { return backend.orElse(r.backend().orElse(Backend.IPTABLES)); }

        public Options dryRun(boolean d) { return new Options(backend, d, confirmSeconds, installProtoName, within); }

        public Options backend(Optional<Backend> b) { return new Options(b, dryRun, confirmSeconds, installProtoName, within); }

        public Options confirm(OptionalInt s) { return new Options(backend, dryRun, s, installProtoName, within); }

        /** Without touching /etc: the lab, whose namespaces share this machine's /etc with everything else. */
        public Options withoutProtoName() { return new Options(backend, dryRun, confirmSeconds, false, within); }

        /**
         * One more step of the change {@code id} that {@link #arm} started (fleet apply: a host may change in
         * several steps, make before break): allowed while that change awaits confirmation, guarded by its timer.
         */
        public Options within(String id) { return new Options(backend, dryRun, OptionalInt.empty(), installProtoName, Optional.of(id)); }
    }

    /**
     * What a command did: its exit code (0 ok; for diff 1 when changes are pending), the plan, whether the
     * host was changed, notes for the user (a recovered crash, a pending confirmation), and the host as read
     * after the change, in the snapshot format.
     */
    public record Outcome(int exit, Plan plan, boolean changed, List<String> notes, Map<String, String> after) {
        public Outcome {
            notes = List.copyOf(notes);
            after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
        }
    }

    private final Target target;
    private final StateStore store;

    public Engine(Target target, Path stateDir) {
        this.target = target;
        this.store = new StateStore(target, stateDir);
    }

    /** The default state folder, {@code /var/lib/anyloop}. */
    public static Path defaultStateDir() { return StateStore.DEFAULT; }

    /** This target's state folder. */
    public Path stateDir() { return store.dir(); }

    public Target target() { return target; }

    /** The record as it stands, and what was finished or undone to get there (an interrupted change). */
    public record Status(HostRecord record, List<String> notes) {
        public Status {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The record as the state file holds it this moment, without the lock and without finishing or undoing an
     * interrupted change: for anyloop watch, which reads the drains every second and must never make a drain or an
     * apply wait (or be refused) for its lock. A change in flight shows as {@link HostRecord#journal()}.
     */
    public HostRecord peek() throws ApplyException { return store.load(); }

    /** The record as it stands (after finishing or undoing an interrupted change), for drains and status. */
    public Status status() throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            return new Status(recover(store.load(), notes), notes);
        }
    }

    /** Compares the host with {@code desired}: exit 0 in sync, 1 changes pending (or expectations missing). */
    public Outcome diff(DeviceState desired, Options o) throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            HostRecord rec = recover(store.load(), notes);
            rec.pending().ifPresent(p -> notes.add("the change " + p.id() + " awaits confirmation for "
                    + Math.max(0, p.deadline() - now()) + " s more: 'anyloop confirm' keeps it, 'anyloop rollback' undoes it"));
            Prepared p = prepare(desired, o.backendFor(rec), rec);
            int exit = p.plan.inSync() && p.plan.missing().isEmpty() ? 0 : 1;
            return new Outcome(exit, p.plan, false, notes, Map.of());
        }
    }

    public Outcome apply(DeviceState desired, Options o) throws ApplyException { return apply(desired, o, UnaryOperator.identity()); }

    /**
     * Converges the host to {@code desired} with the record changed by {@code recordChange} first (a drain
     * added or removed), both or neither: the record is saved only once the host holds what it says.
     */
    public Outcome apply(DeviceState desired, Options o, UnaryOperator<HostRecord> recordChange) throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            HostRecord was = recover(store.load(), notes);
            if (o.within().isPresent() && !was.pending().map(HostRecord.Pending::id).equals(o.within())) {
                throw new ApplyException(2, "the change " + o.within().get() + " on " + target.describe() + " no longer awaits confirmation "
                        + "(its timer rolled it back, or it was confirmed or rolled back); nothing was changed");
            }
            if (was.pending().isPresent() && !o.dryRun() && o.within().isEmpty()) {
                HostRecord.Pending p = was.pending().get();
                throw new ApplyException(2, "the change " + p.id() + " on " + target.describe() + " awaits confirmation (" + Math.max(0, p.deadline() - now())
                        + " s left): 'anyloop confirm' keeps it, 'anyloop rollback' undoes it; nothing was changed");
            }
            HostRecord rec = recordChange.apply(was);
            Backend backend = o.backendFor(was);
            Prepared p = prepare(desired, backend, rec);
            if (p.plan.refused()) {
                throw new ApplyException(2, p.plan.text() + "nothing was changed: the host lacks what network.yaml says it has");
            }
            if (o.dryRun()) return new Outcome(0, p.plan, false, notes, Map.of());
            if (p.plan.inSync()) {
                rec = rec.withBackend(backend);
                if (!rec.equals(was)) store.save(rec);
                return new Outcome(0, p.plan, false, notes, p.live.snapshot.files());
            }
            for (String tool : toolsFor(p.steps)) {
                if (p.live.missingTools.contains(tool)) {
                    throw new ApplyException(2, tool + " is not installed on " + target.describe() + ", and the plan needs it; nothing was changed"
                            + (tool.equals("nft") ? " (or use --backend iptables)" : tool.contains("tables") ? " (or use --backend nft)" : ""));
                }
            }
            if (o.installProtoName()) installProtoName();
            return execute(p, o, backend, was, rec, notes);
        }
    }

    /** A plan with everything it was made from. */
    private record Prepared(Live live, Owned target, Owned liveOwned, Plan plan, Steps steps, HostRecord record, Ownership.Scope scope) { }

    private Prepared prepare(DeviceState desired, Backend backend, HostRecord rec) throws ApplyException {
        DeviceState want = Drains.apply(desired, rec.drains());
        Set<String> keys = new TreeSet<>(want.sysctls().values().keySet());
        keys.addAll(rec.scope().sysctls());
        Live live = read(keys);
        Owned target = target(want, backend, rec, live.state);
        Ownership.Scope scope = union(rec.scope(), target);
        Owned liveOwned = Ownership.live(live.state, scope, live.nft());
        Planner.Result r = Planner.plan(liveOwned, target, rec.nft());
        List<String> warnings = new ArrayList<>(r.warnings());
        for (Drain d : rec.drains()) {
            if (Drains.routes(desired, d).isEmpty()) warnings.add("drain " + d + " withdraws no route of this host (the file changed?)");
        }
        Plan plan = new Plan(desired.host() + " (" + this.target.describe() + ")", r.changes(), Expectations.check(live.state, want), warnings,
                rec.drains());
        Steps steps;
        try {
            steps = Steps.of(r.changes());
        } catch (IllegalArgumentException e) {
            throw new ApplyException(2, "cannot write the change for " + this.target.describe() + ": " + e.getMessage() + "; nothing was changed");
        }
        return new Prepared(live, target, liveOwned, plan, steps, rec, scope);
    }

    /**
     * What anyloop is to own: {@code want}'s part, plus, for what the record says anyloop changed and
     * {@code want} no longer asks for, the values from before (a sysctl, a connected route's src).
     */
    private static Owned target(DeviceState want, Backend backend, HostRecord rec, DeviceState live) {
        Owned t = Ownership.desired(want, backend);
        Map<String, String> sysctls = new LinkedHashMap<>(t.sysctls());
        rec.sysctls().forEach(sysctls::putIfAbsent);
        List<dev.anyloop.state.Route> src = new ArrayList<>(t.srcRoutes());
        Set<Ownership.SrcKey> wanted = new LinkedHashSet<>();
        for (dev.anyloop.state.Route r : t.srcRoutes()) wanted.add(Ownership.SrcKey.of(r));
        for (Map.Entry<Ownership.SrcKey, Optional<dev.anyloop.net.Ip>> e : rec.srcRoutes().entrySet()) {
            if (wanted.contains(e.getKey())) continue;
            live.routes().stream().filter(r -> r.proto().equals("kernel") && Ownership.SrcKey.of(r).equals(e.getKey())).findFirst()
                    .ifPresent(r -> src.add(r.withSrc(e.getValue())));
        }
        return t.withSysctls(sysctls).withSrcRoutes(src);
    }

    private static Ownership.Scope union(Ownership.Scope s, Owned target) {
        Set<dev.anyloop.state.Address> a = new LinkedHashSet<>(s.addresses());
        target.addresses().forEach(x -> a.add(Ownership.key(x)));
        Set<String> k = new LinkedHashSet<>(s.sysctls());
        k.addAll(target.sysctls().keySet());
        Set<Ownership.SrcKey> r = new LinkedHashSet<>(s.srcRoutes());
        target.srcRoutes().forEach(x -> r.add(Ownership.SrcKey.of(x)));
        return new Ownership.Scope(a, k, r);
    }

    private static Ownership.Scope union(Ownership.Scope a, Ownership.Scope b) {
        Set<dev.anyloop.state.Address> x = new LinkedHashSet<>(a.addresses());
        x.addAll(b.addresses());
        Set<String> k = new LinkedHashSet<>(a.sysctls());
        k.addAll(b.sysctls());
        Set<Ownership.SrcKey> r = new LinkedHashSet<>(a.srcRoutes());
        r.addAll(b.srcRoutes());
        return new Ownership.Scope(x, k, r);
    }

    private Outcome execute(Prepared p, Options o, Backend backend, HostRecord was, HostRecord rec, List<String> notes) throws ApplyException {
        if (o.within().isPresent()) return executeWithin(p, o.within().get(), backend, was, rec, notes);
        String id = newId();
        Path journal = store.journal(id);
        store.writeFiles(journal.resolve("before"), p.live.snapshot.files());
        store.target().write(journal.resolve("record.json"), was.toJson());
        // every lo address the change is to own: one that is there already (added by hand) is in the snapshot
        // taken before, so undoing keeps it
        List<dev.anyloop.state.Address> adds = p.target.addresses().stream().map(Ownership::key).toList();
        HostRecord.Journal j = new HostRecord.Journal(id, now(), ProcessHandle.current().pid(), adds, p.target.sysctls().keySet(),
                keys(p.target));
        // the journal is on disk before the first command runs: a crash from here on is found and undone
        store.save(was.withJournal(Optional.of(j)));
        TestPause.at("journal", store.dir());
        Path steps = journal.resolve("steps");
        store.writeFiles(steps, TimerScript.files(p.steps));
        HostScript script = stepScript(p.steps, steps);
        Snapshotter.add(script, READ, List.copyOf(p.scope.sysctls()));
        HostScript.Result r = script.run(target, TIMEOUT);
        Optional<HostScript.Output> failed = r.failedStep();
        if (failed.isPresent()) {
            String why = "step " + failed.get().name() + " failed on " + target.describe() + " (exit " + failed.get().exit() + "): "
                    + command(failed.get().name(), p.steps, steps) + (failed.get().out().isBlank() ? "" : "\n" + failed.get().out().strip());
            throw undoAfterFailure(id, p, was, why);
        }
        TestPause.at("verify", store.dir());
        Live after;
        try {
            after = parse(Snapshotter.parse(r, READ, List.copyOf(p.scope.sysctls())), missingOf(r));
        } catch (RuntimeException e) {
            throw undoAfterFailure(id, p, was, "reading the host after the change failed: " + e.getMessage());
        }
        Owned afterOwned = Ownership.live(after.state, p.scope, after.nft());
        Planner.NftMemory nft = p.target.nft().map(t -> new Planner.NftMemory(Planner.hash(t), after.nft().orElse(""))).orElse(Planner.NftMemory.NONE);
        List<String> differs = verify(afterOwned, p.target, nft);
        if (!differs.isEmpty()) {
            throw undoAfterFailure(id, p, was, "after the change the host still differs from network.yaml: " + String.join("; ", differs));
        }
        Set<Ownership.SrcKey> desiredSrc = keys(p.target);
        HostRecord done = rec.after(p.plan.changes(), p.target.sysctls().keySet(), desiredSrc).withNft(nft).withJournal(Optional.empty())
                .withLast(Optional.of(id)).withBackend(backend);
        store.keepAsLast(id);
        if (o.confirmSeconds().isPresent()) {
            int s = o.confirmSeconds().getAsInt();
            done = done.withPending(Optional.of(new HostRecord.Pending(id, now() + s, s)));
            arm(id, s, afterOwned, after.state, p, was);
            notes.add("applied; this change is rolled back in " + s + " s unless 'anyloop confirm' keeps it");
            store.save(done);
            TestPause.at("armed", store.dir());
        } else {
            store.save(done);
        }
        return new Outcome(0, p.plan, true, notes, after.snapshot.files());
    }

    private static Set<Ownership.SrcKey> keys(Owned o) {
        Set<Ownership.SrcKey> out = new LinkedHashSet<>();
        o.srcRoutes().forEach(x -> out.add(Ownership.SrcKey.of(x)));
        return out;
    }

    /** What is left different between the host as read and what it was to be, one phrase each; empty when equal. */
    private static List<String> verify(Owned after, Owned target, Planner.NftMemory nft) {
        List<String> out = new ArrayList<>();
        Owned t = target;
        // the nft table is compared below, by its chains: nft lists it in its own words
        Planner.Result again = Planner.plan(after, new Owned(t.addresses(), t.routes(), t.srcRoutes(), t.rules(), t.sysctls(), t.chains(), t.jumps(),
                Map.of(), after.nft()), new Planner.NftMemory(after.nft().map(Planner::hash).orElse(""), after.nft().orElse("")));
        for (Change c : again.changes()) out.add(c.describe());
        // nft lists a table its own way: the same chains must be there (the listing is remembered for drift)
        if (target.nft().isPresent() != after.nft().isPresent()) out.add("nft table inet anyloop " + (after.nft().isPresent() ? "still there" : "missing"));
        else if (target.nft().isPresent() && !nftChains(target.nft().get()).equals(nftChains(after.nft().get()))) {
            out.add("nft table inet anyloop holds chains " + nftChains(after.nft().get()) + ", not " + nftChains(target.nft().get()));
        }
        return out;
    }

    static Set<String> nftChains(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = NFT_CHAIN.matcher(text);
        while (m.find()) out.add(m.group(1).replace("\"", ""));
        return out;
    }

    /** Puts the host back as the journal found it after a failed step or check, and says so in the exception. */
    private ApplyException undoAfterFailure(String id, Prepared p, HostRecord was, String why) {
        try {
            undo(p.live.snapshot, p.live.nft(), was, p.scope, p.record.nft());
            store.save(was.withJournal(Optional.empty()));
            store.target().delete(store.journal(id));
            return new ApplyException(1, why + "\nthe host was put back as it was before this apply");
        } catch (ApplyException e) {
            return new ApplyException(1, why + "\nputting the host back failed too: " + e.getMessage()
                    + "\nthe journal stays; the next 'anyloop apply', 'diff' or 'rollback' tries again");
        }
    }

    /**
     * Makes anyloop's part of the host what it was in {@code before} (the host as read before a change):
     * reads the host, plans back, runs that and checks it. Works whatever part of the change happened.
     */
    private void undo(Snapshotter.Snapshot before, Optional<String> beforeNft, HostRecord record, Ownership.Scope extra, Planner.NftMemory nft)
            throws ApplyException {
        Ownership.Scope scope = union(record.scope(), extra);
        DeviceState was = parse(before, Set.of()).state;
        Owned target = Ownership.live(was, scope, beforeNft);
        target = new Owned(target.addresses(), target.routes(), target.srcRoutes(), target.rules(), target.sysctls(), target.chains(),
                target.jumps(), Map.of(), beforeNft);
        Live now = read(scope.sysctls());
        Owned live = Ownership.live(now.state, scope, now.nft());
        // the table is put back as it was listed, whatever the memory says
        Planner.Result plan = Planner.plan(live, target, beforeNft.map(b -> new Planner.NftMemory(Planner.hash(b), b)).orElse(nft));
        List<List<String>> residue = residue(was, now.state);
        if (plan.changes().isEmpty() && residue.isEmpty()) return;
        Steps steps = Steps.of(plan.changes());
        Path dir = store.dir().resolve("undo");
        store.target().delete(dir);
        store.writeFiles(dir, TimerScript.files(steps));
        HostScript script = stepScript(steps, dir);
        for (List<String> t : residue) script.plain(t);
        Snapshotter.add(script, READ, List.copyOf(scope.sysctls()));
        HostScript.Result r = script.run(this.target, TIMEOUT);
        Optional<HostScript.Output> failed = r.failedStep();
        if (failed.isPresent()) {
            throw new ApplyException(1, "undo step " + failed.get().name() + " failed (exit " + failed.get().exit() + "): " + failed.get().out().strip());
        }
        Live after = parse(Snapshotter.parse(r, READ, List.copyOf(scope.sysctls())), missingOf(r));
        Planner.Result left = Planner.plan(Ownership.live(after.state, scope, after.nft()), target,
                beforeNft.map(b -> new Planner.NftMemory(Planner.hash(b), b)).orElse(Planner.NftMemory.NONE));
        if (!left.changes().isEmpty()) {
            throw new ApplyException(1, "after undoing, the host still differs from before: "
                    + left.changes().stream().map(Change::describe).toList());
        }
        store.target().delete(dir);
    }

    /**
     * The iptables tables (as nft names them: "ip filter") that did not exist before and hold nothing but
     * anyloop's part now: iptables-nft made them for anyloop's rules, and once those are gone they are empty
     * leftovers ({@code nft delete table}; iptables-legacy has no such table and the command fails harmlessly).
     */
    private static List<List<String>> residue(DeviceState before, DeviceState now) {
        List<List<String>> out = new ArrayList<>();
        for (dev.anyloop.net.Family f : dev.anyloop.net.Family.values()) {
            for (dev.anyloop.state.Table t : now.netfilter(f).tables()) {
                if (before.netfilter(f).table(t.name()).isPresent()) continue;
                boolean onlyOurs = t.chains().stream().allMatch(c -> Ownership.ownsChain(c.name())
                        || c.policy().equals(Optional.of(new dev.anyloop.state.Target.Accept())) && c.rules().stream().allMatch(Ownership::ownsRule));
                if (onlyOurs) out.add(List.of("nft", "delete", "table", f == dev.anyloop.net.Family.V4 ? "ip" : "ip6", t.name()));
            }
        }
        return out;
    }

    /** Keeps the change unless rolled back; exit 1 when its timer already undid it. */
    public Outcome confirm() throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            HostRecord rec = recover(store.load(), notes);
            if (rec.pending().isEmpty()) {
                if (notes.isEmpty()) notes.add("nothing awaits confirmation on " + target.describe());
                return new Outcome(notes.stream().anyMatch(n -> n.contains("rolled back")) ? 1 : 0, emptyPlan(rec), false, notes, Map.of());
            }
            HostRecord.Pending p = rec.pending().get();
            Path dir = store.pending(p.id());
            if (!target.rename(dir.resolve(TimerScript.ARMED), dir.resolve(TimerScript.CONFIRMED))) {
                // the timer took it first; what it did is reconciled like any rolled-back change
                HostRecord back = recover(rec, notes);
                store.save(back);
                return new Outcome(1, emptyPlan(back), false, notes, Map.of());
            }
            store.save(rec.withPending(Optional.empty()));
            target.delete(dir);
            notes.add("confirmed: the change " + p.id() + " stays");
            return new Outcome(0, emptyPlan(rec), false, notes, Map.of());
        }
    }

    /** Undoes the change awaiting confirmation, or else the last change made, now. */
    public Outcome rollback() throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            HostRecord rec = recover(store.load(), notes);
            if (rec.pending().isPresent()) {
                HostRecord.Pending p = rec.pending().get();
                Path dir = store.pending(p.id());
                if (!target.rename(dir.resolve(TimerScript.ARMED), dir.resolve(TimerScript.FIRING))) {
                    HostRecord back = recover(rec, notes);
                    store.save(back);
                    return new Outcome(0, emptyPlan(back), true, notes, Map.of());
                }
                if (!rec.last().equals(Optional.of(p.id()))) {
                    // armed ahead (fleet apply) and never applied here: there is nothing to undo, only the timer to stop
                    store.save(rec.withPending(Optional.empty()));
                    target.delete(dir);
                    notes.add("disarmed the change " + p.id() + " on " + target.describe() + ": nothing of it had been applied here");
                    return new Outcome(0, emptyPlan(rec), false, notes, Map.of());
                }
            }
            if (rec.last().isEmpty()) {
                boolean recovered = !notes.isEmpty();
                if (!recovered) notes.add("nothing to roll back on " + target.describe());
                return new Outcome(0, emptyPlan(rec), recovered, notes, Map.of());
            }
            HostRecord back = rollBackLast(rec, rec.last().get());
            store.save(back);
            rec.pending().ifPresent(p -> target.delete(store.pending(p.id())));
            notes.add("rolled back the change " + rec.last().get() + " on " + target.describe());
            return new Outcome(0, emptyPlan(back), true, notes, Map.of());
        }
    }

    /** Undoes the last change kept in {@code last/ID}; returns the record from before it. */
    private HostRecord rollBackLast(HostRecord rec, String id) throws ApplyException {
        Path dir = store.last().resolve(id);
        Map<String, String> before = store.readFiles(dir.resolve("before"));
        HostRecord previous = store.readRecord(dir.resolve("record.json")).orElseThrow(() -> new ApplyException(2,
                "the last change " + id + " left no record in " + dir + "; nothing was changed"));
        if (before.isEmpty()) throw new ApplyException(2, "the last change " + id + " left no snapshot in " + dir + "; nothing was changed");
        undo(new Snapshotter.Snapshot(before, Map.of()), Optional.ofNullable(before.get(Snapshotter.NFT_ANYLOOP)), rec, previous.scope(), rec.nft());
        store.target().delete(store.last());
        return previous.withJournal(Optional.empty()).withPending(Optional.empty()).withLast(Optional.empty());
    }

    /**
     * Finishes what an earlier anyloop left: a journal (a change interrupted, by a kill or a crash) is undone;
     * a pending change whose timer rolled it back is reconciled (and completed if the timer could not finish);
     * one past its deadline with no timer left (a reboot, a killed timer) is rolled back now.
     */
    private HostRecord recover(HostRecord rec, List<String> notes) throws ApplyException {
        if (rec.journal().isPresent()) {
            HostRecord.Journal j = rec.journal().get();
            notes.add("found a change that did not finish (" + j.id() + ", started " + Instant.ofEpochSecond(j.started()) + " by pid " + j.pid()
                    + ", killed or crashed): undoing it");
            Path dir = store.journal(j.id());
            Map<String, String> before = store.readFiles(dir.resolve("before"));
            HostRecord previous = store.readRecord(dir.resolve("record.json")).orElse(rec.withJournal(Optional.empty()));
            if (!before.isEmpty()) {
                undo(new Snapshotter.Snapshot(before, Map.of()), Optional.ofNullable(before.get(Snapshotter.NFT_ANYLOOP)), rec, previous.scope(), rec.nft());
            }
            rec = previous.withJournal(Optional.empty());
            store.save(rec);
            target.delete(dir);
            notes.add("undone: the host is as it was before " + j.id());
        }
        if (rec.pending().isPresent()) {
            HostRecord.Pending p = rec.pending().get();
            Path dir = store.pending(p.id());
            // under the lock no step runs: a stepping marker is an anyloop's that died mid-step (its journal undone above)
            if (target.read(dir.resolve(TimerScript.STEPPING)).isPresent()) target.delete(dir.resolve(TimerScript.STEPPING));
            boolean armed = target.read(dir.resolve(TimerScript.ARMED)).isPresent();
            Optional<String> rolled = target.read(dir.resolve(TimerScript.ROLLED_BACK));
            boolean firing = target.read(dir.resolve(TimerScript.FIRING)).isPresent();
            if (armed && now() <= p.deadline() + TIMER_GRACE_SECONDS) return rec;
            if (!armed && !rolled.isPresent() && firing && timerAlive(dir)) {
                throw new ApplyException(2, "the rollback timer of " + p.id() + " is undoing it right now; run this again in a moment");
            }
            if (!armed && !firing && rolled.isEmpty()) {
                // confirmed, and the record not yet saved when that anyloop stopped
                rec = rec.withPending(Optional.empty());
                store.save(rec);
                target.delete(dir);
                return rec;
            }
            if (armed && target.rename(dir.resolve(TimerScript.ARMED), dir.resolve(TimerScript.FIRING))) {
                notes.add("the change " + p.id() + " was not confirmed within " + p.seconds() + " s and no timer rolled it back: rolling it back now");
            } else {
                notes.add("the change " + p.id() + " was not confirmed within " + p.seconds() + " s: its timer rolled it back"
                        + rolled.map(t -> " at " + Instant.ofEpochSecond(Long.parseLong(t.lines().findFirst().orElse("0").strip()))).orElse(""));
            }
            if (rec.last().equals(Optional.of(p.id()))) {
                rec = rollBackLast(rec, p.id());
            } else {
                rec = rec.withPending(Optional.empty());
            }
            store.save(rec);
            target.delete(dir);
        }
        return rec;
    }

    private boolean timerAlive(Path dir) {
        Optional<String> pid = target.read(dir.resolve(TimerScript.PID)).map(String::strip);
        if (pid.isEmpty() || !pid.get().matches("\\d{1,10}")) return false;
        return target.run(List.of("kill", "-0", pid.get()), Optional.empty(), Duration.ofSeconds(5)).ok();
    }

    /**
     * Starts a change that is made later, in steps ({@code apply} with {@link Options#within}), by arming its
     * rollback timer first: fleet apply arms every host before it changes the first one. Until a step has run the
     * timer has nothing to undo ({@link TimerScript#renderStaged}); each step leaves the undo back to the host as it
     * was here, before the step runs. Refused while another change awaits confirmation. Returns the change's id.
     */
    public String arm(int seconds) throws ApplyException {
        if (seconds < 1) throw new IllegalArgumentException("Invalid confirm time " + seconds + ": at least 1 second");
        try (Target.Lock lock = store.lock()) {
            List<String> notes = new ArrayList<>();
            HostRecord rec = recover(store.load(), notes);
            if (rec.pending().isPresent()) {
                HostRecord.Pending p = rec.pending().get();
                throw new ApplyException(2, "the change " + p.id() + " on " + target.describe() + " awaits confirmation (" + Math.max(0, p.deadline() - now())
                        + " s left): 'anyloop confirm' keeps it, 'anyloop rollback' undoes it; nothing was changed");
            }
            String id = newId();
            Path dir = store.pending(id);
            store.target().write(dir.resolve(TimerScript.SECONDS), seconds + "\n");
            store.target().write(dir.resolve("timer.sh"), TimerScript.renderStaged(dir, STEP_GRACE_SECONDS));
            store.target().write(dir.resolve(TimerScript.ARMED), id + "\n");
            store.save(rec.withPending(Optional.of(new HostRecord.Pending(id, now() + seconds, seconds))));
            try {
                target.startDetached(List.of("sh", dir.resolve("timer.sh").toString()), dir.resolve("timer.log"));
            } catch (RuntimeException e) {
                store.save(rec);
                target.delete(dir);
                throw new ApplyException(2, "could not start the rollback timer on " + target.describe() + ": " + e.getMessage() + "; nothing was changed");
            }
            return id;
        }
    }

    /**
     * Gives the change {@code id} (armed by {@link #arm}) {@code seconds} more from now before its timer rolls it
     * back: fleet apply does this once every host is done, so the time to confirm starts when the rollout ends.
     */
    public void extend(String id, int seconds) throws ApplyException {
        try (Target.Lock lock = store.lock()) {
            HostRecord rec = store.load();
            HostRecord.Pending p = rec.pending().filter(x -> x.id().equals(id)).orElseThrow(() -> new ApplyException(1,
                    "the change " + id + " on " + target.describe() + " no longer awaits confirmation (its timer rolled it back?)"));
            Path dir = store.pending(id);
            if (target.read(dir.resolve(TimerScript.ARMED)).isEmpty()) {
                throw new ApplyException(1, "the rollback timer of " + id + " on " + target.describe() + " has already fired");
            }
            long armedAt = p.deadline() - p.seconds();
            int total = (int) Math.max(seconds, now() - armedAt + seconds);
            store.target().write(dir.resolve(TimerScript.SECONDS), total + "\n");
            store.save(rec.withPending(Optional.of(new HostRecord.Pending(id, now() + seconds, total))));
        }
    }

    /** One step of a change armed ahead: the timer's undo goes back to the host as it was when the change started. */
    private Outcome executeWithin(Prepared p, String id, Backend backend, HostRecord was, HostRecord rec, List<String> notes) throws ApplyException {
        Path pending = store.pending(id);
        // the staged timer's hold on this step (TimerScript.STEPPING): made before armed is checked, so that a timer
        // firing from here on waits until the step and its undo files are done, and one that fired before is seen
        store.target().write(pending.resolve(TimerScript.STEPPING), ProcessHandle.current().pid() + "\n");
        try {
            if (target.read(pending.resolve(TimerScript.ARMED)).isEmpty()) {
                throw new ApplyException(1, "the rollback timer of " + id + " on " + target.describe() + " has fired or is firing; nothing was changed");
            }
            return stepWithin(p, id, backend, was, rec, notes, pending);
        } finally {
            try {
                target.delete(pending.resolve(TimerScript.STEPPING));
            } catch (RuntimeException e) {
                // the host went away: its timer stops waiting for this step after STEP_GRACE
            }
        }
    }

    private Outcome stepWithin(Prepared p, String id, Backend backend, HostRecord was, HostRecord rec, List<String> notes, Path pending)
            throws ApplyException {
        boolean first = !rec.last().equals(Optional.of(id));
        Owned original;
        if (first) {
            original = Ownership.live(p.live.state, p.scope, p.live.nft());
        } else {
            Path dir = store.last().resolve(id).resolve("before");
            Map<String, String> before = store.readFiles(dir);
            if (before.isEmpty()) throw new ApplyException(2, "the change " + id + " left no snapshot in " + dir + "; nothing was changed");
            Optional<String> beforeNft = Optional.ofNullable(before.get(Snapshotter.NFT_ANYLOOP));
            original = Ownership.live(parse(new Snapshotter.Snapshot(before, Map.of()), Set.of()).state, p.scope, beforeNft);
        }
        Owned back = new Owned(original.addresses(), original.routes(), original.srcRoutes(), original.rules(), original.sysctls(),
                original.chains(), original.jumps(), Map.of(), original.nft());
        // armed before the step runs: whatever part of it happens, the timer takes the host back to where the change began;
        // planned from the host as the step leaves it, its other tools' chains included (the jumps sit among their rules)
        Owned stepped = new Owned(p.target.addresses(), p.target.routes(), p.target.srcRoutes(), p.target.rules(), p.target.sysctls(),
                p.target.chains(), p.target.jumps(), Planner.parentsAfter(p.liveOwned.parents(), p.plan.changes()), p.target.nft());
        stageUndo(pending, Planner.plan(stepped, back, Planner.NftMemory.NONE));
        String jid = newId();
        Path journal = store.journal(jid);
        store.writeFiles(journal.resolve("before"), p.live.snapshot.files());
        store.target().write(journal.resolve("record.json"), was.toJson());
        List<dev.anyloop.state.Address> adds = new ArrayList<>();
        for (Change c : p.plan.changes()) if (c instanceof Change.AddressAdd) adds.add(Ownership.key(((Change.AddressAdd) c).address()));
        store.save(was.withJournal(Optional.of(new HostRecord.Journal(jid, now(), ProcessHandle.current().pid(), adds, p.target.sysctls().keySet(),
                keys(p.target)))));
        Path steps = journal.resolve("steps");
        store.writeFiles(steps, TimerScript.files(p.steps));
        HostScript script = new HostScript();
        script.plain(List.of("touch", pending.resolve(TimerScript.APPLIED).toString()));
        stepScript(p.steps, steps, script);
        Snapshotter.add(script, READ, List.copyOf(p.scope.sysctls()));
        HostScript.Result r = script.run(target, TIMEOUT);
        Optional<HostScript.Output> failed = r.failedStep();
        String why = null;
        Live after = null;
        if (failed.isPresent()) {
            why = "step " + failed.get().name() + " failed on " + target.describe() + " (exit " + failed.get().exit() + "): "
                    + command(failed.get().name(), p.steps, steps) + (failed.get().out().isBlank() ? "" : "\n" + failed.get().out().strip());
        } else {
            try {
                after = parse(Snapshotter.parse(r, READ, List.copyOf(p.scope.sysctls())), missingOf(r));
            } catch (RuntimeException | ApplyException e) {
                why = "reading the host after the change failed: " + e.getMessage();
            }
        }
        Planner.NftMemory nft = Planner.NftMemory.NONE;
        if (why == null) {
            Live a = after;
            nft = p.target.nft().map(t -> new Planner.NftMemory(Planner.hash(t), a.nft().orElse(""))).orElse(Planner.NftMemory.NONE);
            List<String> differs = verify(Ownership.live(after.state, p.scope, after.nft()), p.target, nft);
            if (!differs.isEmpty()) why = "after the change the host still differs from network.yaml: " + String.join("; ", differs);
        }
        if (why != null) {
            ApplyException e = undoAfterFailure(jid, p, was, why);
            stageUndo(pending, Planner.plan(p.liveOwned, back, Planner.NftMemory.NONE));
            throw e;
        }
        HostRecord done = rec.after(p.plan.changes(), p.target.sysctls().keySet(), keys(p.target)).withNft(nft).withJournal(Optional.empty())
                .withLast(Optional.of(id)).withBackend(backend);
        if (first) {
            store.target().delete(store.last());
            store.target().rename(journal, store.last().resolve(id));
        } else {
            store.target().delete(journal);
        }
        store.save(done);
        return new Outcome(0, p.plan, true, notes, after.snapshot.files());
    }

    /** Replaces the undo files a staged timer runs: {@code changes} as step files, sysctls one "key=value" a line. */
    private void stageUndo(Path pending, Planner.Result changes) {
        Steps undo = Steps.of(changes.changes());
        for (String f : TimerScript.STAGED_FILES) store.target().delete(pending.resolve(f));
        store.writeFiles(pending, TimerScript.files(undo));
        if (!undo.sysctl().isEmpty()) store.target().write(pending.resolve(TimerScript.SYSCTL_FILE), String.join("\n", undo.sysctl()) + "\n");
    }

    /** Leaves the undo of this change and the timer script on the target, then starts the timer there, detached. */
    private void arm(String id, int seconds, Owned after, DeviceState afterState, Prepared p, HostRecord was) throws ApplyException {
        Path dir = store.pending(id);
        Owned before = Ownership.live(p.live.state, p.scope, p.live.nft());
        before = new Owned(before.addresses(), before.routes(), before.srcRoutes(), before.rules(), before.sysctls(), before.chains(),
                before.jumps(), Map.of(), p.live.nft());
        Planner.Result back = Planner.plan(after, before, Planner.NftMemory.NONE);
        Steps undo = Steps.of(back.changes());
        store.writeFiles(dir, TimerScript.files(undo));
        store.target().write(dir.resolve("timer.sh"), TimerScript.render(dir, seconds, TimerScript.Undo.of(undo, residue(p.live.state, afterState))));
        store.target().write(dir.resolve(TimerScript.ARMED), id + "\n");
        try {
            target.startDetached(List.of("sh", dir.resolve("timer.sh").toString()), dir.resolve("timer.log"));
        } catch (RuntimeException e) {
            // no timer, no safety net: take the change back now rather than leave it unguarded
            try {
                rollBackLast(was.withLast(Optional.of(id)), id);
            } catch (ApplyException again) {
                e.addSuppressed(again);
            }
            store.save(was);
            throw new ApplyException(1, "could not start the rollback timer on " + target.describe() + ": " + e.getMessage()
                    + "; the change was rolled back");
        }
    }

    /** The steps as one script: each one's input is a file beside it, a failing step stops the rest. */
    private static HostScript stepScript(Steps s, Path dir) { return stepScript(s, dir, new HostScript()); }

    private static HostScript stepScript(Steps s, Path dir, HostScript script) {
        if (!s.sysctl().isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("sysctl", "-q", "-w"));
            argv.addAll(s.sysctl());
            script.step("sysctl", argv, Optional.empty());
        }
        if (!s.ip().isEmpty()) script.step("ip", List.of("ip", "-batch", dir.resolve("steps.ip").toString()), Optional.empty());
        TestPause.inScript("ip", script, dir);
        if (!s.ip6().isEmpty()) script.step("ip6", List.of("ip", "-6", "-batch", dir.resolve("steps.ip6").toString()), Optional.empty());
        if (!s.iptables().isEmpty()) {
            script.step("iptables", List.of("iptables-restore", "--noflush", dir.resolve("steps.iptables").toString()), Optional.empty());
        }
        if (!s.ip6tables().isEmpty()) {
            script.step("ip6tables", List.of("ip6tables-restore", "--noflush", dir.resolve("steps.ip6tables").toString()), Optional.empty());
        }
        if (s.nft().isPresent()) script.step("nft", List.of("nft", "-f", dir.resolve("steps.nft").toString()), Optional.empty());
        return script;
    }

    /** The command line a step ran, for the failure message. */
    private static String command(String step, Steps s, Path dir) {
        switch (step) {
            case "sysctl": return "sysctl -q -w " + String.join(" ", s.sysctl());
            case "ip": return "ip -batch " + dir.resolve("steps.ip");
            case "ip6": return "ip -6 -batch " + dir.resolve("steps.ip6");
            case "iptables": return "iptables-restore --noflush " + dir.resolve("steps.iptables");
            case "ip6tables": return "ip6tables-restore --noflush " + dir.resolve("steps.ip6tables");
            case "nft": return "nft -f " + dir.resolve("steps.nft");
            default: return step;
        }
    }

    private static List<String> toolsFor(Steps s) {
        List<String> out = new ArrayList<>();
        if (!s.sysctl().isEmpty()) out.add("sysctl");
        if (!s.iptables().isEmpty()) out.add("iptables-restore");
        if (!s.ip6tables().isEmpty()) out.add("ip6tables-restore");
        if (s.nft().isPresent()) out.add("nft");
        return out;
    }

    /** The host as read, parsed, and which of the write tools it lacks. */
    private record Live(Snapshotter.Snapshot snapshot, DeviceState state, Set<String> missingTools) {
        Optional<String> nft() { return snapshot.file(Snapshotter.NFT_ANYLOOP); }
    }

    private Live read(java.util.Collection<String> sysctlKeys) throws ApplyException {
        HostScript script = new HostScript();
        Snapshotter.add(script, READ, List.copyOf(sysctlKeys));
        script.tools(WRITE_TOOLS);
        HostScript.Result r;
        Snapshotter.Snapshot s;
        try {
            r = script.run(target, TIMEOUT);
            s = Snapshotter.parse(r, READ, List.copyOf(sysctlKeys));
        } catch (RuntimeException e) {
            throw new ApplyException(2, "cannot read " + target.describe() + ": " + e.getMessage() + "; nothing was changed");
        }
        return parse(s, missingOf(r));
    }

    private static Set<String> missingOf(HostScript.Result r) {
        Set<String> out = new TreeSet<>();
        for (String t : WRITE_TOOLS) if (r.section("tool-" + t).map(HostScript.Output::missing).orElse(false)) out.add(t);
        return out;
    }

    private Live parse(Snapshotter.Snapshot s, Set<String> missingTools) throws ApplyException {
        try {
            return new Live(s, SnapshotReader.readHost(target.id(), s.files()), missingTools);
        } catch (SnapshotException e) {
            throw new ApplyException(2, "cannot make sense of what " + target.describe() + " printed: " + e.getMessage());
        }
    }

    /** Writes rt_protos.d/anyloop.conf unless it is there: ip then prints (and takes) "proto anyloop" for 77. */
    private void installProtoName() {
        if (target.read(PROTO_NAME_FILE).isEmpty()) target.write(PROTO_NAME_FILE, PROTO_NAME_TEXT);
    }

    private Plan emptyPlan(HostRecord rec) {
        return new Plan(target.describe(), List.of(), List.of(), List.of(), rec.drains());
    }

    private static long now() { return Instant.now().getEpochSecond(); }

    private static String newId() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(Instant.now())
                + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16));
    }
}
