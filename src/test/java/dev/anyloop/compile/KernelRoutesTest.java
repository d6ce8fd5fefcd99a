package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import org.junit.jupiter.api.Test;

class KernelRoutesTest {
    @Test
    void t1ServiceAddressOnLoIsLocalAndHasNoPrefixRoute() {
        DeviceState desktop = Compiler.compile(Home.withWeb().build()).host("desktop").orElseThrow();
        assertThat(desktop.addressesOn("lo").stream().map(a -> a.address() + " " + a.scope().word()))
                .containsExactly("127.0.0.1/8 host", "::1/128 host", "10.10.10.10/32 global");
        assertThat(Text.routes(desktop, Family.V4)).containsExactly(
                "0.0.0.0/0 via 192.168.1.1 dev eth0 proto boot",
                "192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.20",
                "local 127.0.0.1 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 127.0.0.0/8 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 10.10.10.10 table local dev lo proto kernel scope host src 10.10.10.10",
                "local 192.168.1.20 table local dev eth0 proto kernel scope host src 192.168.1.20");
        assertThat(Text.routes(desktop, Family.V6)).containsExactly(
                "::1 dev lo proto kernel metric 256",
                "local ::1 table local dev lo proto kernel");
    }

    @Test
    void secondAddressInTheSameSubnetAddsNoSecondPrefixRoute() {
        DeviceState h = Compiler.compile(new Fixture().segment("lan", "192.168.1.0/24")
                .host("h").iface("eth0", "lan", "192.168.1.5/24", "192.168.1.6/24").done().build()).host("h").orElseThrow();
        assertThat(Text.routes(h, Family.V4)).filteredOn(r -> r.startsWith("192.168.1.0/24"))
                .containsExactly("192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.5");
        assertThat(Text.routes(h, Family.V4)).contains("local 192.168.1.6 table local dev eth0 proto kernel scope host src 192.168.1.6");
    }

    @Test
    void hostLengthLoopbackGetsOnlyALocalRoute() {
        DeviceState h = Compiler.compile(new Fixture().host("h").loopback("10.0.0.1/32").done().build()).host("h").orElseThrow();
        assertThat(Text.routes(h, Family.V4)).containsExactly(
                "local 127.0.0.1 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 127.0.0.0/8 table local dev lo proto kernel scope host src 127.0.0.1",
                "local 10.0.0.1 table local dev lo proto kernel scope host src 10.0.0.1");
    }
}
