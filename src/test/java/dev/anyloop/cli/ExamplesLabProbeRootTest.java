package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.lab.Lab;
import dev.anyloop.os.Netns;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Tag;

/**
 * The README's promise: on every example, {@code lab probe} finds the simulator and the kernel agree on every query,
 * three runs in a row (the lab's UDP stand-in answers every datagram, also under concurrent probes).
 */
@Tag("root")
class ExamplesLabProbeRootTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"home, inhome", "campus, incampus", "office, inoffice"})
    void labProbeAgreesThreeTimesInARow(String example, String lab) {
        String file = "examples/" + example + ".yaml";
        try {
            Cli up = Cli.run("lab", "up", file, "--name", lab);
            assertThat(up.exit()).as(up.err()).isZero();
            for (int run = 1; run <= 3; run++) {
                Cli probe = Cli.run("lab", "probe", file, "--name", lab);
                assertThat(probe.exit()).as("run " + run + ":\n" + probe.out() + probe.err()).isZero();
                assertThat(probe.out()).as("run " + run)
                        .containsPattern("lab probe: \\d+ queries, sim and kernel agree on \\d+, 0 disagree, 0 failed expectations")
                        .doesNotContain("MISMATCH");
            }
        } finally {
            Lab.down(lab);
        }
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-" + lab + "-"));
    }
}
