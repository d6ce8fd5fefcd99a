package dev.anyloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SysctlKeyTest {
    @ParameterizedTest
    @EnumSource(SysctlKey.class)
    void everyKeyIsKeptForAllDefaultAndAnInterface(SysctlKey k) {
        if (k.perDevice()) {
            for (String dev : new String[] {"all", "default", "eth0", "eth0.100", "veth-x_1"}) assertThat(SysctlKey.kept(k.key(dev))).isTrue();
        } else {
            assertThat(SysctlKey.kept(k.key())).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"net.ipv4.ip_forward_use_pmtu", "net.ipv4.conf.all.rp_filter_x", "net.ipv4.neigh.default.gc_thresh1",
            "net.ipv4.conf.a.b.rp_filter", "net.ipv4.icmp_echo_ignore_broadcasts", "xnet.ipv4.ip_forward"})
    void otherKeysAreDropped(String key) {
        assertThat(SysctlKey.kept(key)).isFalse();
    }

    @Test
    void aDottedInterfaceNameIsWrittenWithASlash() {
        assertThat(SysctlKey.RP_FILTER.key("eth0.100")).isEqualTo("net.ipv4.conf.eth0/100.rp_filter");
    }

    @ParameterizedTest
    @CsvSource({
        // key, all, default, dev, expected: MAX keys take the larger, OR keys either, a device without a key conf.default's
        "RP_FILTER, 1, , 2, 2", "RP_FILTER, 2, , 0, 2", "RP_FILTER, , 1, , 1", "RP_FILTER, , , , 0",
        "ARP_IGNORE, 0, 2, , 2", "ROUTE_LOCALNET, 1, , 0, 1", "ROUTE_LOCALNET, 0, , 1, 1", "SEND_REDIRECTS, 0, 0, , 0",
        "SEND_REDIRECTS, , , , 1", "IPV4_FORWARDING, 1, , 0, 0"})
    void combinesAllDefaultAndTheDeviceAsTheKernelDoes(SysctlKey k, String all, String def, String dev, int expected) {
        Map<String, String> m = new HashMap<>();
        if (all != null) m.put(k.key("all"), all);
        if (def != null) m.put(k.key("default"), def);
        if (dev != null) m.put(k.key("eth0"), dev);
        assertThat(Sysctls.of(m).get(k, "eth0")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"})
    void writingIpv4ForwardingOnForAllSetsEveryDeviceAsTheKernelDoes(String written) {
        Sysctls read = Sysctls.of(Map.of("net.ipv4.ip_forward", "0", "net.ipv4.conf.all.forwarding", "0", "net.ipv4.conf.default.forwarding", "0",
                "net.ipv4.conf.eth1.forwarding", "0", "net.ipv4.conf.eth0.rp_filter", "2"));
        assertThat(read.ipv4Forwarding("eth1")).isFalse();
        Sysctls s = read.written(Map.of(written, "1"));
        assertThat(s.ipv4Forwarding()).isTrue();
        assertThat(s.ipv4Forwarding("eth1")).isTrue();
        assertThat(s.get("net.ipv4.conf.default.forwarding")).contains("1");
        assertThat(s.get("net.ipv4.conf.eth0.rp_filter")).contains("2");
    }

    @Test
    void writingOneDevicesForwardingOrIpv6AllSetsWhatTheKernelSets() {
        Sysctls read = Sysctls.of(Map.of("net.ipv4.ip_forward", "1", "net.ipv4.conf.eth0.forwarding", "1", "net.ipv4.conf.eth1.forwarding", "1",
                "net.ipv6.conf.all.forwarding", "0", "net.ipv6.conf.eth0.forwarding", "0"));
        Sysctls one = read.written(Map.of("net.ipv4.conf.eth0.forwarding", "0"));
        assertThat(one.ipv4Forwarding("eth0")).isFalse();
        assertThat(one.ipv4Forwarding("eth1")).isTrue();
        assertThat(one.ipv4Forwarding()).isTrue();
        Sysctls v6 = read.written(Map.of("net.ipv6.conf.all.forwarding", "1"));
        assertThat(v6.get(SysctlKey.IPV6_FORWARDING, "eth0")).isEqualTo(1);
        assertThat(v6.get("net.ipv6.conf.default.forwarding")).contains("1");
    }

    @Test
    void echoIgnoreIsPerFamily() {
        Sysctls s = Sysctls.of(Map.of("net.ipv6.icmp.echo_ignore_all", "1"));
        assertThat(s.ignoresEcho(Family.V6)).isTrue();
        assertThat(s.ignoresEcho(Family.V4)).isFalse();
    }
}
