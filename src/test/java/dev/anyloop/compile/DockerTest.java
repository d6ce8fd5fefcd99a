package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Network;
import org.junit.jupiter.api.Test;

class DockerTest {
    private static Network blog() {
        return Compiler.compile(Home.base().service("blog").addresses("10.10.10.20").ports("tcp/80").hosts("desktop")
                .allowSegments("lan").docker("ghost", 2368, 80).done().build());
    }

    @Test
    void t5NatChainsAsDockerInstallsThem() {
        Netfilter d = blog().host("desktop").orElseThrow().ipv4();
        assertThat(Text.headers(d, "nat")).containsExactly(
                ":PREROUTING ACCEPT", ":INPUT ACCEPT", ":OUTPUT ACCEPT", ":POSTROUTING ACCEPT", ":DOCKER -");
        assertThat(Text.chain(d, "nat", "PREROUTING")).containsExactly("-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER");
        assertThat(Text.chain(d, "nat", "OUTPUT")).containsExactly(
                "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER");
        assertThat(Text.chain(d, "nat", "POSTROUTING")).containsExactly(
                "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
                "-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 2368 -j MASQUERADE");
        assertThat(Text.chain(d, "nat", "DOCKER")).containsExactly(
                "-A DOCKER -i docker0 -j RETURN",
                "-A DOCKER -d 10.10.10.20/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:2368");
    }

    @Test
    void t5FilterChainsWithRestrictionInDockerUserAndEchoOnlyOnTheHost() {
        Netfilter d = blog().host("desktop").orElseThrow().ipv4();
        assertThat(Text.headers(d, "filter")).containsExactly(":INPUT ACCEPT", ":FORWARD DROP", ":OUTPUT ACCEPT",
                ":AL-DK-blog -", ":AL-IN-blog -", ":AL-PORTS-blog -", ":DOCKER -", ":DOCKER-ISOLATION-STAGE-1 -",
                ":DOCKER-ISOLATION-STAGE-2 -", ":DOCKER-USER -");
        assertThat(Text.chain(d, "filter", "FORWARD")).containsExactly(
                "-A FORWARD -j DOCKER-USER",
                "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
                "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -o docker0 -j DOCKER",
                "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
                "-A FORWARD -i docker0 -o docker0 -j ACCEPT");
        assertThat(Text.chain(d, "filter", "DOCKER")).containsExactly(
                "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 2368 -j ACCEPT");
        assertThat(Text.chain(d, "filter", "DOCKER-ISOLATION-STAGE-1")).containsExactly(
                "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
                "-A DOCKER-ISOLATION-STAGE-1 -j RETURN");
        assertThat(Text.chain(d, "filter", "DOCKER-ISOLATION-STAGE-2")).containsExactly(
                "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
                "-A DOCKER-ISOLATION-STAGE-2 -j RETURN");
        assertThat(Text.chain(d, "filter", "DOCKER-USER")).containsExactly(
                "-A DOCKER-USER -d 172.17.0.2/32 -o docker0 -j AL-DK-blog",
                "-A DOCKER-USER -j RETURN");
        assertThat(Text.chain(d, "filter", "AL-DK-blog")).containsExactly(
                "-A AL-DK-blog -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
                "-A AL-DK-blog -s 192.168.1.0/24 -j RETURN",
                "-A AL-DK-blog -j DROP");
        // INPUT -d X still hides the host's own sockets on X: the DNAT'ed port never reaches INPUT.
        assertThat(Text.chain(d, "filter", "INPUT")).containsExactly("-A INPUT -d 10.10.10.20/32 -j AL-IN-blog");
        assertThat(Text.chain(d, "filter", "AL-PORTS-blog")).containsExactly(
                "-A AL-PORTS-blog -p icmp -m icmp --icmp-type 8 -j ACCEPT",
                "-A AL-PORTS-blog -j DROP");
    }

