package dev.anyloop.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Named network namespaces ({@code ip netns}): create, list, delete, and run commands inside one.
 * Every command is an argument vector; namespace names are checked before they reach one.
 */
public final class Netns {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private final CommandRunner runner;

    public Netns(CommandRunner runner) { this.runner = runner; }

    public Netns() { this(new CommandRunner(Duration.ofSeconds(30))); }

    public CommandRunner runner() { return runner; }

    /** The named namespaces, read from /run/netns (what {@code ip netns list} reads too). */
    public List<String> list() {
        if (!Files.isDirectory(RUN_NETNS)) return List.of();
        try (var s = Files.list(RUN_NETNS)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + RUN_NETNS, e);
        }
    }

    /** Creates every namespace in one {@code ip -batch} process. */
    public void add(List<String> names) {
        if (names.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (String n : names) sb.append("netns add ").append(check(n)).append('\n');
        ipBatch(List.of("ip", "-batch", "-"), sb.toString()).orThrow();
    }

    /**
     * Deletes the namespaces that exist, in one process. {@code ip netns del} only unmounts the name;
     * the kernel frees the namespace, and the veths in it, once no process holds it any more.
     */
    public void delete(List<String> names) {
        List<String> present = new ArrayList<>(list());
        present.retainAll(names);
        if (present.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (String n : present) sb.append("netns del ").append(check(n)).append('\n');
        ipBatch(List.of("ip", "-force", "-batch", "-"), sb.toString()).orThrow();
    }

    /** {@code ip -batch -} in the root namespace. The caller guarantees each line names a target namespace. */
    public CommandRunner.Result rootBatch(String input) { return ipBatch(List.of("ip", "-batch", "-"), input); }

    /** {@code ip -n NS [-force] -batch -}: with force, ip goes on past a failing line and exits 1 at the end. */
    public CommandRunner.Result batch(String ns, String input, boolean force) { return batch(ns, input, force, false); }

    /** As {@link #batch(String, String, boolean)}, with {@code -6} when {@code v6}: ip rule takes its family from that option alone. */
    public CommandRunner.Result batch(String ns, String input, boolean force, boolean v6) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", check(ns)));
        if (v6) argv.add("-6");
        if (force) argv.add("-force");
        argv.addAll(List.of("-batch", "-"));
        return ipBatch(argv, input);
    }

    private CommandRunner.Result ipBatch(List<String> argv, String input) {
        return runner.run(argv, Optional.of(input), Duration.ofSeconds(60));
    }

    /** Runs {@code argv} inside {@code ns}. */
    public CommandRunner.Result exec(String ns, List<String> argv, Optional<String> stdin, Duration timeout) {
        return runner.run(inside(ns, argv), stdin, timeout);
    }

    public CommandRunner.Result exec(String ns, List<String> argv) {
        return exec(ns, argv, Optional.empty(), Duration.ofSeconds(30));
    }

    /** Starts a long-running process inside {@code ns}; nsenter execs it, so the pid is the service's own. */
    public Process start(String ns, List<String> argv) { return runner.start(inside(ns, argv)); }

    /** Listening TCP and bound UDP sockets in {@code ns}: {@code ss -Hlntu}, one line per socket. */
    public List<String> listening(String ns) {
        CommandRunner.Result r = runner.run(List.of("ss", "-N", check(ns), "-Hlntu"), Optional.empty(), Duration.ofSeconds(10)).orThrow();
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    /** The interfaces in {@code ns}, lo included: {@code ip -n NS -brief link show}. */
    public List<String> links(String ns) {
        CommandRunner.Result r = runner.run(List.of("ip", "-n", check(ns), "-brief", "link", "show"), Optional.empty(),
                Duration.ofSeconds(10)).orThrow();
        return briefLinkNames(r.out());
    }

    /** The names in {@code ip -brief link} output: the first word of each line, without a veth's "@peer" suffix. */
    public static List<String> briefLinkNames(String out) {
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String w = line.strip().split("\\s+")[0];
            if (w.isEmpty()) continue;
            int at = w.indexOf('@');
            names.add(at > 0 ? w.substring(0, at) : w);
        }
        return names;
    }

    /**
     * Starts long-running services, each {@code (namespace, argv)}, detached ({@code setsid -f}) so they
     * outlive this JVM and are found again by namespace ({@link LabProcesses}). One {@code ip -batch}
     * process runs every {@code netns exec} line, which saves a JVM process spawn per service. Their
     * output goes to {@code log}. Returns once every service has been exec'd, not once it listens.
     */
    public void startDetached(List<Map.Entry<String, List<String>>> services, Path log) {
        if (services.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : services) {
            List<String> words = new ArrayList<>(List.of("netns", "exec", check(e.getKey()), "setsid", "-f"));
            words.addAll(e.getValue());
            sb.append(batchLine(words)).append('\n');
        }
        Process p = runner.start(List.of("ip", "-force", "-batch", "-"), log);
        try (var in = p.getOutputStream()) {
            in.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            // ip exited early; its exit code says why
        }
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("starting services timed out; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("starting services failed (ip exit " + p.exitValue() + "); see " + log);
    }

    /**
     * One line of {@code ip -batch} input from an argument vector. iproute2 splits a line at blanks and
     * takes a double-quoted word whole, so a word with a blank is quoted; a word that could change the
     * split (a quote, a backslash, a newline, a leading '#', which starts a comment) is refused.
     */
    public static String batchLine(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (w.isEmpty() || w.startsWith("#") || w.chars().anyMatch(c -> c == '"' || c == '\'' || c == '\\' || c < 0x20)) {
                throw new IllegalArgumentException("Invalid word '" + w + "' for an ip batch line: empty, or it holds a quote, "
                        + "backslash, control character or a leading '#'");
            }
            if (sb.length() > 0) sb.append(' ');
            if (w.indexOf(' ') >= 0) sb.append('"').append(w).append('"');
            else sb.append(w);
        }
        return sb.toString();
    }

    /** The batch line that writes {@code assignments} ("key=value") inside {@code ns}: {@code netns exec NS sysctl -q -w ...}. */
    public static String sysctlLine(String ns, List<String> assignments) {
        List<String> words = new ArrayList<>(List.of("netns", "exec", check(ns), "sysctl", "-q", "-w"));
        words.addAll(assignments);
        return batchLine(words);
    }

    /** Writes sysctls inside {@code ns}, in one {@code sysctl -q -w k=v ...} process. */
    public CommandRunner.Result sysctl(String ns, List<String> assignments) {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-q"));
        for (String a : assignments) {
            argv.add("-w");
            argv.add(a);
        }
        return exec(ns, argv);
    }

    /**
     * {@code nsenter --net=/run/netns/NS -- argv}: the network namespace of {@code ip netns exec} without
     * its private mount namespace and /sys remount, which cost more than the command itself here. Every
     * tool the lab runs inside (sysctl via /proc/sys/net, ip, ss, iptables, nft, ping, dig, socat,
     * dnsmasq) reads the network namespace of the calling process, not /sys. nsenter execs the
     * command, so a started service's pid is its own.
     */
    private static List<String> inside(String ns, List<String> argv) {
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=" + RUN_NETNS.resolve(check(ns)), "--"));
        out.addAll(argv);
        return out;
    }

    /** Throws unless {@code ns} is a safe namespace name (it becomes a file under /run/netns). */
    public static String check(String ns) {
        if (!NAME.matcher(ns).matches() || ns.equals(".") || ns.equals("..")) {
            throw new IllegalArgumentException("Invalid namespace name '" + ns + "': only [A-Za-z0-9_.-], 1-200 characters");
        }
        return ns;
    }
}
