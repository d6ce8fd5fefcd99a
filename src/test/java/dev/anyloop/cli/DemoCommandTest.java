package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.lab.Lab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The README's first command, for real: every step agrees with the simulator, and nothing is left behind. */
@Tag("root")
class DemoCommandTest {
    @AfterEach
    void cleanUp() {
        Lab.down(DemoCommand.LAB);
    }

    @Test
    void demoShowsEveryTechniqueAndCleansUp() {
        Cli d = Cli.run("demo");
        assertThat(d.exit()).as(d.out() + d.err()).isZero();
        assertThat(d.out()).contains("demo: 13 steps, simulator and kernel agree on 13, 13 as the how-to says")
                .contains("answered by pi2").contains("kernel: answered by desktop-ghost").contains("demo: lab removed");
        for (String t : new String[] {"T1/T2", "T3", "T4", "T5", "T6", "T7", "T8"}) assertThat(d.out()).contains("\n" + t + " ");
        assertThat(Lab.status(DemoCommand.LAB).up()).isFalse();
    }

    @Test
    void demoOnAFileWithoutTheHowToServicesSaysWhy() {
        Cli d = Cli.run("demo", "examples/campus.yaml");
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).contains("the demo walks through examples/home.yaml; this file has no service 'web'");
    }
}
