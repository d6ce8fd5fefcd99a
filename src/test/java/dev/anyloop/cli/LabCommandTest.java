package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.os.Netns;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code anyloop lab} end to end: up, status, exec, leftovers, down. */
@Tag("root")
class LabCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void upStatusExecDown() {
        try {
            assertThat(run("lab", "up", "examples/home.yaml", "--name", "rtcli")).as(err.toString()).isZero();
            assertThat(out.toString()).contains("lab rtcli up").contains("al-rtcli-router");
            assertThat(run("lab", "up", "examples/home.yaml", "--name", "rtcli")).isEqualTo(1);
            assertThat(err.toString()).contains("lab rtcli exists");
            assertThat(run("lab", "status", "--name", "rtcli")).isZero();
            assertThat(out.toString()).contains("al-rtcli-pi1");
            assertThat(run("lab", "exec", "--name", "rtcli", "laptop", "--", "dig", "@10.53.0.53", "whoami.anyloop", "TXT", "+short")).isZero();
            assertThat(out.toString().strip()).isEqualTo("\"pi1\"");
            assertThat(run("lab", "exec", "--name", "rtcli", "nohost", "--", "true")).isEqualTo(2);
            assertThat(run("lab", "leftovers")).isEqualTo(1);
            assertThat(out.toString()).contains("lab rtcli:");
        } finally {
            assertThat(run("lab", "down", "--name", "rtcli")).isZero();
        }
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-rtcli-"));
        assertThat(run("lab", "status", "--name", "rtcli")).isEqualTo(1);
        assertThat(run("lab", "up", "examples/home.yaml", "--name", "Bad-Name")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid lab name 'Bad-Name'");
    }
}
