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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native nftables judged by the kernel: a router loads {@code src/test/resources/nft/prio.nft} with nft itself
 * (two filter tables on the forward hook at priorities -10 and 10, a named interval set, an anonymous port set,
 * jump / goto / return, a verdict map, reject, DNAT at prerouting and masquerade at postrouting), the lab is
 * snapshotted with the plain commands (nft -j list ruleset among them), and every probe from both clients to
 * every server address and port is sent for real and compared with the simulator on what was read.
 * The random networks of {@link KernelAgreementTest} run on the nft backend too.
 */
@Tag("root")
class NftKernelTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-sm"));
    }

    /** c1 (10.1.0.0/24) and c2 (10.2.0.0/24, in @blocked) - r - s (10.9.0.80 on eth0; .81 .53 .54 on lo). */
    static Network prioNetwork() {
        HostBuilder r = new HostBuilder("r", true)
                .iface("eth0", InterfaceAddress.parse("10.1.0.1/24"), Optional.empty())
                .iface("eth2", InterfaceAddress.parse("10.2.0.1/24"), Optional.empty())
                .iface("eth1", InterfaceAddress.parse("10.9.0.1/24"), Optional.empty())
                .sysctl("net.ipv4.ip_forward", "1");
        for (String a : List.of("10.9.0.81", "10.9.0.53", "10.9.0.54")) {
            r.via(Prefix.parse(a + "/32"), Ip.parse("10.9.0.80"), "eth1", 0, Optional.empty());
        }
        HostBuilder c1 = new HostBuilder("c1", false).iface("eth0", InterfaceAddress.parse("10.1.0.10/24"), Optional.empty())
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.1.0.1"), "eth0", 0, Optional.empty());
        HostBuilder c2 = new HostBuilder("c2", false).iface("eth0", InterfaceAddress.parse("10.2.0.5/24"), Optional.empty())
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.2.0.1"), "eth0", 0, Optional.empty());
        HostBuilder s = new HostBuilder("s", false).iface("eth0", InterfaceAddress.parse("10.9.0.80/24"), Optional.empty())
                .loopback(Ip.parse("10.9.0.81")).loopback(Ip.parse("10.9.0.53")).loopback(Ip.parse("10.9.0.54"));
        for (int port : PORTS) s.listen(Proto.TCP, Ip.parse("0.0.0.0"), port);
        s.listen(Proto.UDP, Ip.parse("10.9.0.53"), 53).listen(Proto.UDP, Ip.parse("10.9.0.54"), 53);
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (HostBuilder h : List.of(r, c1, c2, s)) hosts.put(h.name, h.build());
        return new Network(hosts, List.of(
                new Segment("a", List.of(new Segment.Port("r", "eth0"), new Segment.Port("c1", "eth0"))),
                new Segment("b", List.of(new Segment.Port("r", "eth2"), new Segment.Port("c2", "eth0"))),
                new Segment("srv", List.of(new Segment.Port("r", "eth1"), new Segment.Port("s", "eth0")))));
    }

    static final int[] PORTS = {22, 23, 24, 25, 80, 443, 8080};

    static List<KernelProbe> prioProbes() {
        List<KernelProbe> out = new ArrayList<>();
        for (String from : List.of("c1", "c2")) {
            for (String dst : List.of("10.9.0.80", "10.9.0.81", "10.9.9.9")) {
                for (int port : PORTS) out.add(new KernelProbe(from, Optional.empty(), Ip.parse(dst), Proto.TCP, port));
                out.add(new KernelProbe(from, Optional.empty(), Ip.parse(dst), Proto.ICMP, 0));
            }
            for (String dns : List.of("10.9.0.53", "10.9.0.54")) out.add(new KernelProbe(from, Optional.empty(), Ip.parse(dns), Proto.UDP, 53));
        }
        return out;
    }

    @Test
    void nativeNftablesBaseChainsSetsMapsAndNatAgreeWithTheKernel() throws Exception {
        KernelJudge.Result r = new KernelJudge().judge("smnft", prioNetwork(), Files.createDirectories(tmp.resolve("prio")),
                live -> prioProbes(), dev.anyloop.apply.Backend.IPTABLES, Map.of("r", resource("/nft/prio.nft")));
        KernelAgreementTest.report(r);
        assertThat(r.inconsistencies()).isEmpty();
        // every probe: a disagreement is a bug of the engine, not noise (UDP is retried, the rest is deterministic)
        assertThat(r.disagreements()).extracting(KernelJudge.Disagreement::render).isEmpty();
        assertThat(r.probes()).isEqualTo(prioProbes().size());
        // the ruleset lets some through and stops others: both outcomes were really exercised
        assertThat(r.reachable()).isBetween(5, r.probes() - 5);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = NftKernelTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
