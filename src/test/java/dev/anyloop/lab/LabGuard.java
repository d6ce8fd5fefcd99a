package dev.anyloop.lab;

import dev.anyloop.apply.Engine;
import dev.anyloop.os.RunDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Takes a test's lab down when the test ends and, should the JVM be stopped first (Ctrl-C, SIGTERM from a build
 * that gives up, a failing {@code @BeforeAll}), from a shutdown hook: its namespaces and every process in them (sshd,
 * its sessions, rollback timers), and the state folders its hosts got under the default state directory when
 * anyloop reached them over SSH (an SSH target's id is {@code netns-NS}: this machine's /var/lib/anyloop holds them,
 * as all lab hosts share its file system). A SIGKILL runs no hook: the next run's {@link #of} clears what is left.
 */
public final class LabGuard implements AutoCloseable {
    private final String lab;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    private LabGuard(String lab) {
        this.lab = lab;
        this.hook = new Thread(this::down, "lab-guard-" + lab);
    }

    /** Clears what an earlier run of {@code lab} left, then guards it until {@link #close}. */
    public static LabGuard of(String lab) {
        LabGuard g = new LabGuard(lab);
        g.down();
        g.done.set(false);
        Runtime.getRuntime().addShutdownHook(g.hook);
        return g;
    }

    private void down() {
        if (!done.compareAndSet(false, true)) return;
        Lab.down(lab);
        Path states = Engine.defaultStateDir();
        if (!Files.isDirectory(states)) return;
        String prefix = "netns-" + LabPlan.prefix(lab);
        try (Stream<Path> s = Files.list(states)) {
            List<Path> mine = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            for (Path p : mine) RunDirs.deleteTree(p);
        } catch (IOException e) {
            System.err.println("lab " + lab + ": could not list " + states + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing more to do
        }
    }
}
