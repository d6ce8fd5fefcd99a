package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.state.Sysctls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SysctlParserTest {
    @Test
    void realOutput() throws SnapshotException {
        Sysctls s = SysctlParser.parse("sysctl.txt", Fixtures.real("router/sysctl.txt"));
        assertThat(s.ipv4Forwarding()).isTrue();
        assertThat(s.ipv6Forwarding()).isTrue();
        assertThat(s.rpFilter("va0")).isEqualTo(2); // max(all=2, va0=1)
        assertThat(s.rpFilter("lo")).isEqualTo(2);
        assertThat(s.routeLocalnet("va0")).isTrue();
        assertThat(s.routeLocalnet("dum0")).isFalse();
        assertThat(s.ignoresEcho()).isFalse();
        assertThat(s.values()).hasSize(21);
        Sysctls peer = SysctlParser.parse("sysctl.txt", Fixtures.real("peer/sysctl.txt"));
        assertThat(peer.ipv4Forwarding()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "net.ipv4.ip_forward = 1|net.ipv4.ip_forward|1",
        "net.ipv4.ip_forward=1|net.ipv4.ip_forward|1",
        "  net.ipv4.ip_local_port_range = 32768\t60999|net.ipv4.ip_local_port_range|32768\t60999",
        "net/ipv4/conf/eth0.100/rp_filter = 2|net.ipv4.conf.eth0/100.rp_filter|2",
        "-net.ipv4.conf.all.rp_filter = 0|net.ipv4.conf.all.rp_filter|0",
        "kernel.domainname = |kernel.domainname|''",
    })
    void lineForms(String line, String key, String value) throws SnapshotException {
        assertThat(SysctlParser.parse("sysctl.txt", "# comment\n; also\n\n" + line).get(key)).contains(value == null ? "" : value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "net.ipv4.ip_forward 1|sysctl.txt:2: expected 'key = value', found 'net.ipv4.ip_forward 1'",
        "= 1|sysctl.txt:2: expected a key such as net.ipv4.ip_forward before '=', found ''",
        "net ipv4 = 1|sysctl.txt:2: expected a key such as net.ipv4.ip_forward before '=', found 'net ipv4'",
    })
    void badLineNamesItsNumber(String line, String message) {
        assertThatThrownBy(() -> SysctlParser.parse("sysctl.txt", "a.b = 1\n" + line)).isInstanceOf(SnapshotException.class)
                .hasMessage(message);
    }
}
