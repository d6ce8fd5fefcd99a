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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** namespace -> interfaces {@link #fail} took down. */
    private final Map<String, Set<String>> failed = new LinkedHashMap<>();

    private Lab(LabPlan plan, Network network, Netns os) {
        this.plan = plan;
        this.network = network;
        this.os = os;
    }

    public static Lab up(LabPlan plan, Network n, Backend backend) { return up(plan, n, backend, new Netns()); }

    /**
     * Creates and configures the lab; returns once every service is listening. Refuses to start over
     * namespaces of the same lab left by an earlier run. On any failure it removes what it made.
     */
    public static Lab up(LabPlan plan, Network n, Backend backend, Netns os) {
        List<String> existing = namespacesOf(os, plan.lab());
        if (!existing.isEmpty()) {
            throw new IllegalStateException("lab " + plan.lab() + " already has namespaces " + existing
                    + " (a running lab, or leftovers of a crashed run): run 'lab down " + plan.lab() + "' first");
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
        applyIp(ns.name(), d, sysctl + plan.linkBatch(ns.name(), network));
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

    /**
     * Applies the renderer's ip batch with -force, so that re-applying after {@link #restore} goes
     * past what is already there ("File exists"); any other error fails.
     */
    private void applyIp(String ns, DeviceState d, String before) {
        tolerateExisting(os.batch(ns, before + IpBatchRenderer.render(d), true, false));
        String v6 = IpBatchRenderer.renderV6Rules(d);
        if (!v6.isEmpty()) tolerateExisting(os.batch(ns, v6, true, true));
    }

    private static void tolerateExisting(CommandRunner.Result r) {
        if (r.ok()) return;
        List<String> errors = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("Command failed")
                && !l.contains("File exists") && !l.contains("already assigned")).toList();
        if (!errors.isEmpty()) throw new CommandRunner.CommandFailedException(r);
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
        DeviceState one = new DeviceState(d.host(), d.links(), d.addresses(), d.routes(), d.rules(), d.sysctls(), d.ipv4(), d.ipv6(),
                List.of(l));
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

    /** Takes every interface of {@code host} down, as if it lost power; the kernel drops routes through them. */
    public synchronized void fail(String host) {
        String ns = plan.namespaceOf(host);
        for (String dev : plan.interfacesIn(ns)) setLink(ns, dev, false);
    }

    /** Takes one interface down, as if its cable were pulled. */
    public synchronized void fail(String host, String dev) {
        String ns = plan.namespaceOf(host);
        if (!plan.interfacesIn(ns).contains(dev)) throw new IllegalArgumentException("host " + host + " has no lab interface '" + dev + "'");
        setLink(ns, dev, false);
    }

    /**
     * Brings back every failed interface, re-applies the routes the kernel removed when they went down,
     * and flushes every host's neighbour cache: a neighbour that stopped answering sits in FAILED state
     * and the kernel answers "no route to host" for it until the entry is re-probed.
     */
    public synchronized void restore() {
        if (failed.isEmpty()) return;
        for (Map.Entry<String, Set<String>> e : failed.entrySet()) {
            for (String dev : e.getValue()) os.batch(e.getKey(), "link set dev " + dev + " up\n", false).orThrow();
            plan.namespaces().stream().filter(x -> x.name().equals(e.getKey()) && x.role() == LabPlan.Role.HOST)
                    .findFirst().flatMap(x -> network.host(x.owner())).ifPresent(d -> applyIp(e.getKey(), d, ""));
        }
        failed.clear();
        List<String> hosts = plan.namespaces().stream().filter(x -> x.role() == LabPlan.Role.HOST).map(LabPlan.Namespace::name).toList();
        Parallel.each(hosts, THREADS, ns -> os.batch(ns, "neigh flush all\n", false).orThrow());
    }

    private void setLink(String ns, String dev, boolean up) {
        os.batch(ns, "link set dev " + dev + (up ? " up" : " down") + "\n", false).orThrow();
        failed.computeIfAbsent(ns, k -> new LinkedHashSet<>()).add(dev);
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
