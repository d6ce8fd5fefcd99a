package dev.anyloop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real command line in a JVM of its own, for what a test must do to a whole process: kill it with SIGKILL, run it as another user. */
final class ChildCli {
    private ChildCli() { }

    static List<String> java(List<String> jvmArgs, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(jvmArgs);
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.anyloop.cli.Main"));
        argv.addAll(args);
        return argv;
    }

    /** Starts anyloop with {@code -Dkey=value} for each property; its output goes to {@code log}. */
    static Process start(Map<String, String> props, Path log, String... args) throws IOException {
        List<String> jvm = new ArrayList<>();
        props.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        return new ProcessBuilder(java(jvm, List.of(args))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for {@code file} (a test pause marker) to appear; fails with the child's output if it exits or takes too long. */
    static void await(Path file, Process p, Path log) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file)) {
            if (!p.isAlive()) throw new AssertionError("anyloop exited " + p.exitValue() + " before " + file + ":\n" + Files.readString(log));
            if (System.nanoTime() > end) throw new AssertionError("no " + file + " after 60 s:\n" + Files.readString(log));
            Thread.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook, no finally, exactly a crash. */
    static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor();
    }
}
