package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.state.DeviceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race between a step of a change armed ahead (fleet apply) and its timer: the timer comes due while the step
 * runs on the host. It must wait for the step and its undo files, then take the whole step back; before the
 * stepping marker it undid first and the step then made its change anyway, leaving the host changed with no timer.
 */
@Tag("root")
class StagedTimerRaceRootTest {
    @TempDir
    Path state;

    @Test
    void aTimerDueWhileAStepRunsWaitsForItThenTakesTheStepBack() throws Exception {
        DeviceState pi2 = EngineRootTest.host("pi2");
        try (LiveHost h = LiveHost.forState(pi2, "flrace")) {
            Engine.Options iptables = Engine.Options.of(Backend.IPTABLES).withoutProtoName();
            String id = new Engine(h.target(), state).arm(60);
            Path pending = new Engine(h.target(), state).stateDir().resolve("pending").resolve(id);
            // once the step's script has begun (it marked the change applied), the timer is made due (its limit, read every
            // second, set to 0) and the step goes on for 3 s more: the timer comes due mid-step however loaded the machine is
            String due = "echo 0 > '" + pending.resolve(TimerScript.SECONDS) + "'\nsleep 3";
            RecordingTarget slow = new RecordingTarget(h.target(), script -> script.lines()
                    .map(l -> l.startsWith("'touch' ") && l.contains("/" + TimerScript.APPLIED + "' ") ? l + "\n" + due : l)
                    .collect(Collectors.joining("\n", "", "\n")));
            Engine.Outcome step = new Engine(slow, state).apply(pi2, iptables.within(id));
            assertThat(step.changed()).isTrue();
            assertThat(slow.ran).anyMatch(r -> r.text().contains("sleep 3"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.exists(pending.resolve(TimerScript.ROLLED_BACK)) && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(pending.resolve(TimerScript.ROLLED_BACK)).exists();
            // the timer ran after the step, with the step's undo: nothing of the change is left
            assertThat(h.show("ip", "-o", "addr", "show", "dev", "lo")).doesNotContain("10.53.0.53", "10.10.10.43");
            assertThat(h.show("iptables-save")).doesNotContain("AL-");
            Engine.Status s = new Engine(h.target(), state).status();
            assertThat(s.record().pending()).isEmpty();
            assertThat(String.join("\n", s.notes())).contains("its timer rolled it back");
        }
    }
}
