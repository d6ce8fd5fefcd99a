package dev.anyloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.nft.NftRuleset;
import dev.anyloop.state.nft.NftFamily;
import dev.anyloop.state.nft.NftTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceStateTest {
    static DeviceState sample() {
        return DeviceState.builder("h")
                .link(new Link("lo", Link.Kind.LOOPBACK, true)).link(new Link("eth0", Link.Kind.ETHER, true))
                .address(Address.global("eth0", InterfaceAddress.parse("10.0.0.2/24")))
                .route(Route.via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.0.0.1"), "eth0", 0, "static"))
                .rule(PolicyRule.lookup(Family.V4, 100, 200))
                .sysctl("net.ipv4.ip_forward", "1")
                .listener(Listener.of(Proto.TCP, Ip.parse("10.0.0.2"), 22, "sshd"))
                .nftables(new NftRuleset(List.of(new NftTable(NftFamily.INET, "f", List.of(), List.of()))))
                .build();
    }

    @Test
    void theBuilderFillsEveryPartAndTheRestIsEmpty() {
        DeviceState d = sample();
        assertThat(d.links()).hasSize(2);
        assertThat(d.hasAddress(Ip.parse("10.0.0.2"))).isTrue();
        assertThat(d.sysctls().ipv4Forwarding()).isTrue();
        assertThat(d.ipv4().tables()).isEmpty();
        assertThat(d.ipsets().isEmpty()).isTrue();
        assertThat(d.nftables().tables()).hasSize(1);
    }

    @Test
    void withMethodsChangeOnePartAndKeepTheRest() {
        DeviceState d = sample();
        DeviceState e = d.withListeners(List.of()).withRoutes(List.of());
        assertThat(e.listeners()).isEmpty();
        assertThat(e.routes()).isEmpty();
        assertThat(e.withListeners(d.listeners()).withRoutes(d.routes())).isEqualTo(d);
        assertThat(d.toBuilder().build()).isEqualTo(d);
    }

    @Test
    void theNineComponentConstructorStillWorks() {
        DeviceState d = sample();
        DeviceState old = new DeviceState(d.host(), d.links(), d.addresses(), d.routes(), d.rules(), d.sysctls(), d.ipv4(), d.ipv6(),
                d.listeners());
        assertThat(old.nftables().isEmpty()).isTrue();
        assertThat(old.withNftables(d.nftables())).isEqualTo(d);
    }
}
