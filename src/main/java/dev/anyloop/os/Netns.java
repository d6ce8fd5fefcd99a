package dev.anyloop.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
