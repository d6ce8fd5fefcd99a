package dev.anyloop.apply;

import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A target that passes everything to another and keeps every command it ran, with its stdin: what a test asserts was (not) run. */
final class RecordingTarget implements Target {
    /** One command and the input it was fed. */
    record Ran(List<String> argv, Optional<String> stdin) {
        /** The text of what ran: the argv and, for a script, the script. */
        String text() { return String.join(" ", argv) + stdin.map(s -> "\n" + s).orElse(""); }
    }

    private final Target inner;
    final List<Ran> ran = new ArrayList<>();

    RecordingTarget(Target inner) { this.inner = inner; }

    @Override
    public String id() { return inner.id(); }

    @Override
    public String describe() { return inner.describe(); }

    @Override
    public synchronized CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
        ran.add(new Ran(List.copyOf(argv), stdin));
        return inner.run(argv, stdin, timeout);
    }

    @Override
    public void startDetached(List<String> argv, Path log) {
        ran.add(new Ran(List.copyOf(argv), Optional.empty()));
        inner.startDetached(argv, log);
    }

    @Override
    public Optional<String> read(Path file) { return inner.read(file); }

    @Override
    public void write(Path file, String text) { inner.write(file, text); }

    @Override
    public boolean rename(Path from, Path to) { return inner.rename(from, to); }

    @Override
    public void delete(Path path) { inner.delete(path); }

    @Override
    public List<String> list(Path dir) { return inner.list(dir); }

    @Override
    public Optional<Lock> tryLock(Path file) { return inner.tryLock(file); }
}
