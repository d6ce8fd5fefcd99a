package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkdRendererTest {
    @Test
    void oneFilePerInterfaceLoFirstSysctlsLast() {
        Map<String, String> files = NetworkdRenderer.render(Fixtures.router());
        assertThat(files.keySet()).containsExactly("10-anyloop-lo.network", "20-anyloop-eth0.network",
                "20-anyloop-eth1.network", "99-anyloop.conf");
        assertThat(files.get("99-anyloop.conf")).isEqualTo(SysctlRenderer.render(Fixtures.router()));
        assertThat(files.get("10-anyloop-lo.network")).contains("Address=10.53.0.1/32\n").doesNotContain("127.0.0.1");
    }

    @Test
    void theDefaultRouteIsAGatewayAndForwardingIsSaid() {
        String eth0 = NetworkdRenderer.render(Fixtures.router()).get("20-anyloop-eth0.network");
        assertThat(eth0).contains("[Route]\nGateway=198.51.100.1\nProtocol=77\n").contains("IPForward=yes\n")
                .doesNotContain("Destination=0.0.0.0/0");
        assertThat(NetworkdRenderer.render(Fixtures.desktop()).get("20-anyloop-eth0.network")).doesNotContain("IPForward");
        assertThat(NetworkdRenderer.render(Fixtures.v6Host()).get("20-anyloop-eth0.network")).contains("IPForward=ipv6\n");
    }

    @Test
    void t8TurnsOffTheKernelPrefixRouteAndAddsOursWithTheSource() {
        String eth1 = NetworkdRenderer.render(Fixtures.router()).get("20-anyloop-eth1.network");
        assertThat(eth1).contains("[Address]\nAddress=192.168.1.1/24\nAddPrefixRoute=no\n")
                .contains("[Route]\nDestination=192.168.1.0/24\nPreferredSource=10.53.0.2\nProtocol=kernel\nScope=link\n")
                .doesNotContain("\nAddress=192.168.1.1/24\n\n");
    }

    @Test
    void leavesDockerInterfacesToDocker() {
        assertThat(NetworkdRenderer.render(Fixtures.dockerHost()).keySet()).noneMatch(f -> f.contains("docker0"));
    }

    @Test
    void aDownLinkStaysDown() {
        DeviceState d = Fixtures.desktop();
        DeviceState down = d.withLinks(List.of(new Link("lo", Link.Kind.LOOPBACK, true), new Link("eth0", Link.Kind.ETHER, false)));
        assertThat(NetworkdRenderer.render(down).get("20-anyloop-eth0.network")).contains("[Link]\nActivationPolicy=down\n");
        assertThat(IpBatchRenderer.render(down)).contains("link set dev eth0 down\n");
    }
}
