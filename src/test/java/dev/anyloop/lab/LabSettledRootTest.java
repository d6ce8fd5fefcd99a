package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.os.Netns;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression (kernel suite, Linux 6.18): probes sent right after {@code lab up} timed out because a bridge
 * port of a switch namespace was still "disabled" (carrier, but linkwatch had not run); the same probes a
 * second later answered. A router on three bridged LANs, built twice in a row (the second while the kernel
 * still tears the first down, which keeps rtnl busy): when up returns, every port forwards and the first
 * ping to each host answers.
 */
@Tag("root")
class LabSettledRootTest {
    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-smsettle"));
    }

    static Network threeLans() {
        List<DeviceState> hosts = new ArrayList<>();
        Hosts r = Hosts.host("r0").forwarding();
        List<dev.anyloop.state.Segment> segs = new ArrayList<>();
        for (int lan = 1; lan <= 3; lan++) {
            r.iface("eth" + (lan - 1), "10." + lan + ".0.1/24");
            List<String> ports = new ArrayList<>(List.of("r0:eth" + (lan - 1)));
            for (int h = 0; h < 2; h++) {
                String name = "h" + lan + h;
                hosts.add(Hosts.host(name).iface("eth0", "10." + lan + ".0." + (10 + h) + "/24")
                        .via("0.0.0.0/0", "10." + lan + ".0.1", "eth0", 0).build());
                ports.add(name + ":eth0");
            }
            segs.add(Hosts.segment("lan" + lan, ports.toArray(new String[0])));
        }
        hosts.add(0, r.build());
        return Hosts.network(hosts, segs.toArray(new dev.anyloop.state.Segment[0]));
    }

    @Test
    void everyLinkCarriesTrafficWhenUpReturns() {
        Network n = threeLans();
        for (int round = 0; round < 2; round++) {
            LabPlan plan = LabPlan.of("smsettle", n);
            Lab lab = Lab.up(plan, n, dev.anyloop.apply.Backend.IPTABLES);
            try {
                Netns os = new Netns();
                for (LabPlan.Namespace ns : plan.namespaces()) {
                    String links = os.runner().run("ip", "-n", ns.name(), "-json", "link", "show").out();
                    String ports = os.runner().run("bridge", "-n", ns.name(), "-json", "link", "show").out();
                    assertThat(LabReadiness.unsettled(links, ports)).as("round %d, %s", round, ns.name()).isEmpty();
                }
                List<Lab.Query> pings = new ArrayList<>();
                for (int lan = 1; lan <= 3; lan++) {
                    for (int h = 0; h < 2; h++) pings.add(new Lab.Query("r0", new Probe.Icmp(Ip.parse("10." + lan + ".0." + (10 + h)))));
                }
                assertThat(lab.probeAll(pings)).extracting(ProbeResult::reachable).as("round %d", round).containsOnly(true);
            } finally {
                lab.close();
            }
        }
    }
}
