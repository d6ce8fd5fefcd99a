package dev.anyloop.lab;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.os.SelfProcess;
import dev.anyloop.watch.ServerPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lab watch}: one {@code anyloop watch} per router of a running lab, inside the router's namespace, started
 * detached so it outlives the command; its files live in the lab's run folder ({@code watch-ROUTER.pid}, {@code .ready},
 * {@code .status} with the health table, {@code .log} with the event lines, {@code .out} with anything else it printed).
 * {@code lab status} lists them and {@code lab down} stops them before it removes the namespaces.
 */
public final class LabWatch {
    /** The metrics port of every lab watch, inside its router's namespace (127.0.0.1 there, never reachable from outside). */
    public static final int METRICS_PORT = 9477;

    private LabWatch() { }

    /** One watch of a lab: its router, namespace, pid (0 before it wrote one), whether it runs, its files. */
    public record Daemon(String router, String namespace, long pid, boolean alive, boolean ready, Path status, Path log) { }

    /**
     * The hosts of {@code intent} that watch runs on: the routers that probe something, then the BGP servers with a
     * checked service (each checks its own and switches its BIRD announcement, docs/watch.md "BGP servers").
     */
    public static List<String> routers(Intent intent) {
        Set<String> out = new LinkedHashSet<>();
        for (ProbePairs.Pair p : ProbePairs.of(intent)) out.add(p.router());
        if (intent.health().isPresent()) {
            for (String h : intent.bgp().speakers().keySet()) {
                if (!ServerPlan.isBgpServer(intent, h)) continue;
                try {
                    if (!ServerPlan.of(intent, h).checked().isEmpty()) out.add(h);
                } catch (IllegalArgumentException e) {
                    // nothing to watch there
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Starts watch on every router of {@code intent} in lab {@code lab}, reading {@code file}; returns once every one
     * has checked each of its instances, or throws (after stopping the ones it started) with what went wrong.
     */
    public static List<Daemon> start(String lab, Path file, Intent intent, Duration wait) {
        List<String> routers = routers(intent);
        if (routers.isEmpty()) throw new IllegalArgumentException(intent.file() + ": no router probes anything (a health: section names what to check)");
        Netns os = new Netns();
        for (String r : routers) {
            String ns = LabPlan.prefix(LabPlan.checkLabName(lab)) + r;
            if (!os.list().contains(ns)) throw Lab.NotUpException.of(lab);
        }
        for (Daemon d : running(lab)) {
            if (d.alive()) throw new IllegalStateException("lab " + lab + ": watch already runs on " + d.router() + " (pid " + d.pid() + "); 'lab down' stops it");
        }
        Path run = Lab.runDir(lab);
        List<Map.Entry<String, List<String>>> starts = new ArrayList<>();
        for (String r : routers) {
            for (String suffix : List.of(".pid", ".ready", ".status")) RunDirs.deleteTree(run.resolve("watch-" + r + suffix));
            String ns = LabPlan.prefix(lab) + r;
            List<String> args = new ArrayList<>(List.of("watch", file.toAbsolutePath().toString(), "--host", r, "--netns", ns,
                    "--state-dir", Lab.stateDir(lab).toString(),
                    "--metrics", "127.0.0.1:" + METRICS_PORT, "--log", run.resolve("watch-" + r + ".log").toString(),
                    "--pid-file", run.resolve("watch-" + r + ".pid").toString(),
                    "--ready-file", run.resolve("watch-" + r + ".ready").toString(),
                    "--status-file", run.resolve("watch-" + r + ".status").toString()));
            // the lab's BIRD of a server listens on a socket of the lab's own (LabBird)
            if (ServerPlan.isBgpServer(intent, r)) args.addAll(List.of("--bird-socket", LabBird.socket(lab, r).toString()));
            starts.add(Map.entry(ns, SelfProcess.java("dev.anyloop.cli.Main", args)));
        }
        for (Map.Entry<String, List<String>> s : starts) {
            String r = s.getKey().substring(LabPlan.prefix(lab).length());
            os.startDetached(List.of(s), run.resolve("watch-" + r + ".out"));
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                List<Daemon> ds = running(lab);
                for (Daemon d : ds) {
                    if (d.pid() != 0 && !d.alive()) throw new IllegalStateException("lab " + lab + ": watch on " + d.router() + " exited: " + tail(run, d.router()));
                }
                if (ds.size() == routers.size() && ds.stream().allMatch(Daemon::ready)) return ds;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("lab " + lab + ": watch not checking after " + wait.toSeconds() + " s: " + tail(run, routers.get(0)));
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(lab);
            throw new IllegalStateException("interrupted", e);
        } catch (RuntimeException e) {
            stop(lab);
            throw e;
        }
    }

    private static String tail(Path run, String router) {
        String out = RunDirs.read(run.resolve("watch-" + router + ".out")).orElse("").strip();
        String log = RunDirs.read(run.resolve("watch-" + router + ".log")).orElse("").strip();
        String all = (out + "\n" + log).strip();
        return all.isEmpty() ? "(no output)" : all.substring(Math.max(0, all.length() - 1500));
    }

    /** The watches of {@code lab} that a pid file or a ready file records. */
    public static List<Daemon> running(String lab) {
        Path run = Lab.runDir(LabPlan.checkLabName(lab));
        List<Daemon> out = new ArrayList<>();
        for (String name : RunDirs.list(run)) {
            if (!name.startsWith("watch-") || !name.endsWith(".pid")) continue;
            String router = name.substring("watch-".length(), name.length() - ".pid".length());
            long pid = RunDirs.read(run.resolve(name)).map(String::strip).filter(s -> s.matches("[0-9]+")).map(Long::parseLong).orElse(0L);
            boolean alive = pid != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            out.add(new Daemon(router, LabPlan.prefix(lab) + router, pid, alive, Files.exists(run.resolve("watch-" + router + ".ready")),
                    run.resolve("watch-" + router + ".status"), run.resolve("watch-" + router + ".log")));
        }
        return out;
    }

    /** The health table a running watch last wrote. */
    public static Optional<String> table(Daemon d) { return RunDirs.read(d.status()); }

    /**
     * SIGTERM to every watch of {@code lab}, SIGKILL to one still there after 3 s; returns once every one is gone (a
     * watch started next must not meet the old one's sockets, metrics port or probes). Routes stay as they are.
     */
    public static void stop(String lab) {
        List<ProcessHandle> procs = new ArrayList<>();
        for (Daemon d : running(lab)) ProcessHandle.of(d.pid()).filter(ProcessHandle::isAlive).ifPresent(procs::add);
        for (ProcessHandle p : procs) p.destroy();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (ProcessHandle p : procs) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (p.isAlive()) p.destroyForcibly();
        }
        // SIGKILL is not instant either (the kernel still tears the JVM's threads and sockets down): wait for it
        for (ProcessHandle p : procs) {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("lab " + lab + ": watch pid " + p.pid() + " still runs 10 s after SIGKILL");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("lab " + lab + ": waiting for watch pid " + p.pid(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
