package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.apply.LiveHost;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What keeps a host safe while it is changed: the confirm timer that runs on the host (also when apply was
 * SIGKILLed), the journal that lets the next command undo an apply killed half-way, and the lock.
 */
@Tag("root")
class ApplySafetyTest {
    private static final String FILE = "examples/home.yaml";
    private static final DeviceState PI1 = pi1();

    @TempDir
    Path state;

    private static DeviceState pi1() {
        try {
            return Compiler.compile(IntentLoader.load(Path.of(FILE))).host("pi1").orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String[] args(LiveHost h, String cmd, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of(cmd));
        if (!cmd.equals("confirm") && !cmd.equals("rollback")) a.addAll(List.of(FILE, "--host", "pi1"));
        a.addAll(List.of("--netns", h.ns, "--state-dir", state.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** anyloop's part of pi1 as the tools print it: what apply adds and rollback takes back. */
    private static String ownPart(LiveHost h) {
        return h.show("ip", "addr", "show", "dev", "lo") + h.show("iptables-save") + h.show("sysctl", "net.ipv4.conf.all.rp_filter");
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 10 && !ok.getAsBoolean(); i++) Thread.sleep(100);
    }

    @Test
    void withoutConfirmTheTimerOnTheHostRollsBackByItself() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Cli a = Cli.run(args(h, "apply", "--confirm", "2"));
            assertThat(a.exit()).as(a.out() + a.err()).isZero();
            assertThat(a.out()).contains("rolled back in 2 s unless 'anyloop confirm --netns " + h.ns + " --state-dir " + state + "' keeps it");
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32");
            waitUntil(() -> h.everything().equals(before), 10);
            assertThat(h.everything()).isEqualTo(before);
            Cli d = Cli.run(args(h, "diff"));
            assertThat(d.out()).contains("was not confirmed within 2 s: its timer rolled it back");
            assertThat(d.exit()).isEqualTo(1);
            assertThat(Cli.run(args(h, "confirm")).exit()).isZero(); // nothing awaits confirmation any more
        }
    }

    @Test
    void confirmKeepsTheChange() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            assertThat(Cli.run(args(h, "apply", "--confirm", "2")).exit()).isZero();
            Cli c = Cli.run(args(h, "confirm"));
            assertThat(c.exit()).as(c.out() + c.err()).isZero();
            assertThat(c.out()).contains("confirmed");
            Thread.sleep(3500);
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32");
            assertThat(Cli.run(args(h, "diff")).exit()).isZero();
        }
    }

    @Test
    void anApplyKilledAfterArmingIsStillRolledBackByTheTimerOnTheHost() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Path log = state.resolve("child.log");
            Process p = ChildCli.start(Map.of("anyloop.test.pause", "armed"), log, args(h, "apply", "--confirm", "2"));
            ChildCli.await(state.resolve("netns-" + h.ns).resolve("test-paused-armed"), p, log);
            ChildCli.kill9(p);
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32");
            waitUntil(() -> h.everything().equals(before), 10);
            assertThat(h.everything()).isEqualTo(before);
            Cli a = Cli.run(args(h, "apply"));
            assertThat(a.exit()).as(a.out() + a.err()).isZero();
            assertThat(a.out()).contains("its timer rolled it back", "applied");
        }
    }

    /** Killed at each point, the apply is found by the next apply, diff or rollback, which says so and undoes it. */
    @ParameterizedTest
    @CsvSource({"journal,apply", "ip,diff", "verify,rollback", "ip,apply"})
    void anApplyKilledHalfWayIsFoundAndUndone(String point, String next) throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Path log = state.resolve("child.log");
            Process p = ChildCli.start(Map.of("anyloop.test.pause", point), log, args(h, "apply"));
            ChildCli.await(state.resolve("netns-" + h.ns).resolve("test-paused-" + point), p, log);
            ChildCli.kill9(p);
            if (point.equals("journal")) assertThat(h.everything()).isEqualTo(before);
            else assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32");
            Cli r = Cli.run(args(h, next));
            assertThat(r.out()).as(r.out() + r.err()).contains("found a change that did not finish", "killed or crashed", "undone");
            if (next.equals("apply")) {
                assertThat(r.exit()).isZero();
                assertThat(r.out()).contains("applied");
                assertThat(Cli.run(args(h, "rollback")).exit()).isZero();
            }
            assertThat(h.everything()).isEqualTo(before);
        }
    }

    @Test
    void aSecondApplyWhileOneRunsIsRefused() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Path log = state.resolve("child.log");
            Process p = ChildCli.start(Map.of("anyloop.test.pause", "journal"), log, args(h, "apply"));
            try {
                ChildCli.await(state.resolve("netns-" + h.ns).resolve("test-paused-journal"), p, log);
                Cli second = Cli.run(args(h, "apply"));
                assertThat(second.exit()).isEqualTo(2);
                assertThat(second.err()).contains("another anyloop is changing network namespace " + h.ns, "pid " + p.pid(), "nothing was changed");
                assertThat(h.everything()).isEqualTo(before);
            } finally {
                ChildCli.kill9(p);
            }
        }
    }

    @Test
    void persistedApplyComesBackAfterAReboot() throws Exception {
        Path units = state.resolve("units");
        String launcher = Path.of("anyloop").toAbsolutePath().toString();
        System.setProperty("anyloop.launcher", launcher);
        try (LiveHost h = LiveHost.forState(PI1)) {
            Cli a = Cli.run(args(h, "apply", "--persist", "--unit-dir", units.toString()));
            assertThat(a.exit()).as(a.out() + a.err()).isZero();
            Path unit = units.resolve("anyloop-apply-netns-" + h.ns + ".service");
            String text = Files.readString(unit);
            String exec = text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
            assertThat(exec).isEqualTo(launcher + " apply --persisted --netns " + h.ns + " --state-dir " + state);
            assertThat(units.resolve("multi-user.target.wants").resolve(unit.getFileName())).isSymbolicLink();
            if (new java.io.File("/usr/bin/systemd-analyze").canExecute()) {
                var v = new dev.anyloop.os.CommandRunner().run("systemd-analyze", "verify", unit.toString());
                assertThat(v.exit()).as(v.out() + v.err()).isZero();
            }
            String applied = h.show("ip", "addr", "show", "dev", "lo") + h.show("iptables-save");
            h.reboot(PI1);
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).doesNotContain("10.53.0.53");
            // the unit's ExecStart line, as systemd runs it at boot
            List<String> words = List.of(exec.split(" "));
            Cli boot = Cli.run(words.subList(1, words.size()).toArray(String[]::new));
            assertThat(boot.exit()).as(boot.out() + boot.err()).isZero();
            assertThat(h.show("ip", "addr", "show", "dev", "lo") + h.show("iptables-save")).isEqualTo(applied);
        } finally {
            System.clearProperty("anyloop.launcher");
        }
    }
}
