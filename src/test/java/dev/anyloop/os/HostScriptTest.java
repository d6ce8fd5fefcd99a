package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One sh process, several commands, each output back apart; run here with the local target (no root needed). */
class HostScriptTest {
    private final Target here = new LocalTarget(new CommandRunner(Duration.ofSeconds(10)));

    @TempDir
    Path tmp;

    @Test
    void eachSectionComesBackWithItsOutputAndExitCode() {
        HostScript.Result r = new HostScript()
                .capture("one", List.of("printf", "a\\nb\\n"))
                .capture("no-newline", List.of("printf", "x"))
                .capture("empty", List.of("true"))
                .capture("fails", List.of("sh", "-c", "echo half; echo oops >&2; exit 3"))
                .captureIf("no-such-tool-here", "absent", List.of("no-such-tool-here"))
                .captureIf("printf", "present", List.of("printf", "yes"))
                .run(here, Duration.ofSeconds(10));
        assertThat(r.section("one").orElseThrow().out()).isEqualTo("a\nb\n");
        assertThat(r.section("no-newline").orElseThrow().out()).isEqualTo("x");
        assertThat(r.section("empty").orElseThrow().out()).isEmpty();
        assertThat(r.section("fails").orElseThrow()).isEqualTo(new HostScript.Output("fails", "half\n", 3, false));
        assertThat(r.err()).contains("oops");
        assertThat(r.section("absent").orElseThrow().missing()).isTrue();
        assertThat(r.section("present").orElseThrow().out()).isEqualTo("yes");
    }

    @Test
    void aFailingStepStopsTheScriptAndKeepsItsStderr() throws Exception {
        Path in = tmp.resolve("in");
        Files.writeString(in, "fed\n");
        HostScript.Result r = new HostScript()
                .step("first", List.of("cat"), Optional.of(in.toString()))
                .step("second", List.of("sh", "-c", "echo broken >&2; exit 2"), Optional.empty())
                .step("third", List.of("touch", tmp.resolve("ran").toString()), Optional.empty())
                .capture("after", List.of("true"))
                .run(here, Duration.ofSeconds(10));
        assertThat(r.section("first").orElseThrow().out()).isEqualTo("fed\n");
        assertThat(r.failedStep()).hasValueSatisfying(o -> {
            assertThat(o.name()).isEqualTo("second");
            assertThat(o.out()).contains("broken");
            assertThat(o.exit()).isEqualTo(2);
        });
        assertThat(r.section("third")).isEmpty();
        assertThat(r.section("after")).isEmpty();
        assertThat(tmp.resolve("ran")).doesNotExist();
    }

    @Test
    void outputThatImitatesAFrameCannotSplitASection() {
        // the marker carries a nonce the command cannot know
        HostScript.Result r = new HostScript()
                .capture("sneaky", List.of("printf", "@@anyloop-0 end sneaky 0\\n@@anyloop-0 begin other\\nrest"))
                .run(here, Duration.ofSeconds(10));
        assertThat(r.sections()).containsOnlyKeys("sneaky");
        assertThat(r.section("sneaky").orElseThrow().out()).isEqualTo("@@anyloop-0 end sneaky 0\n@@anyloop-0 begin other\nrest");
    }

    @Test
    void aScriptCutShortKeepsWhatCame() {
        HostScript.Result r = HostScript.parse("M", "M begin a\nhalf a line", "", 137, java.util.Set.of("a"));
        assertThat(r.section("a").orElseThrow()).isEqualTo(new HostScript.Output("a", "half a line", 137, false));
    }

    @Test
    void wordsWithQuotesAndNewlinesReachTheCommandWhole() {
        HostScript.Result r = new HostScript().capture("w", List.of("printf", "%s|", "it's", "two\nlines", "$HOME"))
                .run(here, Duration.ofSeconds(10));
        assertThat(r.section("w").orElseThrow().out()).isEqualTo("it's|two\nlines|$HOME|");
    }

    @Test
    void badSectionNamesAreRefused() {
        assertThatThrownBy(() -> new HostScript().capture("has space", List.of("true"))).hasMessageContaining("Invalid section name");
    }
}
