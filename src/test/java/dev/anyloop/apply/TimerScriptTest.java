package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.os.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer left on the host: valid sh, its values quoted, and exactly one of it and confirm wins. */
class TimerScriptTest {
    private static final CommandRunner RUN = new CommandRunner(Duration.ofSeconds(20));

    @TempDir
    Path tmp;

    @Test
    void everyValueIsQuotedAndTheScriptIsValidSh() {
        TimerScript.Undo u = new TimerScript.Undo(List.of("net.ipv4.ip_forward=0", "net.ipv4.conf.eth0/10.rp_filter=1"), true, true, true, false,
                false, List.of(List.of("nft", "delete", "table", "ip", "filter")));
        String s = TimerScript.render(Path.of("/var/lib/any loop/it's/pending/1"), 30, u);
        assertThat(s).contains("d='/var/lib/any loop/it'\\''s/pending/1'\n", "'sysctl' '-q' '-w' 'net.ipv4.ip_forward=0' 'net.ipv4.conf.eth0/10.rp_filter=1' || r=1",
                "ip -force -batch \"$d/steps.ip\" || r=1", "ip -6 -force -batch \"$d/steps.ip6\"", "iptables-restore --noflush \"$d/steps.iptables\"",
                "'nft' 'delete' 'table' 'ip' 'filter' 2>/dev/null").doesNotContain("ip6tables-restore", "nft -f");
        assertThat(RUN.run(List.of("sh", "-n"), Optional.of(s), Duration.ofSeconds(5)).exit()).isZero();
    }

    @Test
    void aConfirmTimeBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> TimerScript.render(Path.of("/x"), 0, new TimerScript.Undo(List.of(), false, false, false, false, false, List.of())))
                .hasMessageContaining("at least 1 second");
    }

    /** Runs the real script with no undo steps: it fires when nobody confirms, and exits quietly when confirm renamed armed first. */
    @Test
    void theTimerFiresUnlessArmedIsRenamedFirst() throws Exception {
        TimerScript.Undo none = new TimerScript.Undo(List.of(), false, false, false, false, false, List.of());
        Path fire = tmp.resolve("fire");
        Files.createDirectories(fire);
        Files.writeString(fire.resolve(TimerScript.ARMED), "x");
        Files.writeString(fire.resolve("timer.sh"), TimerScript.render(fire, 1, none));
        assertThat(RUN.run("sh", fire.resolve("timer.sh").toString()).exit()).isZero();
        assertThat(fire.resolve(TimerScript.ROLLED_BACK)).exists();
        assertThat(fire.resolve(TimerScript.FIRING)).exists();
        assertThat(Files.readString(fire.resolve(TimerScript.ROLLED_BACK)).lines().toList()).hasSize(2).last().isEqualTo("0");

        Path keep = tmp.resolve("keep");
        Files.createDirectories(keep);
        Files.writeString(keep.resolve(TimerScript.ARMED), "x");
        Files.writeString(keep.resolve("timer.sh"), TimerScript.render(keep, 3, none));
        Process p = new ProcessBuilder("sh", keep.resolve("timer.sh").toString()).start();
        Files.move(keep.resolve(TimerScript.ARMED), keep.resolve(TimerScript.CONFIRMED)); // what confirm does
        assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(keep.resolve(TimerScript.ROLLED_BACK)).doesNotExist();
    }

    /** The staged timer: due while a step holds {@link TimerScript#STEPPING}, it takes armed and waits; it undoes once the step is done. */
    @Test
    void aStagedTimerDueMidStepWaitsForTheStepThenFires() throws Exception {
        Path d = tmp.resolve("staged");
        Files.createDirectories(d);
        Files.writeString(d.resolve(TimerScript.ARMED), "x");
        Files.writeString(d.resolve(TimerScript.SECONDS), "1\n");
        Files.writeString(d.resolve(TimerScript.STEPPING), "1\n");
        Files.writeString(d.resolve("timer.sh"), TimerScript.renderStaged(d, 60));
        Process p = new ProcessBuilder("sh", d.resolve("timer.sh").toString()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(d.resolve(TimerScript.FIRING)) && System.nanoTime() < deadline) Thread.sleep(50);
            // due: it took armed (no step may begin any more), and waits for the step under way
            assertThat(d.resolve(TimerScript.FIRING)).exists();
            assertThat(d.resolve(TimerScript.ARMED)).doesNotExist();
            assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
            assertThat(d.resolve(TimerScript.ROLLED_BACK)).doesNotExist();
            Files.delete(d.resolve(TimerScript.STEPPING)); // the step and its undo files are done
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(d.resolve(TimerScript.ROLLED_BACK)).exists();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aStagedTimerStopsWaitingForAStepWhoseAnyloopDiedAfterItsGrace() throws Exception {
        Path d = tmp.resolve("dead");
        Files.createDirectories(d);
        Files.writeString(d.resolve(TimerScript.ARMED), "x");
        Files.writeString(d.resolve(TimerScript.SECONDS), "1\n");
        Files.writeString(d.resolve(TimerScript.STEPPING), "1\n");
        Files.writeString(d.resolve("timer.sh"), TimerScript.renderStaged(d, 1));
        assertThat(RUN.run("sh", d.resolve("timer.sh").toString()).exit()).isZero();
        assertThat(d.resolve(TimerScript.ROLLED_BACK)).exists();
        assertThat(d.resolve(TimerScript.STEPPING)).exists();
        assertThat(RUN.run(List.of("sh", "-n"), Optional.of(TimerScript.renderStaged(Path.of("/var/lib/it's"), Engine.STEP_GRACE_SECONDS)),
                Duration.ofSeconds(5)).exit()).isZero();
    }
}
