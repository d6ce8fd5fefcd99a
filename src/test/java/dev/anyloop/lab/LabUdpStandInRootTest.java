package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression (kernel suite, Linux 6.18, a loaded 2-core machine): the UDP stand-in answered through /bin/echo,
 * which may exit before socat's child writes the datagram to it; the child then died of EPIPE and the answer
 * was lost (19 of 30 back-to-back clients). Every datagram, back to back and in parallel, gets its answer.
 */
@Tag("root")
class LabUdpStandInRootTest {
    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-smudp"));
    }

    @Test
    void everyDatagramIsAnswered() {
        Network n = Hosts.network(List.of(
                Hosts.host("c").iface("eth0", "10.0.1.2/24").build(),
                Hosts.host("s").iface("eth0", "10.0.1.3/24").listen(Proto.UDP, "10.0.1.3", 7).build()),
                Hosts.segment("a", "c:eth0", "s:eth0"));
        Lab lab = Lab.up(LabPlan.of("smudp", n), n, dev.anyloop.apply.Backend.IPTABLES);
        try {
            for (String payload : List.of("hi\n", "anyloop")) {
                for (int i = 0; i < 15; i++) {
                    assertThat(lab.probe("c", new Probe.Udp(Ip.parse("10.0.1.3"), 7, payload)).answeredBy()).as("datagram %d", i).isEqualTo("s");
                }
            }
            List<Lab.Query> parallel = new ArrayList<>();
            for (int i = 0; i < 16; i++) parallel.add(new Lab.Query("c", new Probe.Udp(Ip.parse("10.0.1.3"), 7, "hi\n")));
            assertThat(lab.probeAll(parallel)).extracting(ProbeResult::answeredBy).containsOnly("s");
        } finally {
            lab.close();
        }
    }
}
