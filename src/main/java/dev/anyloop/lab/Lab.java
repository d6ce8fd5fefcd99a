package dev.anyloop.lab;

import dev.anyloop.net.Family;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.LabProcesses;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.render.NftRenderer;
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
 * A network built for real: one network namespace per host and per multi-access segment, veth pairs,
 * each host's sysctls, addresses, routes and firewall applied by the renderers' own output, and real
 * services (dnsmasq, socat) on every declared listener. Never connected to the root namespace.
 */
public final class Lab implements AutoCloseable {
    /** Which firewall tool loads the host's rules. */
    public enum Backend { IPTABLES, NFT }

    /** Threads for independent steps; each mostly waits for a short-lived child process. */
    static final int THREADS = 8;
    private static final Path RUN = Path.of("/run/anyloop-lab");
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);

    private final LabPlan plan;
    private final Network network;
    private final Netns os;

    private Lab(LabPlan plan, Network network, Netns os) {
        this.plan = plan;
        this.network = network;
        this.os = os;
    }

    public static Lab up(LabPlan plan, Network n, Backend backend) { return up(plan, n, backend, new Netns()); }

    /** Thrown when a lab that should be running is not (exit 2 in the CLI): its message says what to run. */
    public static final class NotUpException extends IllegalStateException {
        NotUpException(String message) { super(message); }

        static NotUpException of(String lab) {
            return new NotUpException("lab " + lab + " is not up (no namespace " + LabPlan.prefix(lab) + "*): 'anyloop lab up FILE --name "
                    + lab + "' builds it");
        }
    }

    public static Lab attach(LabPlan plan, Network n) { return attach(plan, n, new Netns()); }

    /**
     * The lab of {@code plan} that an earlier {@code lab up} (another process, usually) built, for probing
     * and failing. Throws {@link NotUpException} when none of its namespaces exist, or when they are not
     * exactly the plan's (built from another file, or half removed).
     */
    public static Lab attach(LabPlan plan, Network n, Netns os) {
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
        return new Lab(plan, n, os);
    }

    /**
     * Creates and configures the lab; returns once every service is listening and every link carries traffic
     * ({@link LabReadiness}). Refuses to start over
     * namespaces of the same lab left by an earlier run. On any failure it removes what it made.
     */
    public static Lab up(LabPlan plan, Network n, Backend backend, Netns os) {
        List<String> existing = namespacesOf(os, plan.lab());
        if (!existing.isEmpty()) {
            throw new IllegalStateException("lab " + plan.lab() + " already has namespaces " + existing
                    + " (a running lab, or leftovers of a crashed run): run 'anyloop lab down --name " + plan.lab() + "' first");
        }
        Lab lab = new Lab(plan, n, os);
        try {
            lab.build(backend);
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

    private void build(Backend backend) {
        long t0 = System.nanoTime();
        os.add(plan.namespaces().stream().map(LabPlan.Namespace::name).toList());
        phase("namespaces", t0);
        os.rootBatch(plan.createBatch()).orThrow();
        phase("links", t0);
        // no namespace of this lab exists (up checked), so whatever a crashed run left here is stale:
        // an old "failed" record would make probe and restore act on links this lab never lost
        RunDirs.deleteTree(runDir(plan.lab()));
        RunDirs.create(runDir(plan.lab()));
        Parallel.each(plan.namespaces(), THREADS, ns -> configure(ns, backend));
        phase("configure", t0);
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
        List<Map.Entry<String, List<String>>> all = services.stream()
                .map(s -> Map.entry(plan.namespaceOf(s.host()), s.argv())).toList();
        int chunk = Math.max(1, (all.size() + THREADS - 1) / THREADS);
        List<List<Map.Entry<String, List<String>>>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += chunk) chunks.add(all.subList(i, Math.min(all.size(), i + chunk)));
        Parallel.each(chunks, THREADS, c -> os.startDetached(c, runDir(plan.lab()).resolve("services.log")));
    }

    /**
     * One namespace: sysctls first (its devices exist but are down, so accept_dad=0 holds before any
     * IPv6 address appears), then one ip batch with the plan's link lines and the renderer's output.
     */
    private void configure(LabPlan.Namespace ns, Backend backend) {
        if (ns.role() != LabPlan.Role.HOST) {
            os.batch(ns.name(), plan.linkBatch(ns.name(), network), false).orThrow();
            return;
        }
        DeviceState d = network.host(ns.owner()).orElseThrow();
        // the sysctls ride in the same ip batch ("netns exec NS sysctl ..."): one process spawn per host, not two
        String sysctl = Netns.sysctlLine(ns.name(), LabSysctls.assignments(d, plan.interfacesIn(ns.name()))) + "\n";
        String ip = IpBatchRenderer.render(d);
        String v6 = IpBatchRenderer.renderV6Rules(d);
        // kept for lab restore, which may run in another process; -force and tolerateExisting let a
        // re-apply go past what is already there ("File exists")
        LabFailures.saveBatches(runDir(plan.lab()), d.host(), ip, v6);
        LabFailures.tolerateExisting(os.batch(ns.name(), sysctl + plan.linkBatch(ns.name(), network) + ip, true, false));
        if (!v6.isEmpty()) LabFailures.tolerateExisting(os.batch(ns.name(), v6, true, true));
        if (backend == Backend.NFT) {
            if (!d.ipv4().isEmpty() || !d.ipv6().isEmpty()) {
                os.exec(ns.name(), List.of("nft", "-f", "-"), Optional.of(NftRenderer.render(d)), Duration.ofSeconds(30)).orThrow();
            }
        } else {
            for (Family f : Family.values()) {
                if (d.netfilter(f).isEmpty()) continue;
                String tool = f == Family.V4 ? "iptables-restore" : "ip6tables-restore";
                os.exec(ns.name(), List.of(tool), Optional.of(IptablesRenderer.render(d.netfilter(f))), Duration.ofSeconds(30)).orThrow();
            }
        }
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
    public void listen(String host, Listener l) {
        DeviceState d = network.host(host).orElseThrow(() -> new IllegalArgumentException("no host '" + host + "' in lab " + plan.lab()));
        DeviceState one = d.withListeners(List.of(l));
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

    /** What {@link #restore} brought back: the failed links, and how many hosts' addresses and routes were re-applied. */
    public record Restored(List<Iface> up, int hosts) { }

    /**
     * Brings back every failed interface (whichever process failed it), re-applies every host's
     * addresses and routes as {@code lab up} did, and flushes neighbour caches.
     */
    public synchronized Restored restore() { return restore(os, plan.lab()); }

    /** {@code lab restore}: {@link #restore()} for a lab another process started. */
    public static Restored restore(String lab) {
        Netns os = new Netns();
        if (namespacesOf(os, lab).isEmpty()) throw NotUpException.of(lab);
        return restore(os, lab);
    }

    private static Restored restore(Netns os, String lab) {
        LabFailures.Restored r = LabFailures.restore(os, runDir(lab), lab, THREADS);
        return new Restored(r.up(), r.hosts());
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
            LabFailures.deleteRoutes(os, plan.namespaceOf(d.host()), gone);
            for (Route r : gone) changes.add(d.host() + ": " + String.join(" ", LabFailures.routeWords("del", r)));
        }
        for (String host : network.hosts().keySet()) {
            if (drained.hosts().containsKey(host)) continue;
            for (Iface i : fail(host)) changes.add(i + " down");
        }
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

    private static Path runDir(String lab) { return RUN.resolve(lab); }
}
