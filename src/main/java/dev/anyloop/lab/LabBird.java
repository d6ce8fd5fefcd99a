package dev.anyloop.lab;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.Intent;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.os.Birdc;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.os.Tools;
import dev.anyloop.render.BirdRenderer;
import dev.anyloop.snapshot.IpRouteParser;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * BIRD in a lab: one daemon in each BGP host's namespace, with its own config, control socket, pid file and log
 * under the lab's run directory ({@code RUN/bird/HOST.conf}, {@code .ctl}, {@code .pid}, {@code .log}). Started
 * after the hosts are configured; {@link Lab#down} ends it with every other process of the lab. The kernel is
 * the judge of convergence: {@link #awaitRoutes} waits until every router's {@code proto bird} routes are the
 * ones the simulator predicts.
 */
public final class LabBird {
    /** How long BGP may take to converge after a start or a change (BFD: 0.5 s; a new session: connect delay 1 s). */
    public static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Intent intent;
    private final LabPlan plan;
    private final Path dir;
    private final Netns os;

    private LabBird(Intent intent, LabPlan plan, Path runDir, Netns os) {
        this.intent = intent;
        this.plan = plan;
        this.dir = runDir.resolve("bird");
        this.os = os;
    }

    /** The BIRD of {@code intent}'s lab, or empty when it has no {@code bgp:} section. */
    public static Optional<LabBird> of(Intent intent, LabPlan plan) {
        if (!intent.bgp().enabled()) return Optional.empty();
        return Optional.of(new LabBird(intent, plan, Lab.runDir(plan.lab()), new Netns()));
    }

    /** The BGP hosts, in file order. */
    public List<String> hosts() { return List.copyOf(intent.bgp().speakers().keySet()); }

    /** The routers: the hosts whose kernels get BGP routes. */
    public List<String> routers() {
        return intent.bgp().speakers().values().stream().filter(s -> s.role() == BgpDef.Role.ROUTER).map(BgpDef.Speaker::host).toList();
    }

    /** Throws with what to install when bird or birdc is missing. */
    public static void requireInstalled() { requireInstalled(Tools::missing); }

    /** As {@link #requireInstalled()}, with {@code missing} telling which of the commands it is given are not found. */
    static void requireInstalled(java.util.function.Function<List<String>, List<String>> finder) {
        List<String> missing = finder.apply(List.of("bird", "birdc"));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the network has BGP hosts (bgp:), which the lab runs with BIRD, but " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not installed (Debian: apt-get install bird2)");
        }
    }

    /** The control socket of {@code host}'s BIRD. */
    public Birdc birdc(String host) {
        return new Birdc(os.runner(), Optional.of(plan.namespaceOf(host)), dir.resolve(host + ".ctl"));
    }

    /** Where {@code host}'s BIRD of lab {@code lab} listens: {@code RUN/bird/HOST.ctl}. */
    public static Path socket(String lab, String host) {
        return Lab.runDir(LabPlan.checkLabName(lab)).resolve("bird").resolve(host + ".ctl");
    }

    /**
     * Writes each host's bird.conf (the rendered one, plus a log file), has {@code bird -p} check it, starts BIRD in
     * the host's namespace and returns once every control socket answers.
     */
    void start() {
        requireInstalled();
        RunDirs.create(dir);
        List<Map.Entry<String, List<String>>> daemons = new ArrayList<>();
        for (String h : hosts()) {
            Path conf = dir.resolve(h + ".conf");
            // the lab's addition to the rendered file: a log of its own (the default, syslog, would be the machine's)
            RunDirs.write(conf, "log \"" + dir.resolve(h + ".log") + "\" all;\n" + BirdRenderer.render(intent, h));
            daemons.add(daemon(h));
        }
        Parallel.each(hosts(), Lab.THREADS, h -> {
            CommandRunner.Result r = os.runner().run(List.of("bird", "-p", "-c", dir.resolve(h + ".conf").toString()));
            if (!r.ok()) throw new IllegalStateException("bird -p refuses the bird.conf of " + h + ": " + r.err().strip());
        });
        os.startDetached(daemons, dir.resolve("bird.out"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (String h : hosts()) {
            while (!birdc(h).answers()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("BIRD of " + h + " does not answer on " + dir.resolve(h + ".ctl") + "; see "
                            + dir.resolve(h + ".log") + " and " + dir.resolve("bird.out"));
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    /** As {@link #awaitRoutes(Network, java.util.Set, Duration)} with every announcement made. */
    public Duration awaitRoutes(Network network, Duration timeout) { return awaitRoutes(network, java.util.Set.of(), timeout); }

    private Map.Entry<String, List<String>> daemon(String h) {
        return Map.entry(plan.namespaceOf(h), List.of("bird", "-f", "-c", dir.resolve(h + ".conf").toString(), "-s",
                dir.resolve(h + ".ctl").toString(), "-P", dir.resolve(h + ".pid").toString()));
    }

    /** The pid of {@code host}'s BIRD, from its pid file; empty when it is not running. */
    public Optional<Long> pid(String host) {
        return RunDirs.read(dir.resolve(host + ".pid")).map(String::strip).filter(s -> s.matches("[0-9]+")).map(Long::parseLong)
                .filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
    }

    /** Starts {@code host}'s BIRD again (after a crash drill) with the config it had, and returns once it answers. */
    public void restart(String host) {
        os.startDetached(List.of(daemon(host)), dir.resolve("bird.out"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!birdc(host).answers()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("BIRD of " + host + " does not answer after a restart");
            sleep(Duration.ofMillis(20));
        }
    }

    /**
     * Waits until every router of {@code network} (hosts missing from it are down) has exactly the {@code proto bird}
     * routes BGP converges to there with the {@code withdrawn} announcements taken back, next hops included; returns
     * how long that took, or throws with the differences after {@code timeout}.
     */
    public Duration awaitRoutes(Network network, java.util.Set<Bgp.Announcement> withdrawn, Duration timeout) {
        Network expected = Bgp.converge(intent, network, withdrawn).network();
        long t0 = System.nanoTime();
        List<String> routers = routers().stream().filter(expected.hosts()::containsKey).toList();
        Map<String, List<String>> want = new LinkedHashMap<>();
        for (String r : routers) want.put(r, normal(expected.hosts().get(r).routes()));
        while (true) {
            Map<String, List<String>> have = new TreeMap<>();
            List<List<String>> got = Parallel.map(routers, Lab.THREADS, this::kernelRoutes);
            for (int i = 0; i < routers.size(); i++) have.put(routers.get(i), got.get(i));
            List<String> diff = new ArrayList<>();
            for (String r : routers) {
                if (!want.get(r).equals(have.get(r))) diff.add(r + ": expected " + want.get(r) + ", kernel has " + have.get(r));
            }
            if (diff.isEmpty()) return Duration.ofNanos(System.nanoTime() - t0);
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new IllegalStateException("BGP did not converge to the simulator's routes within " + timeout.toSeconds() + " s:\n  "
                        + String.join("\n  ", diff) + "\nsee 'anyloop lab bgp --name " + plan.lab() + "' and " + dir);
            }
            sleep(POLL);
        }
    }

    /** {@code router}'s BIRD routes as the kernel holds them, both families, in a canonical form. */
    public List<String> kernelRoutes(String router) {
        List<Route> all = new ArrayList<>();
        for (Family f : Family.values()) {
            List<String> argv = new ArrayList<>(List.of("ip", "-n", plan.namespaceOf(router)));
            if (f == Family.V6) argv.add("-6");
            argv.addAll(List.of("-json", "route", "show", "table", "main"));
            CommandRunner.Result r = os.runner().run(argv).orThrow();
            try {
                all.addAll(IpRouteParser.parse(router + " ip route", r.out(), Optional.of(f)));
            } catch (SnapshotException e) {
                throw new IllegalStateException("cannot read the routes of " + router + ": " + e.getMessage(), e);
            }
        }
        return normal(all);
    }

    /** The BIRD routes of a list, each as "dst metric M via A dev D, ..." with next hops sorted: order is not compared. */
    public static List<String> normal(List<Route> routes) {
        return routes.stream().filter(Bgp::installedByBird).map(r -> r.dst() + " metric " + Integer.toUnsignedString(r.metric()) + " "
                        + r.nexthops().stream().sorted(Comparator.comparing((NextHop h) -> h.via().map(Ip::toString).orElse("") + " " + h.dev()))
                                .map(NextHop::toString).collect(Collectors.joining(", ")))
                .sorted().toList();
    }

    /**
     * Waits until every session between hosts of {@code up} is established, and its BFD session up where it has one
     * (BFD comes up after BGP; until it is, only the hold timer would notice a silent peer); throws with the ones that
     * are not.
     */
    public void awaitSessions(Network up, Duration timeout) {
        long t0 = System.nanoTime();
        while (true) {
            List<String> down = new ArrayList<>();
            for (String h : hosts()) {
                if (!up.hosts().containsKey(h)) continue;
                String protocols = birdc(h).protocols();
                String bfd = null;
                for (BgpDef.Session s : intent.bgp().sessionsOf(h)) {
                    if (!up.hosts().containsKey(s.peerOf(h).host())) continue;
                    String name = dev.anyloop.bgp.BirdNames.session(s, h);
                    boolean established = protocols.lines().anyMatch(l -> l.startsWith(name + " ") && l.contains("Established"));
                    if (!established) down.add(h + ": " + name);
                    if (!BirdRenderer.bfd(intent.bgp(), s)) continue;
                    if (bfd == null) bfd = birdc(h).run(List.of("show", "bfd", "sessions")).out();
                    String peer = s.peerOf(h).address().toString();
                    // "IP address  Interface  State  Since  Interval  Timeout": one line per neighbour
                    if (bfd.lines().noneMatch(l -> l.startsWith(peer + " ") && l.contains(" Up "))) down.add(h + ": BFD to " + peer);
                }
            }
            if (down.isEmpty()) return;
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new IllegalStateException("BGP sessions not established within " + timeout.toSeconds() + " s: " + down);
            }
            sleep(POLL);
        }
    }

    /** Withdraws {@code server}'s announcement of {@code service} through its BIRD (no restart). */
    public void withdraw(String server, String service) { announcement(server, service, false); }

    /** Announces it again. */
    public void restore(String server, String service) { announcement(server, service, true); }

    private void announcement(String server, String service, boolean on) {
        Intent.ServiceDef s = intent.services().get(service);
        if (s == null || intent.bgp().announce(service).isEmpty() || !s.hosts().contains(server)) {
            throw new IllegalArgumentException("host " + server + " does not announce service '" + service + "' over BGP");
        }
        boolean done = on ? birdc(server).restore(service) : birdc(server).withdraw(service);
        if (!done) throw new IllegalStateException("BIRD of " + server + " has no announcement of " + service);
    }

    /** The BIRDs of lab {@code lab} that are running (one started by another process, too), by host: their control sockets. */
    public static Map<String, Birdc> running(String lab) {
        Path dir = Lab.runDir(LabPlan.checkLabName(lab)).resolve("bird");
        Netns os = new Netns();
        Map<String, Birdc> out = new TreeMap<>();
        for (String f : RunDirs.list(dir)) {
            if (!f.endsWith(".ctl")) continue;
            String host = f.substring(0, f.length() - ".ctl".length());
            out.put(host, new Birdc(os.runner(), Optional.of(LabPlan.prefix(lab) + host), dir.resolve(f)));
        }
        return out;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
