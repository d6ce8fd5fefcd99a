package dev.anyloop.os;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A long-running command whose output is read line by line as it comes (watch's {@code ping} per ICMP-checked
 * instance). stderr joins stdout; {@code lines} and then {@code exited} are called on a reader thread of its own.
 */
public final class LineProcess implements AutoCloseable {
    private final Process process;
    private final Thread reader;

    private LineProcess(Process p, Thread reader) {
        this.process = p;
        this.reader = reader;
    }

    /** Starts {@code argv} (an argument vector, no shell). */
    public static LineProcess start(List<String> argv, Consumer<String> lines, IntConsumer exited) {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nothing to write to it anyway
        }
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.accept(line);
            } catch (IOException e) {
                // the process was stopped
            }
            try {
                exited.accept(p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "line-" + argv.get(0));
        t.setDaemon(true);
        t.start();
        return new LineProcess(p, t);
    }

    public boolean alive() { return process.isAlive(); }

    /** Stops the command (SIGTERM, then SIGKILL after a second). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
