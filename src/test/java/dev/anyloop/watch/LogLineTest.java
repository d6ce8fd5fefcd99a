package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Ip;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One line per event: logfmt quoting and JSON that parses back to the same fields. */
class LogLineTest {
    static final Instant T = Instant.parse("2026-12-01T20:00:00.123Z");
    static final Event E = Event.of(Event.Level.WARN, "withdrawn", new Instance("dns", Ip.parse("10.53.0.53"), "pi1", 0),
            "reason", "down: 3 failed checks in a row: udp dns: \"port\" unreachable");

    @Test
    void logfmt() {
        assertThat(LogLine.LOGFMT.render(T, E)).isEqualTo("ts=2026-12-01T20:00:00.123Z level=warn event=withdrawn service=dns "
                + "address=10.53.0.53 host=pi1 reason=\"down: 3 failed checks in a row: udp dns: \\\"port\\\" unreachable\"");
        assertThat(LogLine.logfmt("")).isEqualTo("\"\"");
        assertThat(LogLine.logfmt("a=b")).isEqualTo("\"a=b\"");
        assertThat(LogLine.logfmt("two\nlines")).isEqualTo("\"two\\nlines\"");
    }

    @Test
    void jsonParsesBack() throws Exception {
        JsonNode j = new ObjectMapper().readTree(LogLine.JSON.render(T, E));
        assertThat(j.get("ts").asText()).isEqualTo("2026-12-01T20:00:00.123Z");
        assertThat(j.get("level").asText()).isEqualTo("warn");
        assertThat(j.get("event").asText()).isEqualTo("withdrawn");
        assertThat(j.get("host").asText()).isEqualTo("pi1");
        assertThat(j.get("reason").asText()).isEqualTo("down: 3 failed checks in a row: udp dns: \"port\" unreachable");
    }
}
