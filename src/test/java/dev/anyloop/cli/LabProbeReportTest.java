package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.lab.Lab;
import dev.anyloop.os.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab probe --report}: the page of a real lab run has every query, the kernel's answer beside the simulator's. */
@Tag("root")
class LabProbeReportTest {
    private static final String LAB = "rpprobe";

    @AfterEach
    void down() {
        Lab.down(LAB);
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-" + LAB + "-"));
    }

    @Test
    void theProbePageAndTheJsonReadBackShowTheSameQueries(@TempDir Path dir) throws Exception {
        Cli up = Cli.run("lab", "up", "examples/home.yaml", "--name", LAB);
        assertThat(up.exit()).as(up.err()).isZero();
        Path page = dir.resolve("probe.html");
        Cli probe = Cli.run("lab", "probe", "examples/home.yaml", "--name", LAB, "--json", "--report", page.toString());
        assertThat(probe.exit()).as(probe.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(probe.out());
        int queries = doc.path("results").size();
        assertThat(queries).isGreaterThan(100);

        Document html = Jsoup.parse(Files.readString(page));
        assertThat(html.select("#probes table.probes tbody tr")).hasSize(queries);
        assertThat(html.select("#probes tr.disagree")).isEmpty();
        assertThat(html.select(".summary li").eachText()).contains(queries + "/" + queries + " probes: kernel agrees");
        assertThat(html.select("#probes td").eachText()).contains("laptop -> udp 10.53.0.53:53 [dns without pi1]");

        // the same results through report --probe-results
        Path json = dir.resolve("probe.json");
        Files.writeString(json, probe.out());
        Path again = dir.resolve("again.html");
        assertThat(Cli.run("report", "examples/home.yaml", "--probe-results", json.toString(), "--out", again.toString()).exit()).isZero();
        assertThat(Jsoup.parse(Files.readString(again)).select("#probes tbody tr").eachText())
                .isEqualTo(html.select("#probes tbody tr").eachText());
    }
}
