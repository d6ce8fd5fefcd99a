package dev.anyloop.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** This machine: commands run here, files are this machine's files. */
public class LocalTarget implements Target {
    private final CommandRunner runner;

    public LocalTarget(CommandRunner runner) { this.runner = runner; }

    public LocalTarget() { this(new CommandRunner(Duration.ofSeconds(60))); }

    @Override
    public String id() { return "host"; }

    @Override
    public String describe() { return "this host"; }

    @Override
    public CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
        return runner.run(argv, stdin, timeout);
    }

    /** {@code setsid -f}: the child leaves anyloop's session and process group, and setsid's parent exits at once. */
    @Override
    public void startDetached(List<String> argv, Path log) {
        List<String> all = new ArrayList<>(List.of("setsid", "-f"));
        all.addAll(argv);
        Process p = runner.start(wrap(all), log);
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("could not start " + String.join(" ", argv) + " detached within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("could not start " + String.join(" ", argv) + " detached (exit " + p.exitValue() + "); see " + log);
        }
    }

    /** How a command is started on this target: as it is, here; inside a namespace for {@link NetnsTarget}. */
    protected List<String> wrap(List<String> argv) { return argv; }

    protected CommandRunner runner() { return runner; }

    @Override
    public Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void write(Path file, String text) { RunDirs.write(file, text); }

    @Override
    public boolean rename(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    @Override
    public void delete(Path path) { RunDirs.deleteTree(path); }

    @Override
    public List<String> list(Path dir) { return RunDirs.list(dir); }

    /** An fcntl lock: the kernel drops it when the holding process exits, however it exits. */
    @Override
    public Optional<Lock> tryLock(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already (another thread)
            }
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            FileLock held = lock;
            return Optional.of(() -> {
                try {
                    held.release();
                    ch.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot release " + file, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }
}
