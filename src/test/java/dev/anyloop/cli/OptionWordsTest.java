package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.lab.Lab;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Enum options take the lower-case words Linux tools use: {@code --backend iptables|nft}, {@code --proto tcp|udp|icmp}. */
class OptionWordsTest {
    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nft", "NFT"})
    void backendWordsAreAccepted(String word) {
        dev.anyloop.apply.Backend b = new BackendOption.Converter().convert(word);
        assertThat(BackendOption.word(b)).isEqualTo(word.toLowerCase(java.util.Locale.ROOT));
        // the option parses; the missing file is what stops the command (exit 2 with its position, not a usage error)
        Cli up = Cli.run("lab", "up", "no/such.yaml", "--backend", word);
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.err()).contains("no/such.yaml:0:0: cannot read file").doesNotContain("is not a backend");
    }

    @Test
    void aBadBackendIsAUsageErrorNamingTheWords() {
        Cli up = Cli.run("lab", "up", "examples/home.yaml", "--backend", "pf");
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.err()).contains("'pf' is not a backend: expected iptables or nft");
    }

    @Test
    void helpAndCompletionShowLowerCaseWords() {
        List<String> words = new ArrayList<>();
        new BackendOption.Words().forEach(words::add);
        assertThat(words).containsExactly("iptables", "nft");
        String help = new CommandLine(new LabCommand.Up()).getUsageMessage();
        assertThat(help).contains("iptables or nft (default iptables)").doesNotContain("IPTABLES");
        assertThat(new CommandLine(new DemoCommand()).getUsageMessage()).contains("(default iptables)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "TCP"})
    void protoWordsAreAccepted(String word) {
        Cli t = Cli.run("trace", "examples/home.yaml", "--from", "laptop", "--to", "10.10.10.10", "--proto", word, "--port", "80");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("tcp 10.10.10.10:80");
    }
}
