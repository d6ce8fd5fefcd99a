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

    @Test
    void echoIgnoreIsPerFamily() {
        Sysctls s = Sysctls.of(Map.of("net.ipv6.icmp.echo_ignore_all", "1"));
        assertThat(s.ignoresEcho(Family.V6)).isTrue();
        assertThat(s.ignoresEcho(Family.V4)).isFalse();
    }
}
