package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the kernel does with a UDP service on the wildcard (the campus ntp case): the lab's stand-in answers from the
 * same socket, so the answer leaves with the source address the kernel picks for the reply's route, the router's
 * interface address, and the client's socket, which sent to the loopback service address, drops it. Bound to the
 * address, the same service answers. (The simulator's model of this is the sim room's; its verdict is compared with
 * the kernel's by lab probe.)
 */
@Tag("root")
class WildcardUdpRootTest {
    private static final String YAML = String.join("\n",
            "segments:",
            "  lan: { prefixes: [10.0.0.0/24] }",
            "hosts:",
            "  r:",
            "    forwarding: true",
            "    interfaces:",
            "      eth0: { segment: lan, addresses: [10.0.0.1/24] }",
            "  c:",
            "    interfaces:",
            "      eth0: { segment: lan, addresses: [10.0.0.2/24], gateway: 10.0.0.1 }",
            "services:",
            "  ntp-any:",
            "    addresses: [10.123.0.1]",
            "    ports: [udp/123]",
            "    hosts: [r]",
            "    bind: any",
            "  ntp-bound:",
            "    addresses: [10.123.0.2]",
            "    ports: [udp/124]",
            "    hosts: [r]",
            "");

    @Test
    void aWildcardUdpServerAnswersFromTheRoutesSourceAndTheClientDropsIt() throws Exception {
        Network n = Compiler.compile(IntentLoader.parse("wild.yaml", YAML.getBytes(StandardCharsets.UTF_8)));
        try (Lab lab = Lab.up(LabPlan.of("inwild", n), n, dev.anyloop.apply.Backend.IPTABLES)) {
            // to the wildcard socket through the loopback service address: the answer comes from 10.0.0.1
            ProbeResult viaLoopback = lab.probe("c", new Probe.Udp(Ip.parse("10.123.0.1"), 123, "time?"));
            assertThat(viaLoopback.reachable()).as(viaLoopback.toString()).isFalse();
            // the same socket, asked at the address the answer leaves from: answered
            assertThat(lab.probe("c", new Probe.Udp(Ip.parse("10.0.0.1"), 123, "time?")).answeredBy()).isEqualTo("r");
            // bound to its service address (T6): answered from that address
            assertThat(lab.probe("c", new Probe.Udp(Ip.parse("10.123.0.2"), 124, "time?")).answeredBy()).isEqualTo("r");
        }
    }
}
