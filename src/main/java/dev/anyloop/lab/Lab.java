package dev.anyloop.lab;

import dev.anyloop.apply.ApplyException;
import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.bgp.Bgp;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.LabProcesses;
import dev.anyloop.os.Netns;
import dev.anyloop.os.NetnsTarget;
import dev.anyloop.os.RunDirs;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A network built for real: one network namespace per host and per multi-access segment, veth pairs, and
 * real services (dnsmasq, anyloop's answer.pl) on every declared listener. Each host is set up the way a real one is:
 * the lab does what the host's network manager and Docker would (interfaces, their addresses and gateways,
 * other tools' routes and rules, Docker's chains: {@link LabHost}), then anyloop's own part goes on through
 * the apply {@link Engine}, with a network-namespace target, like any host. Never connected to the root
 * namespace.
 */
public final class Lab implements AutoCloseable {

    /** Threads for independent steps; each mostly waits for a short-lived child process. */
    static final int THREADS = 8;
    private static final Path RUN = Path.of("/run/anyloop-lab");
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);

    private final LabPlan plan;
    private final Network network;
    private final Netns os;
    /** BIRD in the BGP hosts, when the network has a bgp: section (LabBird owns its lifecycle). */
    private final Optional<LabBird> bird;

    private Lab(LabPlan plan, Network network, Netns os, Optional<LabBird> bird) {
        this.plan = plan;
        this.network = network;
        this.os = os;
        this.bird = bird;
    }

    public static Lab up(LabPlan plan, Network n, Backend backend) { return up(plan, n, backend, new Netns()); }

    /** As {@link #up(LabPlan, Network, Backend)}, with BIRD started in the BGP hosts once they are configured. */
    public static Lab up(LabPlan plan, Network n, Backend backend, Optional<LabBird> bird) {
        return up(plan, n, backend, new Netns(), true, bird);
    }

    /**
     * As {@link #up}, but each host only gets what its network manager and Docker would give it: anyloop's part
     * is left for {@code anyloop apply --netns} (the apply tests do that, host by host), and the services, which
     * bind anyloop's addresses, wait for {@link #startServices}.
     */
    public static Lab prepare(LabPlan plan, Network n, Backend backend) { return up(plan, n, backend, new Netns(), false, Optional.empty()); }

    /** Thrown when a lab that should be running is not (exit 2 in the CLI): its message says what to run. */
    public static final class NotUpException extends IllegalStateException {
        NotUpException(String message) { super(message); }

        static NotUpException of(String lab) {
            return new NotUpException("lab " + lab + " is not up (no namespace " + LabPlan.prefix(lab) + "*): 'anyloop lab up FILE --name "
                    + lab + "' builds it");
        }
    }

    public static Lab attach(LabPlan plan, Network n) { return attach(plan, n, new Netns(), Optional.empty()); }

    /** As {@link #attach(LabPlan, Network)} for a lab whose BGP hosts run BIRD. */
    public static Lab attach(LabPlan plan, Network n, Optional<LabBird> bird) { return attach(plan, n, new Netns(), bird); }

    /**
     * The lab of {@code plan} that an earlier {@code lab up} (another process, usually) built, for probing
     * and failing. Throws {@link NotUpException} when none of its namespaces exist, or when they are not
     * exactly the plan's (built from another file, or half removed).
     */
    public static Lab attach(LabPlan plan, Network n, Netns os, Optional<LabBird> bird) {
        List<String> existing = namespacesOf(os, plan.lab());
        if (existing.isEmpty()) throw NotUpException.of(plan.lab());
        List<String> planned = plan.namespaces().stream().map(LabPlan.Namespace::name).toList();
        List<String> missing = planned.stream().filter(x -> !existing.contains(x)).toList();
        List<String> extra = existing.stream().filter(x -> !planned.contains(x)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new NotUpException("lab " + plan.lab() + " does not match this network (built from another file, or half removed):"
                    + (missing.isEmpty() ? "" : " missing " + missing) + (extra.isEmpty() ? "" : " not in this network " + extra)
                    + "; 'anyloop lab down --name " + plan.lab() + "' and 'lab up' again");
        }
        return new Lab(plan, n, os, bird);
    }

    /**
     * Creates and configures the lab; returns once every service is listening and every link carries traffic
     * ({@link LabReadiness}). Refuses to start over
     * namespaces of the same lab left by an earlier run. On any failure it removes what it made.
     */
    public static Lab up(LabPlan plan, Network n, Backend backend, Netns os) { return up(plan, n, backend, os, true, Optional.empty()); }

    private static Lab up(LabPlan plan, Network n, Backend backend, Netns os, boolean apply, Optional<LabBird> bird) {
        List<String> existing = namespacesOf(os, plan.lab());
        if (!existing.isEmpty()) {
            throw new IllegalStateException("lab " + plan.lab() + " already has namespaces " + existing
                    + " (a running lab, or leftovers of a crashed run): run 'anyloop lab down --name " + plan.lab() + "' first");
        }
        Lab lab = new Lab(plan, n, os, bird);
        try {
            lab.build(backend, apply);
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void build(Backend backend, boolean apply) {
        long t0 = System.nanoTime();
        os.add(plan.namespaces().stream().map(LabPlan.Namespace::name).toList());
        phase("namespaces", t0);
        os.rootBatch(plan.createBatch()).orThrow();
        phase("links", t0);
        // no namespace of this lab exists (up checked), so whatever a crashed run left here is stale:
        // an old "failed" record would make probe and restore act on links this lab never lost
        RunDirs.deleteTree(runDir(plan.lab()));
        RunDirs.create(runDir(plan.lab()));
        LabFailures.saveBackend(runDir(plan.lab()), backend);
        LabFailures.saveHosts(runDir(plan.lab()), List.copyOf(network.hosts().keySet()));
        Parallel.each(plan.namespaces(), THREADS, ns -> configure(ns, backend, apply));
        phase("configure", t0);
        // a service binds its address, which is anyloop's: without apply it cannot start yet
        if (apply) startServices(t0);
        // BIRD once the hosts hold their addresses (prepare leaves anyloop's part, and so BGP, to apply)
        if (apply && bird.isPresent()) {
            bird.get().start();
            phase("bird started", t0);
            bird.get().awaitRoutes(network, LabBird.CONVERGE);
            bird.get().awaitSessions(network, LabBird.CONVERGE);
            phase("bgp converged", t0);
        }
    }

    /** Starts every declared service and returns once each listens: after {@link #prepare}, once anyloop's part is applied. */
    public void startServices() { startServices(System.nanoTime()); }

    private void startServices(long t0) {
        List<LabService> services = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) services.addAll(LabService.of(d, runDir(plan.lab())));
        start(services);
        phase("services started", t0);
        Map<String, List<LabService>> byHost = new TreeMap<>();
        for (LabService s : services) byHost.computeIfAbsent(s.host(), h -> new ArrayList<>()).add(s);
        Parallel.each(List.copyOf(byHost.entrySet()), THREADS, e -> awaitListening(e.getKey(), e.getValue()));
        phase("listening", t0);
        Parallel.each(plan.namespaces(), THREADS, ns -> LabReadiness.await(os, ns.name()));
        phase("links up", t0);
    }

    /** With -Danyloop.lab.timing=true, prints how long each phase of up took (for the benchmark). */
    private static void phase(String what, long t0) {
        if (Boolean.getBoolean("anyloop.lab.timing")) System.err.printf("lab: %-16s %.2f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    /** Starts services detached, a few batches at once; {@link #down} finds them again by namespace. */
    private void start(List<LabService> services) {
        for (LabService s : services) s.files().forEach(RunDirs::write);
        List<Map.Entry<String, List<String>>> all = services.stream()
                .map(s -> Map.entry(plan.namespaceOf(s.host()), s.argv())).toList();
        int chunk = Math.max(1, (all.size() + THREADS - 1) / THREADS);
        List<List<Map.Entry<String, List<String>>>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += chunk) chunks.add(all.subList(i, Math.min(all.size(), i + chunk)));
        Parallel.each(chunks, THREADS, c -> os.startDetached(c, runDir(plan.lab()).resolve("services.log")));
    }

    /**
     * One namespace: a switch gets its links up; a host gets what its own network manager and Docker would
     * give it ({@link LabHost}), then anyloop's part through the apply engine.
     */
    private void configure(LabPlan.Namespace ns, Backend backend, boolean apply) {
        if (ns.role() != LabPlan.Role.HOST) {
            os.batch(ns.name(), plan.linkBatch(ns.name(), network), false).orThrow();
            return;
        }
        DeviceState d = network.host(ns.owner()).orElseThrow();
        LabHost.environment(os, plan, network, ns.name(), d);
        if (apply) converge(ns.name(), d, backend);
    }

    /** Makes anyloop's part of one host {@code d} through the apply engine; throws with the engine's message when it fails. */
    private void converge(String ns, DeviceState d, Backend backend) {
        try {
            engine(ns).apply(d, Engine.Options.of(backend).withoutProtoName());
        } catch (ApplyException e) {
            throw new IllegalStateException("host " + d.host() + ": " + e.getMessage(), e);
        }
    }

    private Engine engine(String ns) { return engine(os, plan.lab(), ns); }

    private static Engine engine(Netns os, String lab, String ns) {
        return new Engine(new NetnsTarget(ns, os.runner()), runDir(lab).resolve(STATE));
    }

    /**
     * Makes {@code host} hold {@code desired} (anyloop's part: its routes, addresses, chains) through the apply
     * engine, as {@code anyloop apply} would: how the demo and the failover drills withdraw and bring back routes.
     */
    public synchronized void converge(String host, DeviceState desired) {
        converge(plan.namespaceOf(host), desired, LabFailures.backend(runDir(plan.lab())));
    }

    private void awaitListening(String host, List<LabService> services) {
        String ns = plan.namespaceOf(host);
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        while (true) {
            List<String> lines = os.listening(ns);
            List<String> missing = new ArrayList<>();
            for (LabService s : services) {
                s.listeners().stream().filter(l -> !Sockets.present(l, lines)).forEach(l -> missing.add(s.kind() + " " + l));
            }
            if (missing.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("host " + host + ": not listening after " + LISTEN_WAIT.toSeconds() + " s: "
                        + missing + "; sockets: " + lines + "; service output in " + runDir(plan.lab()).resolve("services.log"));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * Starts one more service on {@code host} (say a stand-in for sshd on the wildcard, to show that a
     * firewall hides it) and returns once it listens; it is stopped with the lab.
     */
    public void listen(String host, Listener l) { listen(host, List.of(l)); }

    /** As {@link #listen(String, Listener)} with several: one dnsmasq for all DNS ones, as {@code lab up} starts them. */
    public void listen(String host, List<Listener> ls) {
        DeviceState d = network.host(host).orElseThrow(() -> new IllegalArgumentException("no host '" + host + "' in lab " + plan.lab()));
        DeviceState one = d.withListeners(ls);
        List<LabService> services = LabService.of(one, runDir(plan.lab()));
        start(services);
        awaitListening(host, services);
    }

    public LabPlan plan() { return plan; }

    public Network network() { return network; }

    /** Runs {@code argv} inside {@code host}'s namespace. */
    public CommandRunner.Result exec(String host, List<String> argv) { return os.exec(plan.namespaceOf(host), argv); }

    /** Sends {@code p} from inside {@code host}'s namespace. */
    public ProbeResult probe(String host, Probe p) {
        return p.read(os.exec(plan.namespaceOf(host), p.argv(), p.stdin(), Duration.ofSeconds(8)));
    }

    /** A probe and the host it is sent from. */
    public record Query(String from, Probe probe) { }

    /** Runs every query, a few at a time; results in query order. */
    public List<ProbeResult> probeAll(List<Query> queries) {
        return Parallel.map(queries, THREADS, q -> probe(q.from(), q.probe()));
    }

    /** A lab interface, written {@code host:dev}. */
    public record Iface(String host, String dev) {
        /** Parses {@code host:dev}; throws with the input and the reason. */
        public static Iface parse(String s) {
            int colon = s.indexOf(':');
            if (colon <= 0 || colon == s.length() - 1 || s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("Invalid interface '" + s + "': expected HOST:IFACE");
            }
            return new Iface(s.substring(0, colon), s.substring(colon + 1));
        }

        @Override
        public String toString() { return host + ":" + dev; }
    }

    /** Takes every interface of {@code host} down, as if it lost power; the kernel drops routes through them. Returns them. */
    public synchronized List<Iface> fail(String host) {
        return LabFailures.fail(os, runDir(plan.lab()), plan.lab(), host, Optional.empty());
    }

    /** Takes one interface down, as if its cable were pulled. */
    public synchronized List<Iface> fail(String host, String dev) {
        return LabFailures.fail(os, runDir(plan.lab()), plan.lab(), host, Optional.of(dev));
    }

    /** {@code lab fail}: as {@link #fail(String, String)} in a lab another process started; every interface when {@code dev} is empty. */
    public static List<Iface> fail(String lab, String host, Optional<String> dev) {
        return LabFailures.fail(new Netns(), runDir(LabPlan.checkLabName(lab)), lab, host, dev);
    }

    /** What {@link #restore} brought back: the failed links, and how many hosts were set up again. */
    public record Restored(List<Iface> up, int hosts) { }

    /**
     * Brings back every failed interface (whichever process failed it), sets every host up again as
     * {@code lab up} did (the kernel dropped the routes through a link that went down; routes withdrawn by a
     * drill come back through the engine), and flushes neighbour caches.
     */
    public synchronized Restored restore() {
        Restored r = restore(os, plan, network);
        bird.ifPresent(b -> b.awaitRoutes(network, LabBird.CONVERGE));
        return r;
    }

    /** BIRD of this lab, when it has BGP hosts. */
    public Optional<LabBird> bird() { return bird; }

    /** The network.yaml {@code anyloop lab up} built the lab from, kept in its run directory for {@code lab restore}. */
    private static final String SOURCE = "network.yaml";

    /** Keeps the text of the file a lab was built from, so that {@code lab restore} in another process can compile it again. */
    public static void keepSource(String lab, String text) { RunDirs.write(runDir(LabPlan.checkLabName(lab)).resolve(SOURCE), text); }

    /** The file {@link #keepSource} kept, if the lab was built by {@code anyloop lab up}. */
    public static Optional<Path> source(String lab) {
        Path p = runDir(LabPlan.checkLabName(lab)).resolve(SOURCE);
        return java.nio.file.Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** {@code lab restore}: {@link #restore()} for a lab another process started from {@code n}. */
    public static Restored restore(String lab, Network n) {
        Netns os = new Netns();
        if (namespacesOf(os, lab).isEmpty()) throw NotUpException.of(lab);
        return restore(os, LabPlan.of(lab, n), n);
    }

    private static Restored restore(Netns os, LabPlan plan, Network n) {
        Path run = runDir(plan.lab());
        List<Iface> up = LabFailures.linksUp(os, run, plan.lab());
        List<String> existing = os.list();
        List<LabPlan.Namespace> hosts = plan.namespaces().stream().filter(x -> x.role() == LabPlan.Role.HOST && existing.contains(x.name())).toList();
        Backend backend = LabFailures.backend(run);
        Parallel.each(hosts, THREADS, ns -> {
            DeviceState d = n.host(ns.owner()).orElseThrow();
            LabHost.reconnect(os, plan, n, ns.name(), d);
            try {
                engine(os, plan.lab(), ns.name()).apply(d, Engine.Options.of(backend).withoutProtoName());
            } catch (ApplyException e) {
                throw new IllegalStateException("host " + d.host() + ": " + e.getMessage(), e);
            }
            os.batch(ns.name(), "neigh flush all\n", false).orThrow();
        });
        return new Restored(up, hosts.size());
    }

    /** The interfaces failed and not restored yet, in the order they were failed. */
    public List<Iface> failed() { return LabFailures.recorded(runDir(plan.lab())); }

    /** {@link #failed()} of a lab another process started; none when it is not up. */
    public static List<Iface> failed(String lab) { return LabFailures.recorded(runDir(LabPlan.checkLabName(lab))); }

    /**
     * Makes the lab what {@code drained} describes, for a failover check: every host missing from it has
     * its interfaces taken down, and every route missing from a host is deleted, as a health check
     * withdraws them. {@link #restore()} undoes it. Returns what changed, one line each.
     */
    public synchronized List<String> drain(Network drained) {
        List<String> changes = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) {
            Optional<DeviceState> after = drained.host(d.host());
            if (after.isEmpty()) continue;
            List<Route> gone = d.routes().stream().filter(r -> !after.get().routes().contains(r)).toList();
            if (gone.isEmpty()) continue;
            // BIRD's routes (a BGP network's drain has them) are BIRD's to change, not the apply engine's
            converge(d.host(), after.get().withRoutes(after.get().routes().stream().filter(r -> !Bgp.installedByBird(r)).toList()));
            for (Route r : gone) changes.add(d.host() + ": withdrew " + r);
        }
        for (String host : network.hosts().keySet()) {
            if (drained.hosts().containsKey(host)) continue;
            for (Iface i : fail(host)) changes.add(i + " down");
        }
        // BIRD withdraws and replaces the BGP routes by itself (link down, BFD): wait until it has
        bird.ifPresent(b -> b.awaitRoutes(drained, LabBird.CONVERGE));
        return changes;
    }

    /** Stops every service and removes every namespace of this lab. */
    @Override
    public void close() { down(plan.lab(), os); }

    public static void down(String lab) { down(lab, new Netns()); }

    /**
     * Removes every namespace of {@code lab}, killing the processes inside first (a namespace with a
     * process in it outlives its name). Idempotent: a lab that is not there is already down.
     */
    public static void down(String lab, Netns os) {
        // watch first, with SIGTERM: it logs that it stopped (and, as always, leaves the routes as they are)
        LabWatch.stop(lab);
        List<String> names = namespacesOf(os, lab);
        List<Long> pids = new ArrayList<>();
        LabProcesses.pidsIn(names).values().forEach(pids::addAll);
        LabProcesses.kill(pids);
        os.delete(names);
        RunDirs.deleteTree(runDir(lab));
    }

    /** What is running of {@code lab}: each namespace and the processes in it. */
    public record Status(String lab, Map<String, List<Long>> namespaces) {
        public boolean up() { return !namespaces.isEmpty(); }
    }

    public static Status status(String lab) {
        Netns os = new Netns();
        List<String> names = namespacesOf(os, lab);
        return new Status(lab, new TreeMap<>(LabProcesses.pidsIn(names)));
    }

    /** Runs {@code argv} in {@code host}'s namespace of a running lab (one started by another process, too). */
    public static CommandRunner.Result exec(String lab, String host, List<String> argv) {
        Netns os = new Netns();
        String ns = LabPlan.prefix(LabPlan.checkLabName(lab)) + host;
        if (!os.list().contains(Netns.check(ns))) throw new IllegalArgumentException("lab " + lab + " has no host '" + host + "' (no namespace " + ns + ")");
        return os.exec(ns, argv);
    }

    /** Lab namespaces ({@code al-*}) that exist now, by lab name: running labs, or the leftovers of crashed runs. */
    public static Map<String, List<String>> leftovers() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String ns : new Netns().list()) {
            if (!ns.startsWith(LabPlan.ALL_PREFIX)) continue;
            int dash = ns.indexOf('-', LabPlan.ALL_PREFIX.length());
            if (dash < 0) continue;
            out.computeIfAbsent(ns.substring(LabPlan.ALL_PREFIX.length(), dash), k -> new ArrayList<>()).add(ns);
        }
        return out;
    }

    private static List<String> namespacesOf(Netns os, String lab) {
        String prefix = LabPlan.prefix(LabPlan.checkLabName(lab));
        return os.list().stream().filter(n -> n.startsWith(prefix)).toList();
    }

    static Path runDir(String lab) { return RUN.resolve(lab); }

    /**
     * Where the apply engine keeps the state files of lab {@code lab}'s hosts: what {@code --lab} commands read and
     * write, and what {@code lab watch} gives watch, so it reads the drains the lab's engine recorded.
     */
    public static Path stateDir(String lab) { return runDir(LabPlan.checkLabName(lab)).resolve(STATE); }

    /** The apply engine's state folder inside a lab's run directory: one state file per host namespace. */
    private static final String STATE = "state";
}
