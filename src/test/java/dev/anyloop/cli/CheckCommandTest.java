package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code anyloop check}: the summary, the progress bar on a terminal (or with --progress), the same counts however run. */
class CheckCommandTest {
    @Test
    void aProgressBarOnlyWhenAskedOrOnATerminal() {
        Cli plain = Cli.run("check", "examples/office.yaml");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).endsWith("check: 203 passed, 0 failed, 2 notes\n");
        assertThat(plain.err()).doesNotContain("\r"); // tests run without a terminal
        Cli bar = Cli.run("check", "--progress", "--threads", "1", "examples/office.yaml");
        assertThat(bar.out()).isEqualTo(plain.out());
        assertThat(bar.err()).contains("\rcheck: reading examples/office.yaml").contains("\rcheck: compiling 11 hosts")
                .contains("\rcheck: building the simulator of 12 hosts").containsPattern("\rcheck \\[#+\\] 100%  \\d+ of \\d+ checks");
        // the bar is wiped before anything else is written
        assertThat(bar.err().substring(bar.err().lastIndexOf('\r') + 1)).isBlank();
    }

    @Test
    void verboseListsEveryPassAndCountsTheSame() {
        Cli v = Cli.run("check", "-v", "examples/home.yaml");
        assertThat(v.exit()).isZero();
        long passes = v.out().lines().filter(l -> l.startsWith("PASS ")).count();
        assertThat(v.out()).endsWith("check: " + passes + " passed, 0 failed, 1 notes\n");
        assertThat(Cli.run("check", "examples/home.yaml").out()).endsWith("check: " + passes + " passed, 0 failed, 1 notes\n");
    }

    @Test
    void theLineOfALineBar() {
        ProgressBar b = new ProgressBar(new java.io.PrintWriter(new java.io.StringWriter()), "check");
        assertThat(b.line(464_140, 928_280, 1.94)).isEqualTo("check [###############...............]  50%  464,140 of 928,280 checks  1.9 s");
        assertThat(b.line(0, 0, 0)).startsWith("check [##############################] 100%");
    }
}
