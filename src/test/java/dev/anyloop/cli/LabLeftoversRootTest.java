package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.os.Netns;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code lab leftovers --clear --name N} removes lab N only: another lab's namespaces (a running lab) stay. */
@Tag("root")
class LabLeftoversRootTest {
    private static final List<String> MINE = List.of("al-inlfa-router", "al-inlfa-sw-lan");
    private static final List<String> OTHER = List.of("al-inlfb-router");
    private final Netns netns = new Netns();

    @AfterEach
    void removeBoth() {
        netns.delete(MINE);
        netns.delete(OTHER);
    }

    @Test
    void clearRemovesOnlyTheNamedLab() {
        netns.add(MINE);
        netns.add(OTHER);
        Cli list = Cli.run("lab", "leftovers");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.out()).contains("lab inlfa: al-inlfa-router al-inlfa-sw-lan").contains("lab inlfb: al-inlfb-router");
        assertThat(Cli.run("lab", "leftovers", "--name", "inlfb").out()).doesNotContain("inlfa");

        Cli noName = Cli.run("lab", "leftovers", "--clear");
        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("--clear takes --name N");
        assertThat(netns.list()).containsAll(MINE).containsAll(OTHER);

        Cli clear = Cli.run("lab", "leftovers", "--clear", "--name", "inlfa");
        assertThat(clear.exit()).as(clear.err()).isZero();
        assertThat(clear.out()).contains("cleared lab inlfa (2 namespaces)");
        assertThat(netns.list()).doesNotContainAnyElementsOf(MINE).containsAll(OTHER);
    }
}
