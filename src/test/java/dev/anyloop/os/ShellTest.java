package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one quoting function: whatever a word holds, sh reads it back as that one word. */
class ShellTest {
    private static final CommandRunner RUN = new CommandRunner(Duration.ofSeconds(10));

    /** What sh makes of {@code quote(w)}: printf prints its one argument back, NUL-terminated so a count shows up too. */
    private static String throughSh(List<String> words) {
        String script = "printf '%s\\0' " + Shell.words(words) + "\n";
        return RUN.run(List.of("sh", "-s"), Optional.of(script), Duration.ofSeconds(10)).orThrow().out();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "two words", "it's", "'", "''", "\"", "$HOME", "`id`", "$(id)", "a;b", "a|b", "*",
        "~", "\\", "\\'", "line\nbreak", "tab\there", "-n", "#comment", "!", "{a,b}", "é ü 中", "'; rm -rf / #"})
    void everyWordComesBackAsItself(String w) {
        assertThat(throughSh(List.of(w))).isEqualTo(w + "\0");
    }

    @Property(tries = 200)
    void anyTextComesBackAsOneWord(@ForAll @StringLength(max = 40) @CharRange(from = 1, to = 0x7f) String a,
                                   @ForAll @StringLength(max = 10) String b) {
        String bb = b.replace("\0", "");
        assertThat(throughSh(List.of(a, bb))).isEqualTo(a + "\0" + bb + "\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "\0"})
    void nulCannotBeQuotedAndIsRefused(String w) {
        assertThatThrownBy(() -> Shell.quote(w)).hasMessageContaining("NUL");
    }

    @org.junit.jupiter.api.Test
    void anEmptyCommandIsRefused() {
        assertThatThrownBy(() -> Shell.words(List.of())).hasMessageContaining("no words");
    }
}