    @Test
    void t5ContainerIsItsOwnHostOnTheDocker0Segment() {
        Network n = blog();
        assertThat(n.hosts().keySet()).containsSubsequence("desktop", "desktop-ghost", "laptop");
        DeviceState desktop = n.host("desktop").orElseThrow();
        assertThat(desktop.link("docker0")).contains(new Link("docker0", Link.Kind.BRIDGE, true));
        assertThat(desktop.sysctls().ipv4Forwarding()).isTrue();
        assertThat(Text.routes(desktop, Family.V4)).contains("172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1");
        assertThat(desktop.listeners()).isEmpty();
        assertThat(desktop.hasAddress(dev.anyloop.net.Ip.parse("10.10.10.20"))).isTrue();

        DeviceState ghost = n.host("desktop-ghost").orElseThrow();
        assertThat(Text.routes(ghost, Family.V4)).containsExactly(
                "0.0.0.0/0 via 172.17.0.1 dev eth0 proto boot",
                "172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2",
                "local 127.0.0.1 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 127.0.0.0/8 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 172.17.0.2 table local dev eth0 proto kernel scope host src 172.17.0.2");
        assertThat(Text.listeners(ghost)).containsExactly("tcp 0.0.0.0:2368 (ghost)");
        assertThat(ghost.sysctls().ipv4Forwarding()).isFalse();
        assertThat(ghost.ipv4().tables()).isEmpty();
        assertThat(n.segmentOf("desktop", "docker0").orElseThrow().ports().stream().map(Object::toString))
                .containsExactly("desktop:docker0", "desktop-ghost:eth0");
        assertThat(n.segmentOf("desktop-ghost", "eth0").orElseThrow().name()).isEqualTo("desktop-docker0");
    }

    @Test
    void containersAreNumberedFromTwoInServiceOrderAndOpenServicesGetNoDockerUserJump() {
        Network n = Compiler.compile(Home.base()
                .service("blog").addresses("10.10.10.20").ports("tcp/80").hosts("desktop").docker("ghost", 2368, 80).done()
                .service("wiki").addresses("10.10.10.21").ports("tcp/80").hosts("desktop").allowSegments("lan")
                    .docker("wiki", 3000, 80).done().build());
        Netfilter d = n.host("desktop").orElseThrow().ipv4();
        assertThat(Text.chain(d, "nat", "DOCKER")).containsExactly(
                "-A DOCKER -i docker0 -j RETURN",
                "-A DOCKER -d 10.10.10.20/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:2368",
                "-A DOCKER -d 10.10.10.21/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.3:3000");
        assertThat(Text.chain(d, "filter", "DOCKER-USER")).containsExactly(
                "-A DOCKER-USER -d 172.17.0.3/32 -o docker0 -j AL-DK-wiki",
                "-A DOCKER-USER -j RETURN");
        assertThat(n.segmentOf("desktop", "docker0").orElseThrow().ports()).hasSize(3);
        assertThat(n.host("desktop-wiki").orElseThrow().hasAddress(dev.anyloop.net.Ip.parse("172.17.0.3"))).isTrue();
    }

    @Test
    void sameContainerTwiceOnAHostIsRefused() {
        assertThatThrownBy(() -> Compiler.compile(Home.base()
                .service("a").addresses("10.10.10.20").ports("tcp/80").hosts("desktop").docker("ghost", 2368, 80).done()
                .service("b").addresses("10.10.10.21").ports("tcp/80").hosts("desktop").docker("ghost", 2368, 80).done()
                .build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("container 'ghost' is published twice on host desktop");
    }

    @Test
    void containerHostNameClashingWithADeclaredHostIsRefused() {
        assertThatThrownBy(() -> Compiler.compile(Home.base().host("desktop-ghost").done()
                .service("a").addresses("10.10.10.20").ports("tcp/80").hosts("desktop").docker("ghost", 2368, 80).done()
                .build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'desktop-ghost' clashes with a declared host");
    }
}
