package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code lab probe}, {@code lab fail} and {@code lab restore} on examples/home.yaml, each its own process as far as the lab knows. */
@Tag("root")
class LabProbeCommandTest {
    private static final String LAB = "rtprobe";
    private static final String DIG = "dig @10.53.0.53 whoami.anyloop TXT +short +time=1 +tries=1";

    @AfterEach
    void down() {
        Lab.down(LAB);
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-" + LAB + "-"));
    }

    @Test
    void aLabThatIsNotUpExitsTwoWithWhatToRun() {
        Lab.down(LAB);
        Cli probe = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB);
        assertThat(probe.exit()).isEqualTo(2);
        assertThat(probe.err()).contains("lab rtprobe is not up (no namespace al-rtprobe-*): 'anyloop lab up FILE --name rtprobe' builds it");
        assertThat(probe.out()).isEmpty();
        assertThat(Cli.run("lab", "fail", "--name", LAB, "pi1").exit()).isEqualTo(2);
        assertThat(Cli.run("lab", "restore", "--name", LAB).err()).contains("lab rtprobe is not up");
        assertThat(Cli.run("lab", "probe", "examples/home.yaml", "--name", "Bad-Name").exit()).isEqualTo(2);
    }

    @Test
    void probeAgreesThenFailAndRestoreShowWhatTheKernelDoes() throws Exception {
        try {
            // a crashed run's record: up must not inherit it (probe would skip failover and model pi1 down)
            RunDirs.write(Path.of("/run/anyloop-lab", LAB, "failed"), "pi1:eth0\n");
            Cli up = Cli.run("lab", "up", "examples/home.yaml", "--name", LAB);
            assertThat(up.exit()).as(up.err()).isZero();

            Cli probe = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB);
            assertThat(probe.exit()).as(probe.out() + probe.err()).isZero();
            assertThat(probe.out()).containsPattern("lab probe: \\d+ queries, sim and kernel agree on \\d+, 0 disagree, 0 failed expectations")
                    .doesNotContain("MISMATCH").doesNotContain("UNEXPECTED").doesNotContain("skipped");
            // failover for real: pi1 drained (interfaces down, the router's metric-1 route withdrawn), then restored
            assertThat(probe.out()).containsPattern("T7 +laptop -> udp 10.53.0.53:53 \\[dns without pi1\\] +sim: answered by pi2 +kernel: answered by pi2 +ok");
            // T6: DNS is not found at the router's gateway address
            assertThat(probe.out()).containsPattern("T6 +desktop -> udp 192.168.1.1:53 +sim: no_listener at router +kernel: no answer.* ok");

            Cli json = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB, "--json");
            assertThat(json.exit()).isZero();
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.path("summary").path("disagree").asInt()).isZero();
            assertThat(doc.path("summary").path("queries").asInt()).isEqualTo(doc.path("results").size()).isGreaterThan(100);

            // the lab as another process finds it: attach checks its namespaces are exactly this network's
            Network home = Compiler.compile(IntentLoader.load(Path.of("examples/home.yaml")));
            assertThatThrownBy(() -> Lab.attach(LabPlan.of(LAB, home.without("cam")), home.without("cam")))
                    .isInstanceOf(Lab.NotUpException.class).hasMessageContaining("not in this network [al-rtprobe-cam]");

            Cli fail = Cli.run("lab", "fail", "--name", LAB, "pi1");
            assertThat(fail.exit()).as(fail.err()).isZero();
            assertThat(fail.out()).isEqualTo("lab rtprobe: pi1:eth0 down\n");
            assertThat(Cli.run("lab", "status", "--name", LAB).out()).contains("failed interfaces (lab restore brings them back): [pi1:eth0]");

            // pi1's link is down but the router still holds "10.53.0.53 via 192.168.1.53 metric 1": Linux does not
            // withdraw a route because its gateway went silent (only a device going down flushes routes, and the
            // router's eth1 is up), so it keeps sending to pi1, ARP fails, and the metric-2 route via pi2 is never used.
            // The simulator says the same (no neighbour); the check expected an answer, so the probe exits 1.
            Cli failed = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB);
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.out()).contains("lab rtprobe has failed interfaces [pi1:eth0]: the simulator models them down")
                    .contains("skipped T7: 6 failover queries skipped")
                    .containsPattern("expect +laptop -> udp 10.53.0.53:53 +sim: no_neighbour at router +kernel: no answer.* UNEXPECTED \\(expected reachable\\)")
                    .containsPattern("agree on \\d+, 0 disagree, [1-9]\\d* failed expectations");
            assertThat(Cli.run(("lab exec --name " + LAB + " laptop -- " + DIG).split(" ")).out()).doesNotContain("pi");

            // withdraw the route as anyloop's health check would: now the metric-2 route via pi2 is used
            assertThat(Cli.run("lab", "exec", "--name", LAB, "router", "--", "ip", "route", "del", "10.53.0.53/32", "via", "192.168.1.53",
                    "metric", "1").exit()).isZero();
            assertThat(Cli.run(("lab exec --name " + LAB + " laptop -- " + DIG).split(" ")).out().strip()).isEqualTo("\"pi2\"");

            Cli restore = Cli.run("lab", "restore", "--name", LAB);
            assertThat(restore.exit()).as(restore.err()).isZero();
            assertThat(restore.out()).startsWith("lab rtprobe: pi1:eth0 up\n").contains("set up 8 hosts again (interfaces, then anyloop's part through apply)");
            assertThat(Cli.run(("lab exec --name " + LAB + " laptop -- " + DIG).split(" ")).out().strip()).isEqualTo("\"pi1\"");
            assertThat(Cli.run("lab", "exec", "--name", LAB, "router", "--", "ip", "-N", "route", "show", "10.53.0.53/32").out())
                    .contains("via 192.168.1.53 dev eth1 proto 77 metric 1");

            Cli after = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB);
            assertThat(after.exit()).as(after.out()).isZero();
            assertThat(Cli.run("lab", "restore", "--name", LAB).out()).startsWith("lab rtprobe: no failed interfaces\n");
        } finally {
            Lab.down(LAB);
        }
    }
}
