package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Ip;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.state.Network;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real labs in network namespaces. Each test uses its own lab name and removes it in finally. */
@Tag("root")
class LabRootTest {
    private static final CommandRunner RUN = new CommandRunner();

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-rt"));
    }

    @Test
    void routedNetworkPingsAcrossTheRouterAndServicesAnswerWithTheirHostName() throws Exception {
        Set<String> rootBefore = rootLinks();
        Network n = Hosts.routed();
        Lab lab = Lab.up(LabPlan.of("rtroute", n), n, dev.anyloop.apply.Backend.IPTABLES);
        try {
            assertThat(rootLinks()).isEqualTo(rootBefore);
            assertThat(lab.probe("client", new Probe.Icmp(Ip.parse("10.0.2.2"))).reachable()).isTrue();
            ProbeResult web = lab.probe("client", new Probe.Tcp(Ip.parse("10.10.10.10"), 80));
            assertThat(web).isEqualTo(ProbeResult.answered("server", "banner server"));
            assertThat(lab.probe("client", new Probe.Dns(Ip.parse("10.53.0.1"), 53)).answeredBy()).isEqualTo("router");
            assertThat(lab.probe("client", new Probe.Udp(Ip.parse("10.10.10.10"), 7, "hi\n")).answeredBy()).isEqualTo("server");
            // T6: the router's DNS is bound to its loopback only: nothing at its interface addresses, nor on 127.0.0.1
            assertThat(lab.probe("client", new Probe.Dns(Ip.parse("10.0.1.1"), 53)).reachable()).isFalse();
            assertThat(lab.exec("router", List.of("ss", "-Hlnu")).out()).contains("10.53.0.1").doesNotContain("127.0.0.1:53");
            ProbeResult closed = lab.probe("client", new Probe.Tcp(Ip.parse("10.10.10.10"), 81));
            assertThat(closed.reachable()).isFalse();
            assertThat(closed.detail()).containsIgnoringCase("refused");
            // rp_filter and forwarding are what the network says, not what the root namespace has
            assertThat(lab.exec("router", List.of("sysctl", "-n", "net.ipv4.ip_forward")).out().strip()).isEqualTo("1");
            assertThat(lab.exec("client", List.of("sysctl", "-n", "net.ipv4.conf.all.rp_filter")).out().strip()).isEqualTo("0");

            Lab.Status st = Lab.status("rtroute");
            assertThat(st.namespaces().keySet()).containsExactly("al-rtroute-client", "al-rtroute-router", "al-rtroute-server");
            assertThat(st.namespaces().get("al-rtroute-router")).hasSize(1);
            assertThat(Lab.exec("rtroute", "server", List.of("ip", "-br", "addr", "show", "lo")).out()).contains("10.10.10.10/32");

            List<ProbeResult> all = lab.probeAll(List.of(new Lab.Query("client", new Probe.Icmp(Ip.parse("10.0.1.1"))),
                    new Lab.Query("server", new Probe.Icmp(Ip.parse("10.0.1.2"))),
                    new Lab.Query("server", new Probe.Dns(Ip.parse("10.53.0.1"), 53))));
            assertThat(all).extracting(ProbeResult::reachable).containsExactly(true, true, true);
        } finally {
            lab.close();
        }
        assertThat(new Netns().list()).noneMatch(x -> x.startsWith("al-rtroute-"));
        assertThat(rootLinks()).isEqualTo(rootBefore);
        Lab.down("rtroute"); // idempotent
    }

    @Test
    void failTakesAHostOffAndRestoreBringsItBackWithItsRoutes() {
        Network n = Hosts.routed();
        Lab lab = Lab.up(LabPlan.of("rtfail", n), n, dev.anyloop.apply.Backend.IPTABLES);
        try {
            Probe web = new Probe.Tcp(Ip.parse("10.10.10.10"), 80);
            lab.fail("server");
            assertThat(lab.probe("client", web).reachable()).isFalse();
            lab.restore();
            ProbeResult b1 = lab.probe("client", web);
            assertThat(b1.answeredBy()).as("%s; router routes %s; server routes %s %s", b1,
                    lab.exec("router", List.of("ip", "route")).out(), lab.exec("server", List.of("ip", "route")).out(), lab.exec("server", List.of("ip", "addr")).out()).isEqualTo("server");
            lab.fail("router", "eth1");
            assertThat(lab.probe("client", web).reachable()).isFalse();
            lab.restore();
            ProbeResult back = lab.probe("client", web);
            assertThat(back.answeredBy()).as("%s; router routes %s; server routes %s", back,
                    lab.exec("router", List.of("ip", "route")).out(), lab.exec("server", List.of("ip", "route")).out()).isEqualTo("server");
            assertThatThrownBy(() -> lab.fail("router", "eth7")).hasMessage("host router has no lab interface 'eth7'");
        } finally {
            lab.close();
        }
    }

    @Test
    void sharedSegmentJoinsThreeHostsThroughASwitchBridge() {
        Network n = Hosts.shared();
        Lab lab = Lab.up(LabPlan.of("rtbr", n), n, dev.anyloop.apply.Backend.NFT);
        try {
            assertThat(lab.probe("h3", new Probe.Icmp(Ip.parse("10.0.3.1"))).reachable()).isTrue();
            assertThat(lab.probe("h3", new Probe.Tcp(Ip.parse("10.0.3.1"), 22)).answeredBy()).isEqualTo("h1");
            assertThat(lab.probe("h1", new Probe.Tcp(Ip.parse("10.0.3.2"), 22)).answeredBy()).isEqualTo("h2");
            assertThat(RUN.run("ip", "-n", "al-rtbr-sw-lan", "-br", "link", "show", "master", "br0").out().lines().count()).isEqualTo(3);
        } finally {
            lab.close();
        }
    }

    @Test
    void dockerStyleBridgeLivesInItsHostsNamespace() {
        Network n = Hosts.docker();
        Lab lab = Lab.up(LabPlan.of("rtdk", n), n, dev.anyloop.apply.Backend.IPTABLES);
        try {
            assertThat(lab.probe("desktop", new Probe.Tcp(Ip.parse("172.17.0.2"), 2368)).answeredBy()).isEqualTo("desktop-ghost");
            assertThat(lab.probe("desktop-ghost", new Probe.Icmp(Ip.parse("172.17.0.1"))).reachable()).isTrue();
            assertThat(lab.exec("desktop", List.of("ip", "-br", "link", "show", "master", "docker0")).out()).contains("v0-desktop-ghos");
        } finally {
            lab.close();
        }
    }

    @Test
    void leftoversOfACrashedRunAreFoundAndCleared() {
        Network n = Hosts.routed();
        LabPlan plan = LabPlan.of("rtcrash", n);
        try {
            Lab.up(plan, n, dev.anyloop.apply.Backend.IPTABLES); // the Lab object is dropped: a crash as far as the lab knows
            assertThat(Lab.leftovers()).containsKey("rtcrash");
            assertThat(Lab.leftovers().get("rtcrash")).hasSize(3);
            assertThatThrownBy(() -> Lab.up(plan, n, dev.anyloop.apply.Backend.IPTABLES)).hasMessageContaining("leftovers");
        } finally {
            Lab.down("rtcrash");
        }
        assertThat(Lab.leftovers()).doesNotContainKey("rtcrash");
        assertThat(Lab.status("rtcrash").up()).isFalse();
    }

    @Test
    void aFailedUpRemovesWhatItMade() {
        Network n = Hosts.network(List.of(Hosts.host("a").iface("eth0", "10.0.0.1/24").via("10.9.0.0/16", "10.7.7.7", "eth0", 0).build(),
                Hosts.host("b").iface("eth0", "10.0.0.2/24").build()), Hosts.segment("s", "a:eth0", "b:eth0"));
        // the route is anyloop's (proto 77): apply's ip batch fails on it, puts host a back, and up removes the lab
        assertThatThrownBy(() -> Lab.up(LabPlan.of("rtbad", n), n, dev.anyloop.apply.Backend.IPTABLES))
                .hasMessageContaining("host a: step ip failed").hasMessageContaining("Nexthop has invalid gateway");
        assertThat(Lab.leftovers()).doesNotContainKey("rtbad");
    }

    @Test
    void aServiceThatCannotListenFailsUpWithItsNameAndRemovesTheLab() {
        // 10.9.9.9 is on no interface of h: answer.pl cannot bind it (EADDRNOTAVAIL) and exits
        Network n = Hosts.network(List.of(Hosts.host("h").iface("eth0", "10.0.0.1/24")
                .listen(dev.anyloop.net.Proto.TCP, "10.9.9.9", 80).build()));
        assertThatThrownBy(() -> Lab.up(LabPlan.of("rtnolisten", n), n, dev.anyloop.apply.Backend.IPTABLES))
                .hasMessageContaining("host h: not listening after 10 s: [answer tcp 10.9.9.9:80]");
        assertThat(Lab.leftovers()).doesNotContainKey("rtnolisten");
    }

    /** Interface names in the root namespace, from {@code ip -json link}. */
    static Set<String> rootLinks() throws Exception {
        JsonNode arr = new ObjectMapper().readTree(RUN.run("ip", "-json", "link").orThrow().out());
        Set<String> names = new TreeSet<>();
        for (JsonNode l : arr) names.add(l.get("ifname").asText());
        return names;
    }
}
