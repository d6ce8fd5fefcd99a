package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetnsTest {
    @Test
    void batchLinesQuoteWordsWithBlanks() {
        assertThat(Netns.batchLine(List.of("netns", "exec", "al-t-h1", "setsid", "-f", "socat", "TCP4-LISTEN:80,fork", "EXEC:/bin/echo h1")))
                .isEqualTo("netns exec al-t-h1 setsid -f socat TCP4-LISTEN:80,fork \"EXEC:/bin/echo h1\"");
        assertThat(Netns.sysctlLine("al-t-h1", List.of("net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=2")))
                .isEqualTo("netns exec al-t-h1 sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#x", "a\"b", "a'b", "a\\b", "a\nb", "a\tb"})
    void wordsThatWouldChangeTheSplitAreRefused(String w) {
        assertThatThrownBy(() -> Netns.batchLine(List.of("x", w))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("for an ip batch line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".", "a b", "x;y"})
    void badNamespaceNamesAreRefused(String ns) {
        assertThatThrownBy(() -> Netns.check(ns)).hasMessageContaining("Invalid namespace name '" + ns + "'");
    }
}
