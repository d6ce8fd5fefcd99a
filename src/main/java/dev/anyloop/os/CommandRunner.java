package dev.anyloop.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The only code in anyloop that starts processes. A command is an argument vector built from
 * validated values; nothing is ever passed through a shell.
 */
public final class CommandRunner {
    /** What a finished command left: exit code, stdout and stderr (UTF-8). */
    public record Result(List<String> argv, int exit, String out, String err) {
        public boolean ok() { return exit == 0; }

        /** Throws with the command, exit code and stderr unless the command succeeded. */
        public Result orThrow() {
            if (exit != 0) throw new CommandFailedException(this);
            return this;
        }
    }

    /** A command that exited non-zero where success was required. */
    public static final class CommandFailedException extends RuntimeException {
        private final transient Result result;

        public CommandFailedException(Result r) {
            super("command failed (exit " + r.exit() + "): " + String.join(" ", r.argv())
                    + (r.err().isBlank() ? "" : "\n" + r.err().strip()));
            this.result = r;
        }

        public Result result() { return result; }
    }

    private final Duration defaultTimeout;

    public CommandRunner(Duration defaultTimeout) { this.defaultTimeout = defaultTimeout; }

    public CommandRunner() { this(Duration.ofSeconds(30)); }

    public Result run(List<String> argv) { return run(argv, Optional.empty(), defaultTimeout); }

    public Result run(String... argv) { return run(List.of(argv)); }

    /** Runs {@code argv}, feeding {@code stdin} if present; kills it after {@code timeout} (exit 124). */
    public Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(List.copyOf(argv), 127, "", "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = pump(p.getInputStream(), out);
        Thread te = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin.isPresent()) in.write(stdin.get().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the process may exit before reading its input; its exit code tells the story
        }
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            to.join(2000);
            te.join(2000);
            int exit = done ? p.exitValue() : 124;
            String e = err.toString(StandardCharsets.UTF_8) + (done ? "" : "\ntimed out after " + timeout.toMillis() + " ms");
            return new Result(List.copyOf(argv), exit, out.toString(StandardCharsets.UTF_8), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(List.copyOf(argv), 130, out.toString(StandardCharsets.UTF_8), "interrupted");
        }
    }

    /** Starts a long-running process (a service in a lab namespace); the caller stops it. */
    public Process start(List<String> argv) {
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
        }
    }

    /** Starts {@code argv} with stdout and stderr appended to {@code log}; the caller feeds stdin and waits. */
    public Process start(List<String> argv, java.nio.file.Path log) {
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException e) {
                // stream closed by a killed process
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
