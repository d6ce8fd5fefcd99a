package dev.anyloop.deb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.state.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaging files that repeat a fact of the code say the same as the code, and every lintian override says why. */
class PackagingTest {
    @Test
    void rtProtosNamesTheProtocolAnyloopRoutesCarry() throws IOException {
        List<String> entries = Files.readAllLines(Path.of("packaging/rt_protos.d/anyloop.conf"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).split("\\s+")).containsExactly(Route.PROTO_ANYLOOP, "anyloop");
    }

    @Test
    void everyLintianOverrideIsJustifiedByTheCommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("packaging/lintian-overrides"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("anyloop: ")) {
                assertThat(i).as("override on line %d has a comment above it", i + 1).isPositive();
                assertThat(lines.get(i - 1)).as("line %d", i).startsWith("#");
            }
        }
    }

    @Test
    void buildScriptIsExecutable() {
        assertThat(Files.isExecutable(Path.of("packaging/build-deb"))).isTrue();
    }
}
