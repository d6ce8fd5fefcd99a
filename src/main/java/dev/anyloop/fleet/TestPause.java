package dev.anyloop.fleet;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hook for the root tests only: with {@code -Danyloop.test.fleet.pause=WAVE} and
 * {@code -Danyloop.test.fleet.marker=FILE}, apply --all writes FILE before wave WAVE and waits (at most two
 * minutes) until the test removes it, so that the test can take a host away at exactly that point. Without the
 * properties nothing here does anything.
 */
final class TestPause {
    private TestPause() { }

    static void before(Rollout.Wave w) {
        String at = System.getProperty("anyloop.test.fleet.pause");
        String marker = System.getProperty("anyloop.test.fleet.marker");
        if (at == null || marker == null || !at.equals(w.word())) return;
        Path m = Path.of(marker);
        try {
            Files.writeString(m, Long.toString(ProcessHandle.current().pid()));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Files.exists(m) && System.nanoTime() < deadline) Thread.sleep(50);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
