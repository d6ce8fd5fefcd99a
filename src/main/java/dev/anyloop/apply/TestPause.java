package dev.anyloop.apply;

import dev.anyloop.os.HostScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A hook for the crash tests only: with {@code -Danyloop.test.pause=POINT}, apply stops at that point
 * (writes {@code test-paused-POINT} into the target's state folder, then sleeps) so that a test can SIGKILL
 * it there. Points: "journal" (written, nothing changed yet), "ip" (inside the step script, after the ip
 * batch, before the firewall), "verify" (every step ran, the record not yet saved), "armed" (the confirm
 * timer started). Without the property nothing here does anything.
 */
final class TestPause {
    private static final String PROPERTY = "anyloop.test.pause";
    private static final long SLEEP_SECONDS = 600;

    private TestPause() { }

    private static boolean at(String point) { return point.equals(System.getProperty(PROPERTY)); }

    static String marker(String point) { return "test-paused-" + point; }

    /** Stops this process here when the property names {@code point}. */
    static void at(String point, Path stateDir) {
        if (!at(point)) return;
        try {
            Files.createDirectories(stateDir);
            Files.writeString(stateDir.resolve(marker(point)), Long.toString(ProcessHandle.current().pid()));
            Thread.sleep(SLEEP_SECONDS * 1000);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("test pause at " + point + " ended without a kill");
    }

    /** Stops the step script here when the property names {@code point}; after the sleep the script ends, it never goes on. */
    static void inScript(String point, HostScript script, Path stepsDir) {
        if (!at(point)) return;
        // the state folder is two levels up from journal/ID/steps
        Path stateDir = stepsDir.getParent().getParent().getParent();
        script.plain(List.of("touch", stateDir.resolve(marker(point)).toString()));
        script.step("test-pause", List.of("sleep", Long.toString(SLEEP_SECONDS)), Optional.empty());
        script.step("test-pause-end", List.of("false"), Optional.empty());
    }
}
