package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipath judged by the kernel: r's ECMP route to the anycast address 10.99.0.1 goes via a (serves tcp/80) and b
 * (does not). The kernel seeds its flow hash at boot, so no simulator can name a flow's path: for each probe (from one
 * of twelve source addresses of c) the kernel is asked which next hop it hashes the flow onto ({@code ip route get
 * ... from SRC iif eth0} on r, the forwarding lookup with the packet's addresses), that path must be one the simulator
 * walked, and the probe's real outcome that path's verdict.
 */
@Tag("root")
class MultipathKernelTest {
    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-smmp"));
    }

    static final int SOURCES = 12;

    static Network network() {
        HostBuilder c = new HostBuilder("c", false).iface("eth0", InterfaceAddress.parse("10.0.0.10/24"), Optional.empty())
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.0.0.1"), "eth0", 0, Optional.empty());
        for (int i = 1; i <= SOURCES; i++) c.loopback(Ip.parse("10.50.0." + i));
        HostBuilder r = new HostBuilder("r", true)
                .iface("eth0", InterfaceAddress.parse("10.0.0.1/24"), Optional.empty())
                .iface("eth1", InterfaceAddress.parse("10.1.0.1/24"), Optional.empty())
                .iface("eth2", InterfaceAddress.parse("10.2.0.1/24"), Optional.empty())
                .sysctl("net.ipv4.ip_forward", "1")
                .via(Prefix.parse("10.50.0.0/24"), Ip.parse("10.0.0.10"), "eth0", 0, Optional.empty());
        r.routes.add(new Route(Route.Type.UNICAST, Prefix.parse("10.99.0.1/32"), Route.TABLE_MAIN,
                List.of(NextHop.via(Ip.parse("10.1.0.2"), "eth1"), NextHop.via(Ip.parse("10.2.0.2"), "eth2")), 0, Optional.empty(),
                Route.PROTO_ANYLOOP, Route.Scope.GLOBAL));
        HostBuilder a = new HostBuilder("a", false).iface("eth0", InterfaceAddress.parse("10.1.0.2/24"), Optional.empty())
                .loopback(Ip.parse("10.99.0.1")).via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.1.0.1"), "eth0", 0, Optional.empty())
                .listen(Proto.TCP, Ip.parse("0.0.0.0"), 80);
        HostBuilder b = new HostBuilder("b", false).iface("eth0", InterfaceAddress.parse("10.2.0.2/24"), Optional.empty())
                .loopback(Ip.parse("10.99.0.1")).via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.2.0.1"), "eth0", 0, Optional.empty());
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (HostBuilder h : List.of(c, r, a, b)) hosts.put(h.name, h.build());
        return new Network(hosts, List.of(
                new Segment("lan", List.of(new Segment.Port("r", "eth0"), new Segment.Port("c", "eth0"))),
                new Segment("s1", List.of(new Segment.Port("r", "eth1"), new Segment.Port("a", "eth0"))),
                new Segment("s2", List.of(new Segment.Port("r", "eth2"), new Segment.Port("b", "eth0")))));
    }

    static List<KernelProbe> probes() {
        List<KernelProbe> out = new ArrayList<>();
        for (int i = 1; i <= SOURCES; i++) {
            Optional<Ip> src = Optional.of(Ip.parse("10.50.0." + i));
            out.add(new KernelProbe("c", src, Ip.parse("10.99.0.1"), Proto.TCP, 80));
            out.add(new KernelProbe("c", src, Ip.parse("10.99.0.1"), Proto.ICMP, 0));
        }
        return out;
    }

    private static final Pattern VIA = Pattern.compile("\\bvia (\\S+)");

    /** The next hop r's kernel picks for the probe's packet as it arrives on eth0. */
    static String kernelVia(Netns netns, dev.anyloop.lab.LabPlan plan, KernelProbe p) {
        String out = netns.exec(plan.namespaceOf("r"), List.of("ip", "-o", "route", "get", p.dst().toString(), "from",
                p.src().orElseThrow().toString(), "iif", "eth0"), Optional.empty(), Duration.ofSeconds(5)).orThrow().out();
        Matcher m = VIA.matcher(out);
        if (!m.find()) throw new IllegalStateException("no next hop in '" + out.strip() + "'");
        return m.group(1);
    }

    @Test
    void theKernelsPathIsAmongTheSimulatorsAndItsOutcomeThatPathsVerdict() throws Exception {
        Set<String> seen = new HashSet<>();
        KernelJudge.Result r = new KernelJudge().judgeMultipath("smmp", network(), Files.createDirectories(tmp.resolve("mp")), live -> probes(),
                (netns, plan, p) -> {
                    String via = kernelVia(netns, plan, p);
                    synchronized (seen) {
                        seen.add(via);
                    }
                    return via;
                });
        KernelAgreementTest.report(r);
        assertThat(r.inconsistencies()).isEmpty();
        assertThat(r.probes()).isEqualTo(probes().size());
        assertThat(r.disagreements()).extracting(KernelJudge.Disagreement::render).isEmpty();
        // twelve sources spread over both paths (L3 hash): both were really taken, both outcomes seen
        assertThat(seen).containsExactlyInAnyOrder("10.1.0.2", "10.2.0.2");
        assertThat(r.reachable()).isBetween(SOURCES + 1, 2 * SOURCES - 1);
    }
}
