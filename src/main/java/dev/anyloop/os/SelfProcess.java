package dev.anyloop.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This JVM as a process: whether it runs as root and in which network namespace, its own command line, and running
 * itself again inside a network namespace. A JVM cannot enter a namespace itself (setns(2) applies to one thread,
 * and the JVM has many), so {@code watch --netns NS} starts itself again under {@code nsenter --net}, which does.
 */
public final class SelfProcess {
    private static final Path RUN_NETNS = Path.of("/run/netns");

    private SelfProcess() { }

    /** True when the effective user id is 0 (the "Uid:" line of /proc/self/status: real, effective, saved, fs). */
    public static boolean root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
        return false;
    }

    /** True when {@code /run/netns/NS} exists. */
    public static boolean netnsExists(String ns) { return Files.exists(RUN_NETNS.resolve(Netns.check(ns))); }

    /** True when this process already runs in network namespace {@code ns}: the same inode as /run/netns/NS. */
    public static boolean inNetns(String ns) {
        try {
            Object mine = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
            Object theirs = Files.getAttribute(RUN_NETNS.resolve(Netns.check(ns)), "unix:ino");
            return mine.equals(theirs);
        } catch (IOException e) {
            return false;
        }
    }

    /** The command line that started this JVM: the java binary, its options and the program's arguments. */
    public static List<String> commandLine() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> out = new ArrayList<>();
        out.add(info.command().orElseThrow(() -> new IllegalStateException("cannot tell how this JVM was started")));
        for (String a : info.arguments().orElse(new String[0])) out.add(a);
        return out;
    }

    /** A command that runs {@code mainClass} with {@code args} in a new JVM with this one's class path. */
    public static List<String> java(String mainClass, List<String> args) {
        List<String> out = new ArrayList<>();
        out.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        out.add("-cp");
        out.add(System.getProperty("java.class.path"));
        out.add(mainClass);
        out.addAll(args);
        return out;
    }

    /**
     * Runs {@code argv} inside network namespace {@code ns} with this process's stdin, stdout and stderr, forwards
     * SIGHUP, SIGTERM and SIGINT to it, and returns its exit code once it ends.
     */
    public static int runInNetns(String ns, List<String> argv) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + RUN_NETNS.resolve(Netns.check(ns)), "--"));
        all.addAll(argv);
        Process p;
        try {
            p = new ProcessBuilder(all).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + all.get(0), e);
        }
        for (String sig : List.of("HUP", "TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> signal(p.pid(), sig));
            } catch (IllegalArgumentException e) {
                // a signal the JVM keeps for itself on this platform: not forwarded
            }
        }
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroy();
            }
        }
    }

    /** {@code kill -s SIG PID}. */
    public static boolean signal(long pid, String sig) {
        return new CommandRunner().run(List.of("kill", "-s", sig, Long.toString(pid)), Optional.empty(), java.time.Duration.ofSeconds(5)).ok();
    }

    /** Calls {@code action} on SIGHUP (reload). */
    public static void onHangup(Runnable action) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
    }
}
