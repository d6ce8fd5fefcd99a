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
    private final java.util.function.UnaryOperator<String> script;
    final List<Ran> ran = new ArrayList<>();

    RecordingTarget(Target inner) { this(inner, s -> s); }

    /** Also rewrites each script (a command's stdin) with {@code script} before it runs: how a test meddles with a host mid-apply. */
    RecordingTarget(Target inner, java.util.function.UnaryOperator<String> script) {
        this.inner = inner;
        this.script = script;
    }

    @Override
    public String id() { return inner.id(); }

    @Override
    public String describe() { return inner.describe(); }

    @Override
    public synchronized CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
        Optional<String> in = stdin.map(script);
        ran.add(new Ran(List.copyOf(argv), in));
        return inner.run(argv, in, timeout);
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
