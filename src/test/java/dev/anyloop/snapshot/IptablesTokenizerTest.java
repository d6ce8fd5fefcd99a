package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.snapshot.IptablesTokenizer.Token;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IptablesTokenizerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "-m comment --comment \"a b\" -j ACCEPT|-m,comment,--comment,a b,-j,ACCEPT",
        "--comment \"telnet is \\\"old\\\" here\"|--comment,telnet is \"old\" here",
        "--log-prefix \"in-drop: \"|--log-prefix,in-drop: ",
        "a\"b c\"d  e|ab cd,e",
        "\"\"|''",
    })
    void splitsLikeIptablesRestore(String line, String words) throws SnapshotException {
        List<String> expected = List.of(words.split(",", -1)).stream().map(w -> w.equals("''") ? "" : w).toList();
        assertThat(IptablesTokenizer.split("f", 1, line)).extracting(Token::text).containsExactlyElementsOf(expected);
    }

    /** Printing tokens and splitting them again gives back the same words, whatever they hold. */
    @Property(tries = 300)
    void joinThenSplitRoundTrips(@ForAll @Size(max = 6) List<@StringLength(max = 8) @NotEmpty
            @Chars({' ', '"', '\\', '-', '!', '\t'}) @CharRange(from = 'a', to = 'e') String> words) throws SnapshotException {
        List<Token> tokens = words.stream().map(w -> new Token(w, true)).toList();
        assertThat(IptablesTokenizer.split("f", 1, IptablesTokenizer.join(tokens))).extracting(Token::text)
                .containsExactlyElementsOf(words);
    }
}
