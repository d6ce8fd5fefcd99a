package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** iputils ping -n -O lines, as Debian 12's ping prints them. */
class PingLinesTest {
    static final long TIMEOUT = 250_000_000;

    @Test
    void replies() {
        Outcome o = PingLines.parse("64 bytes from 10.53.0.53: icmp_seq=3 ttl=64 time=0.047 ms", TIMEOUT).orElseThrow();
        assertThat(o.kind()).isEqualTo(Outcome.Kind.OK);
        assertThat(o.latencyNanos()).isEqualTo(47_000);
        assertThat(PingLines.parse("64 bytes from 10.53.0.53: icmp_seq=4 ttl=64 time=312 ms", TIMEOUT).orElseThrow().kind())
                .isEqualTo(Outcome.Kind.FAIL);
    }

    @Test
    void failures() {
        assertThat(PingLines.parse("no answer yet for icmp_seq=7", TIMEOUT).orElseThrow().kind()).isEqualTo(Outcome.Kind.FAIL);
        Outcome u = PingLines.parse("From 192.168.1.1 icmp_seq=8 Destination Host Unreachable", TIMEOUT).orElseThrow();
        assertThat(u.kind()).isEqualTo(Outcome.Kind.FAIL);
        assertThat(u.detail()).isEqualTo("icmp: Destination Host Unreachable (from 192.168.1.1)");
    }

    @Test
    void pingsOwnErrorsAreTheCheckersNotTheInstances() {
        assertThat(PingLines.parse("ping: bind: Cannot assign requested address", TIMEOUT).orElseThrow().kind()).isEqualTo(Outcome.Kind.LOCAL);
        assertThat(PingLines.parse("ping: sendmsg: Invalid argument", TIMEOUT).orElseThrow().kind()).isEqualTo(Outcome.Kind.LOCAL);
    }

    @Test
    void bannerAndSummarySayNothing() {
        assertThat(PingLines.parse("PING 10.53.0.53 (10.53.0.53) from 10.255.1.2 : 56(84) bytes of data.", TIMEOUT)).isEmpty();
        assertThat(PingLines.parse("--- 10.53.0.53 ping statistics ---", TIMEOUT)).isEmpty();
        assertThat(PingLines.parse("", TIMEOUT)).isEmpty();
    }
}
