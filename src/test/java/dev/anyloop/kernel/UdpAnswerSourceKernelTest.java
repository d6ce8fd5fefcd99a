package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer source of UDP servers on the wildcard, judged by the kernel: the lab's UDP stand-in (socat
 * UDP-RECVFROM on 0.0.0.0, plain sendto) answers a query to the loopback address 10.53.0.1 from the route's
 * source 10.5.0.2, and the client's connected socket drops it; asked at 10.5.0.2 it answers. dnsmasq on the
 * wildcard answers with IP_PKTINFO from the asked address; a socket bound to the loopback address answers from it.
 */
@Tag("root")
class UdpAnswerSourceKernelTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-sm"));
    }

    static Network network() {
        HostBuilder s = new HostBuilder("s", false).iface("eth0", InterfaceAddress.parse("10.5.0.2/24"), Optional.empty())
                .loopback(Ip.parse("10.53.0.1"))
                .listen(Proto.UDP, Ip.parse("0.0.0.0"), 5353)
                .listen(Proto.UDP, Ip.parse("0.0.0.0"), 53)
                .listen(Proto.UDP, Ip.parse("10.53.0.1"), 123);
        HostBuilder c = new HostBuilder("c", false).iface("eth0", InterfaceAddress.parse("10.5.0.10/24"), Optional.empty())
                .via(Prefix.parse("10.53.0.1/32"), Ip.parse("10.5.0.2"), "eth0", 0, Optional.empty());
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        hosts.put("s", s.build());
        hosts.put("c", c.build());
        return new Network(hosts, List.of(new Segment("lan", List.of(new Segment.Port("s", "eth0"), new Segment.Port("c", "eth0")))));
    }

    static List<KernelProbe> probes() {
        List<KernelProbe> out = new java.util.ArrayList<>();
        for (String dst : List.of("10.53.0.1", "10.5.0.2")) {
            for (int port : new int[] {5353, 53, 123}) out.add(new KernelProbe("c", Optional.empty(), Ip.parse(dst), Proto.UDP, port));
        }
        return out;
    }

    @Test
    void aWildcardUdpServerAnswersFromTheRoutesSourceAndTheSimulatorSaysSo() throws Exception {
        KernelJudge.Result r = new KernelJudge().judge("smudp", network(), tmp, live -> probes(), dev.anyloop.apply.Backend.IPTABLES, Map.of());
        KernelAgreementTest.report(r);
        assertThat(r.inconsistencies()).isEmpty();
        assertThat(r.disagreements()).extracting(KernelJudge.Disagreement::render).isEmpty();
        // socat at 10.53.0.1 and the bound ntp stand-in at 10.5.0.2 do not answer; the other four do
        assertThat(r.reachable()).isEqualTo(4);
    }
}
