package dev.anyloop.cli;

import dev.anyloop.check.Checker;
import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place with a carriage return, for long runs on a terminal:
 * {@code check [##########..........]  50%  464,140 of 928,280 checks  1.9 s}. Redrawn at most every 100 ms
 * (updates come from the checking threads), cleared by {@link #done()} so the results start on a clean line.
 */
final class ProgressBar implements Checker.Progress {
    private static final int WIDTH = 30;
    private static final long EVERY_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final String label;
    private final long start = System.nanoTime();
    private long last;
    private int drawn;

    ProgressBar(PrintWriter out, String label) {
        this.out = out;
        this.label = label;
    }

    /** Shows what is being done before there is anything to count. */
    @Override
    public synchronized void stage(String what) {
        draw(label + ": " + what + String.format(" (%.1f s)", (System.nanoTime() - start) / 1e9));
    }

    private void draw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        out.flush();
        drawn = line.length();
    }

    @Override
    public synchronized void update(long done, long total) {
        long now = System.nanoTime();
        if (done < total && now - last < EVERY_NANOS) return;
        last = now;
        draw(line(done, total, (now - start) / 1e9));
    }

    /** The bar's text for {@code done} of {@code total} after {@code seconds}. */
    String line(long done, long total, double seconds) {
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        int pct = total == 0 ? 100 : (int) (100 * done / total);
        return String.format("%s [%s%s] %3d%%  %,d of %,d checks  %.1f s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                pct, done, total, seconds);
    }

    /** Removes the bar. */
    synchronized void done() {
        if (drawn == 0) return;
        out.print("\r" + " ".repeat(drawn) + "\r");
        out.flush();
        drawn = 0;
    }
}
