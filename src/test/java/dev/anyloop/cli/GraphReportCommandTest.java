package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** anyloop graph, anyloop report and check --report from the command line, and their usage errors. */
class GraphReportCommandTest {
    static final String HOME = "examples/home.yaml";
    static final String REAL = SnapshotInputTest.REAL.toString();

    @Test
    void graphWritesEachFormatToStdoutOrAFile(@TempDir Path dir) throws IOException {
        assertThat(Cli.run("graph", HOME, "--format", "dot").out()).startsWith("// anyloop graph").contains("digraph network {");
        assertThat(Cli.run("graph", HOME, "--format", "mermaid").out()).startsWith("flowchart TD");
        assertThat(Cli.run("graph", HOME, "--format", "JSON").out()).contains("\"hosts\"");
        Cli svg = Cli.run("graph", HOME, "--out", dir.resolve("sub/home.svg").toString());
        assertThat(svg.exit()).isZero();
        assertThat(svg.out()).isEmpty();
        assertThat(Files.readString(dir.resolve("sub/home.svg"))).startsWith("<svg ").contains("data-host=\"pi1\"");
        assertThat(Cli.run("graph", "--snapshot", REAL, "--format", "dot").out()).contains("\"router\"").contains("\"peer\"");
    }

    @Test
    void foldDrawsACrowdedSegmentsLeafHostsAsOneBox(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("scale.yaml");
        Files.writeString(yaml, dev.anyloop.report.ScaleIntent.yaml(3, 30));
        String folded = Cli.run("graph", yaml.toString(), "--format", "json", "--fold", "10").out();
        // per LAN, the two service hosts keep their boxes and the other 28 fold
        assertThat(folded.split("\"folded\" : true", -1)).hasSize(3 * 28 + 1);
        assertThat(folded).contains("\"folds\"");
        assertThat(Cli.run("graph", yaml.toString(), "--format", "json").out()).doesNotContain("\"folded\"");
        Cli bad = Cli.run("graph", yaml.toString(), "--fold", "-1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--fold -1: expected 0 or more");
    }

    @Test
    void graphUsageErrors() {
        Cli bad = Cli.run("graph", HOME, "--format", "png");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'png' is not a graph format: expected svg, dot, mermaid or json");
        Cli none = Cli.run("graph");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("give network.yaml, --snapshot DIR, or both");
        Cli missing = Cli.run("graph", "nope.yaml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml");
    }

    @Test
    void reportAndCheckReportWriteThePage(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("r.html");
        Cli r = Cli.run("report", HOME, "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("wrote " + out);
        String page = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("made by anyloop report " + HOME + " --out " + out);

        Path c = dir.resolve("c.html");
        Cli check = Cli.run("check", HOME, "--report", c.toString());
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("check: ");
        assertThat(Files.readString(c)).contains("made by anyloop check " + HOME + " --report " + c).contains("checks passed");

        Path s = dir.resolve("s.html");
        assertThat(Cli.run("report", "--snapshot", REAL, "--out", s.toString()).exit()).isZero();
        assertThat(Files.readString(s)).contains("data-host=\"router\"").contains("No checks: they come from network.yaml");
    }

    @Test
    void snapshotWithTheIntentShowsDriftAndChecksTheLiveHosts(@TempDir Path dir) throws IOException {
        // the real capture is not home.yaml's network: its hosts are missing, so the checks run on the plan
        Path out = dir.resolve("d.html");
        Cli r = Cli.run("report", HOME, "--snapshot", REAL, "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String page = Files.readString(out);
        assertThat(page).contains("Checks ran on the plan, not on the snapshot: it has no host isp, desktop, laptop, pi1, pi2, cam.");
        assertThat(page).contains("drift from the plan").contains("missing  address 10.255.0.1/32 dev lo")
                .contains("missing  route 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1");
    }

    @Test
    void reportUsageErrors(@TempDir Path dir) throws IOException {
        assertThat(Cli.run("report", HOME).err()).contains("Missing required option: '--out=FILE'");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"results\": [ {\"technique\": \"T1\" ");
        Cli notJson = Cli.run("report", HOME, "--out", dir.resolve("x.html").toString(), "--probe-results", bad.toString());
        assertThat(notJson.exit()).isEqualTo(2);
        assertThat(notJson.err()).contains(bad + ":1:").contains("not JSON");
        Files.writeString(bad, "{\"results\": [ {\"technique\": \"T1\", \"flow\": \"a -> icmp 10.0.0.1\", \"sim\": {}} ]}");
        Cli shape = Cli.run("report", HOME, "--out", dir.resolve("x.html").toString(), "--probe-results", bad.toString());
        assertThat(shape.exit()).isEqualTo(2);
        assertThat(shape.err()).contains(bad + ": results[0].kernel: expected an object");
        Cli noFile = Cli.run("report", HOME, "--out", dir.resolve("x.html").toString(), "--probe-results", dir.resolve("none.json").toString());
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("cannot read " + dir.resolve("none.json"));
        Cli toDir = Cli.run("report", HOME, "--out", dir.toString());
        assertThat(toDir.exit()).isEqualTo(2);
        assertThat(toDir.err()).contains("cannot write " + dir);
        assertThat(Files.exists(dir.resolve("x.html"))).isFalse();
    }

    @Test
    void probeResultsFromLabProbeJsonAreShownBesideTheSimulator(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("probe.json");
        Files.writeString(results, """
                {"lab": "lab", "failed": [], "skipped": [], "results": [
                  {"technique": "T7", "flow": "laptop -> udp 10.53.0.53:53", "scenario": "dns without pi1", "expectReachable": true,
                   "sim": {"reachable": true, "answeredBy": "pi2", "verdict": "ACCEPTED at pi2: delivered"},
                   "kernel": {"reachable": true, "answeredBy": "pi2", "detail": "TXT pi2"}, "agree": true, "failedExpectation": false},
                  {"technique": "T6", "flow": "laptop -> udp 192.168.1.1:53",
                   "sim": {"reachable": false, "verdict": "NO_LISTENER at router: nothing listens"},
                   "kernel": {"reachable": true, "answeredBy": "router", "detail": "TXT router"}, "agree": false, "failedExpectation": false}
                ], "summary": {"queries": 2, "agree": 1, "disagree": 1, "failedExpectations": 0}}
                """);
        Path out = dir.resolve("p.html");
        assertThat(Cli.run("report", HOME, "--out", out.toString(), "--probe-results", results.toString()).exit()).isZero();
        String page = Files.readString(out);
        assertThat(page).contains("1/2 probes: kernel agrees").contains("laptop -&gt; udp 10.53.0.53:53 [dns without pi1]")
                .contains("answered by pi2").contains("MISMATCH").contains("NO_LISTENER at router");
    }
}
