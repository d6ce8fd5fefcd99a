package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The three ways to name a target, their canonical text, and every malformed one refused with the reason. */
class TargetSpecTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "local|local",
        "netns:al-home-router|netns:al-home-router",
        "ssh://root@192.168.1.1|ssh://root@192.168.1.1",
        "ssh://root@192.168.1.1:22|ssh://root@192.168.1.1",
        "ssh://pi@pi2.lan:2222|ssh://pi@pi2.lan:2222",
        "ssh://router|ssh://root@router",
        "ssh://admin@[fd00::1]:22|ssh://admin@[fd00::1]",
        "SSH://root@Router.Lan/|ssh://root@Router.Lan",
    })
    void readsAndPrintsCanonically(String in, String canonical) {
        TargetSpec t = TargetSpec.parse(in);
        assertThat(t.toString()).isEqualTo(canonical);
        assertThat(TargetSpec.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void knownHostsNamesTheHostAsOpenSshDoes() {
        assertThat(TargetSpec.parse("ssh://root@10.0.0.1").knownHostsName()).isEqualTo("10.0.0.1");
        assertThat(TargetSpec.parse("ssh://root@10.0.0.1:2222").knownHostsName()).isEqualTo("[10.0.0.1]:2222");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://root@host|unknown scheme 'ftp'",
        "http://x|unknown scheme 'http'",
        "telnet:router|unknown scheme 'telnet'",
        "router|expected local, netns:NAME or ssh://user@host[:port]",
        "netns:|the namespace name '' is not one",
        "netns:a/b|the namespace name 'a/b' is not one",
        "ssh://|no host after ssh://",
        "ssh://root@|no host after ssh://",
        "ssh://root@host:0|port 0 is not in 1-65535",
        "ssh://root@host:65536|port 65536 is not in 1-65535",
        "ssh://root@host:ssh|port 'ssh' is not a number",
        "ssh://ro ot@host|'ro ot' is not a user name",
        "ssh://$(id)@host|'$(id)' is not a user name",
        "ssh://root@host;rm|'host;rm' is not a host name",
        "ssh://root@-host|'-host' is not a host name",
        "ssh://root@[10.0.0.1]|only an IPv6 address goes in brackets",
        "ssh://root@[nonsense]|'nonsense' in brackets is not an IPv6 address",
        "ssh://root@fd00::1|an IPv6 address goes in brackets",
        "ssh://root@host/path|expected ssh://user@host[:port]",
    })
    void refusesWithTheInputAndTheReason(String in, String why) {
        assertThatThrownBy(() -> TargetSpec.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid target '" + in + "': ").hasMessageContaining(why);
    }
}
