package dev.anyloop.render;

import dev.anyloop.state.DeviceState;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every renderer's output for the hand-built fixtures, pinned byte for byte (see {@link Golden} to refresh). */
class GoldenRenderTest {
    static final String CASE = "fixtures";

    static Stream<DeviceState> hosts() { return Fixtures.all().values().stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void ipBatch(DeviceState d) {
        Golden.assertMatches(CASE, d.host(), "ip-batch", IpBatchRenderer.render(d));
        Golden.assertMatches(CASE, d.host(), "ip6-rules-batch", IpBatchRenderer.renderV6Rules(d));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void iptables(DeviceState d) {
        Golden.assertMatches(CASE, d.host(), "iptables", IptablesRenderer.render(d.ipv4()));
        Golden.assertMatches(CASE, d.host(), "ip6tables", IptablesRenderer.render(d.ipv6()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void nft(DeviceState d) {
        Golden.assertMatches(CASE, d.host(), "nft", NftRenderer.render(d));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void networkd(DeviceState d) {
        Golden.assertMatches(CASE, d.host(), "networkd", NetworkdRenderer.render(d));
        Golden.assertMatches(CASE, d.host(), "sysctl", SysctlRenderer.render(d));
    }
}
