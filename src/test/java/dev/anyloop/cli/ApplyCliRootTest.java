package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.apply.LiveHost;
import dev.anyloop.state.DeviceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply's own options on a namespace: verified before (check, --force), --dry-run, --json for apply and diff, snapshot. */
@Tag("root")
class ApplyCliRootTest {
    private static final String FILE = "examples/home.yaml";
    private static final DeviceState PI1 = ApplyBadInputTest.PI1;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String[] run(String command, String file, LiveHost h, String... more) {
        List<String> a = new ArrayList<>(List.of(command, file, "--host", "pi1", "--netns", h.ns, "--state-dir", tmp.resolve("state").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void aFailingCheckRefusesWithItsTraceAndForceAppliesAnyway() throws Exception {
        // home.yaml with one expectation the network does not meet: ssh to web from the laptop expected to work
        Path file = tmp.resolve("home-failing.yaml");
        String home = Files.readString(Path.of(FILE));
        String flipped = home.replace("{ from: laptop, to: web, port: tcp/22, reachable: false }", "{ from: laptop, to: web, port: tcp/22, reachable: true }");
        assertThat(flipped).isNotEqualTo(home);
        Files.writeString(file, flipped);
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Cli refused = Cli.run(run("apply", file.toString(), h));
            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.out()).contains("FAIL expect line", "laptop -> tcp 10.10.10.10:22", "verdict: DROPPED at desktop", "checks fail, so nothing was applied", "--force applies anyway");
            assertThat(h.everything()).isEqualTo(before);
            assertThat(tmp.resolve("state")).doesNotExist();

            Cli forced = Cli.run(run("apply", file.toString(), h, "--force"));
            assertThat(forced.exit()).as(forced.out() + forced.err()).isZero();
            assertThat(forced.out()).contains("applying anyway (--force)", "applied");
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32");
        }
    }

    @Test
    void dryRunAndJsonTellWhatWouldChangeAndWhatDid() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            Path page = tmp.resolve("pi1.html");
            Cli dry = Cli.run(run("apply", FILE, h, "--dry-run", "--report", page.toString()));
            assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
            assertThat(dry.out()).contains("+ 10.53.0.53/32 dev lo").doesNotContain("applied");
            assertThat(h.everything()).isEqualTo(before);
            // the report of the dry run: pi1 as read from the namespace among the others as planned, and what it misses
            assertThat(Files.readString(page)).contains("<html", "pi1 is as read from network namespace " + h.ns, "10.53.0.53");

            Cli pending = Cli.run(run("diff", FILE, h, "--json"));
            assertThat(pending.exit()).as(pending.err()).isEqualTo(1);
            JsonNode d = JSON.readTree(pending.out());
            assertThat(d.get("changed").asBoolean()).isTrue();
            assertThat(d.get("changes").findValuesAsText("change")).contains("+ 10.53.0.53/32 dev lo");
            assertThat(d.get("changes").findValuesAsText("group")).contains("addresses");

            Cli applied = Cli.run(run("apply", FILE, h, "--json"));
            assertThat(applied.exit()).as(applied.err()).isZero();
            JsonNode a = JSON.readTree(applied.out());
            assertThat(a.get("changed").asBoolean()).isTrue();
            assertThat(a.get("changes")).hasSameSizeAs(d.get("changes"));

            Cli again = Cli.run(run("apply", FILE, h, "--json"));
            JsonNode b = JSON.readTree(again.out());
            assertThat(b.get("changed").asBoolean()).as(again.out()).isFalse();
            assertThat(b.get("changes")).isEmpty();
            Cli inSync = Cli.run(run("diff", FILE, h));
            assertThat(inSync.exit()).as(inSync.out()).isZero();
        }
    }

    @Test
    void aSnapshotOfTheNamespaceIsWhatTheSimulatorReads() throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            assertThat(Cli.run(run("apply", FILE, h)).exit()).isZero();
            Path snap = tmp.resolve("snap");
            Cli s = Cli.run("snapshot", "--netns", h.ns, "--out", snap.resolve("pi1").toString());
            assertThat(s.exit()).as(s.out() + s.err()).isZero();
            assertThat(snap.resolve("pi1")).isDirectoryContaining("glob:**/ip-addr.json").isDirectoryContaining("glob:**/iptables.rules");
            // the simulator reads the live pi1: its lo address and apply's chains take the packet; no DNS server runs in this
            // namespace, which the snapshot's listeners say too
            Cli t = Cli.run("trace", "--snapshot", snap.toString(), "--from", "pi1", "--to", "10.53.0.53", "--proto", "udp", "--port", "53");
            assertThat(t.exit()).as(t.out() + t.err()).isEqualTo(1);
            assertThat(t.out()).contains("local 10.53.0.53 table local dev lo", "filter INPUT rule 1: -d 10.53.0.53/32 -m comment --comment \"anyloop service dns: to 10.53.0.53 (T4)\" -j AL-IN-dns",
                    "filter AL-PORTS-dns rule 1: -p udp -m udp --dport 53 -m comment --comment \"anyloop service dns: port udp/53\" -j ACCEPT", "nothing listens on udp 10.53.0.53:53");
        }
        // and this machine itself, read only (snapshot never writes to a host)
        Path local = tmp.resolve("local").resolve("this");
        Cli s = Cli.run("snapshot", "--out", local.toString());
        assertThat(s.exit()).as(s.out() + s.err()).isZero();
        assertThat(local.resolve("ip-addr.json")).content().contains("127.0.0.1");
        assertThat(local.resolve("ip-route.json")).exists();
    }
}
