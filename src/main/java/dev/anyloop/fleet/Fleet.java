package dev.anyloop.fleet;

import dev.anyloop.os.HostScript;
import dev.anyloop.os.SshConnector;
import dev.anyloop.os.SshOptions;
import dev.anyloop.os.Target;
import dev.anyloop.os.TargetException;
import dev.anyloop.os.TargetSpec;
import dev.anyloop.os.Targets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The hosts of one fleet command, opened: every placed host's target connected in parallel (SSH sessions come
 * up at once), the hosts that could not be opened with the reason, and the skipped ones. {@link #each} runs one
 * task per open host on a thread each. Closing it ends every SSH session.
 */
public final class Fleet implements AutoCloseable {
    /**
     * Threads for the hosts: each mostly waits for its host. {@code -Danyloop.fleet.threads=1} makes every fleet
     * command go one host at a time (the benchmark's baseline).
     */
    public static final int THREADS = Math.max(1, Integer.getInteger("anyloop.fleet.threads", 32));
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    /** A host that could not be used, and why (the message names the host and its target). */
    public record Problem(String host, String target, String why) {
        public String line() { return host + " (" + target + "): " + why; }
    }

    private final Map<String, Target> targets;
    private final Map<String, TargetSpec> specs;
    private final List<Problem> problems;
    private final List<Placement.Skipped> skipped;
    private final Optional<SshConnector> ssh;

    private Fleet(Map<String, Target> targets, Map<String, TargetSpec> specs, List<Problem> problems, List<Placement.Skipped> skipped,
                  Optional<SshConnector> ssh) {
        this.targets = targets;
        this.specs = specs;
        this.problems = problems;
        this.skipped = skipped;
        this.ssh = ssh;
    }

    /** Opens every reached host of {@code placements}, in parallel; {@code tools} must be installed on each (checked in the same round trip). */
    public static Fleet open(Map<String, Placement> placements, SshOptions options, List<String> tools) {
        List<Placement.Reached> reached = new ArrayList<>();
        List<Placement.Skipped> skipped = new ArrayList<>();
        for (Placement p : placements.values()) {
            if (p instanceof Placement.Reached) reached.add((Placement.Reached) p);
            else skipped.add((Placement.Skipped) p);
        }
        boolean anySsh = reached.stream().anyMatch(r -> r.target().kind() == TargetSpec.Kind.SSH);
        Optional<SshConnector> ssh = anySsh ? Optional.of(new SshConnector(options)) : Optional.empty();
        Map<String, Target> targets = new LinkedHashMap<>();
        Map<String, TargetSpec> specs = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> opened = parallel(reached, Placement.Reached::host, r -> {
            try {
                Target t = Targets.open(r.target(), ssh::get);
                Optional<String> missing = missingTools(t, tools);
                if (missing.isPresent()) {
                    close(t);
                    return new Problem(r.host(), r.target().toString(), missing.get());
                }
                return t;
            } catch (TargetException e) {
                return new Problem(r.host(), r.target().toString(), e.getMessage().startsWith(r.target().toString() + ": ")
                        ? e.getMessage().substring(r.target().toString().length() + 2) : e.getMessage());
            } catch (RuntimeException e) {
                return new Problem(r.host(), r.target().toString(), "cannot run commands there: " + e.getMessage());
            }
        });
        for (Placement.Reached r : reached) {
            Object o = opened.get(r.host());
            specs.put(r.host(), r.target());
            if (o instanceof Target) targets.put(r.host(), (Target) o);
            else problems.add((Problem) o);
        }
        return new Fleet(targets, specs, problems, skipped, ssh);
    }

    /** Which of {@code tools} the host lacks, as one message; and whether it runs us as root. */
    static Optional<String> missingTools(Target t, List<String> tools) {
        HostScript script = new HostScript().capture("uid", List.of("id", "-u")).tools(tools);
        HostScript.Result r = script.run(t, CHECK_TIMEOUT);
        List<String> missing = new ArrayList<>();
        for (String tool : tools) if (r.section("tool-" + tool).map(HostScript.Output::missing).orElse(false)) missing.add(tool);
        String uid = r.section("uid").map(o -> o.out().strip()).orElse("");
        List<String> why = new ArrayList<>();
        if (!missing.isEmpty()) {
            why.add(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not installed there (Debian: apt install "
                    + String.join(" ", packages(missing)) + ")");
        }
        if (!uid.isEmpty() && !uid.equals("0")) why.add("the commands run as uid " + uid + ", not root (log in as root: ssh://root@...)");
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    private static List<String> packages(List<String> tools) {
        List<String> out = new ArrayList<>();
        for (String t : tools) {
            String p = t.equals("ip") ? "iproute2" : t.startsWith("iptables") || t.startsWith("ip6tables") ? "iptables" : t.equals("nft") ? "nftables"
                    : t.equals("sysctl") ? "procps" : t;
            if (!out.contains(p)) out.add(p);
        }
        return out;
    }

    /** Runs {@code task} for every item on its own thread; results by key, in the items' order. */
    static <T> Map<String, Object> parallel(List<T> items, Function<T, String> key, Function<T, Object> task) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (items.isEmpty()) return out;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), r -> {
            Thread t = new Thread(r, "anyloop-fleet");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<Object>> futures = new LinkedHashMap<>();
            for (T item : items) futures.put(key.apply(item), pool.submit(() -> task.apply(item)));
            for (Map.Entry<String, Future<Object>> f : futures.entrySet()) {
                try {
                    out.put(f.getKey(), f.getValue().get());
                } catch (java.util.concurrent.ExecutionException e) {
                    out.put(f.getKey(), e.getCause());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code task} for every open host (or those in {@code hosts}) at once; each result or the exception it threw, by host. */
    public <R> Map<String, Object> each(List<String> hosts, java.util.function.BiFunction<String, Target, R> task) {
        List<String> open = hosts.stream().filter(targets::containsKey).toList();
        return parallel(open, h -> h, h -> {
            try {
                return task.apply(h, targets.get(h));
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    public Map<String, Target> targets() { return java.util.Collections.unmodifiableMap(targets); }

    public TargetSpec spec(String host) { return specs.get(host); }

    public List<Problem> problems() { return List.copyOf(problems); }

    public List<Placement.Skipped> skipped() { return List.copyOf(skipped); }

    private static void close(Target t) {
        if (t instanceof AutoCloseable) {
            try {
                ((AutoCloseable) t).close();
            } catch (Exception ignored) {
                // closing a session that failed its checks
            }
        }
    }

    @Override
    public void close() {
        for (Target t : targets.values()) close(t);
        ssh.ifPresent(SshConnector::close);
    }
}
