package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Listener;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SsParserTest {
    private static Listener one(String line) throws SnapshotException {
        List<Listener> l = SsParser.parse("listen.txt", line);
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    /** Lines exactly as ss -Hlntup printed them for the socat sockets of the capture (see README.md). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // line | proto | address | port | v6only | dev | process
        "tcp LISTEN 0      5                              0.0.0.0:22   0.0.0.0:* users:((\"socat\",pid=6321,fd=5))|TCP|0.0.0.0|22|false||socat",
        "tcp LISTEN 0      5                                    *:80         *:* users:((\"socat\",pid=6322,fd=5))|TCP|::|80|false||socat",
        "tcp LISTEN 0      5                                 [::]:81      [::]:* users:((\"socat\",pid=6323,fd=5))|TCP|::|81|true||socat",
        "tcp LISTEN 0      5                         10.53.0.1%lo:53   0.0.0.0:* users:((\"socat\",pid=6324,fd=5))|TCP|10.53.0.1|53|false|lo|socat",
        "udp UNCONN 0      0                                    *:53         *:* users:((\"socat\",pid=6325,fd=5))|UDP|::|53|false||socat",
        "udp UNCONN 0      0                                 [::]:54      [::]:* users:((\"socat\",pid=6326,fd=5))|UDP|::|54|true||socat",
        "tcp LISTEN 0      5                         [fd00:53::1]:443     [::]:*|TCP|fd00:53::1|443|false||",
        "tcp LISTEN 0      5      [fe80::c09f:bdff:fe89:9535]%va0:444     [::]:*|TCP|fe80::c09f:bdff:fe89:9535|444|false|va0|",
        "tcp LISTEN 0      5                   [::ffff:10.53.0.1]:445        *:*|TCP|10.53.0.1|445|false||",
        "udp UNCONN 0      0                          0.0.0.0%va0:68   0.0.0.0:*|UDP|0.0.0.0|68|false|va0|",
        "tcp LISTEN 0      5                                *%va0:82         *:*|TCP|::|82|false|va0|",
        "udp UNCONN 0      0                             [::]%va0:547     [::]:*|UDP|::|547|true|va0|",
        // the brief's examples and the single-protocol form without the Netid column
        "tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:*|TCP|0.0.0.0|22|false||",
        "LISTEN 0      5                            127.0.0.1:8080 0.0.0.0:*|TCP|127.0.0.1|8080|false||",
        "UNCONN 0      0        10.53.0.1:5353 0.0.0.0:*|UDP|10.53.0.1|5353|false||",
        "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=1,fd=3),(\"sshd\",pid=9,fd=3))|TCP|0.0.0.0|22|false||sshd",
    })
    void realLines(String line, Proto proto, String addr, int port, boolean v6only, String dev, String process) throws SnapshotException {
        assertThat(one(line)).isEqualTo(new Listener(proto, Ip.parse(addr), port, v6only, process == null ? "" : process,
                Optional.ofNullable(dev)));
    }

    @Test
    void wholeRealFiles() throws SnapshotException {
        List<Listener> withP = SsParser.parse("listen.txt", Fixtures.real("router/listen.txt"));
        List<Listener> without = SsParser.parse("listen.txt", Fixtures.real("router-listen-noproc.txt"));
        assertThat(withP).hasSize(14).allMatch(l -> l.process().equals("socat"));
        assertThat(without).hasSize(14).allMatch(l -> l.process().isEmpty());
        assertThat(SsParser.parse("listen.txt", Fixtures.real("peer/listen.txt"))).isEmpty();
    }

    @Test
    void dualStackWildcardTakesIpv4AndV6onlyDoesNot() throws SnapshotException {
        Listener dual = one("tcp LISTEN 0 5 *:80 *:*");
        Listener v6 = one("tcp LISTEN 0 5 [::]:81 [::]:*");
        assertThat(dual.accepts(Proto.TCP, Ip.parse("10.0.0.1"), 80)).isTrue();
        assertThat(v6.accepts(Proto.TCP, Ip.parse("10.0.0.1"), 81)).isFalse();
        assertThat(v6.accepts(Proto.TCP, Ip.parse("fd00::1"), 81)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "raw UNCONN 0 0 0.0.0.0:1 0.0.0.0:*|listen.txt:1: expected 'tcp' or 'udp' (or the state LISTEN/UNCONN), found 'raw'",
        "tcp ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000|listen.txt:1: expected state LISTEN or UNCONN (ss -l), found 'ESTAB'",
        "tcp LISTEN 0 5 0.0.0.0:22|listen.txt:1: expected NETID STATE RECV-Q SEND-Q LOCAL PEER",
        "tcp LISTEN x 5 0.0.0.0:22 0.0.0.0:*|listen.txt:1: expected numeric Recv-Q and Send-Q, found 'x 5'",
        "tcp LISTEN 0 5 0.0.0.0 0.0.0.0:*|listen.txt:1: expected ADDR:PORT, found '0.0.0.0'",
        "tcp LISTEN 0 5 0.0.0.0:ssh 0.0.0.0:*|listen.txt:1: expected a port number 0-65535 after ':' in '0.0.0.0:ssh', found 'ssh'",
        "tcp LISTEN 0 5 0.0.0.0:70000 0.0.0.0:*|found '70000'",
        "tcp LISTEN 0 5 fd00::1:22 *:*|listen.txt:1: expected '*', an IPv4 address or '[IPv6]' before ':22', found 'fd00::1'",
        "tcp LISTEN 0 5 [10.0.0.1]:22 *:*|found '[10.0.0.1]'",
        "tcp LISTEN 0 5 host:22 *:*|found 'host'",
    })
    void errorsNameLine(String line, String message) {
        assertThatThrownBy(() -> SsParser.parse("listen.txt", line)).isInstanceOf(SnapshotException.class).hasMessageContaining(message);
    }

    @Test
    void errorLineNumberCountsBlankLines() {
        assertThatThrownBy(() -> SsParser.parse("listen.txt", "tcp LISTEN 0 5 0.0.0.0:22 0.0.0.0:*\n\nbad"))
                .hasMessageStartingWith("listen.txt:3: ");
    }
}
