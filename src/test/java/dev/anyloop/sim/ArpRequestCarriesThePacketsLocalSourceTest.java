package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import org.junit.jupiter.api.Test;

/**
 * Found by the kernel differential suite: with arp_announce 0, arp_solicit() puts the source address
 * of the packet waiting for resolution in the ARP request when it is local (a loopback source from a
 * route's {@code src}), not the egress interface's address. The router validates that sender: here its
 * interface address is covered by {@code unreachable 10.1.0.8/29} and rp_filter 2, the loopback source
 * is routed back fine, so the router answers. Checked in namespaces: the ping gets its reply, and the
 * host's neighbour table then also holds the router's loopback source, learned from its ARP request.
 */
class ArpRequestCarriesThePacketsLocalSourceTest {
    @Test
    void theRouterAnswersArpForAPacketFromARoutedLoopbackSource() {
        NetFixture n = new NetFixture();
        n.host("r").iface("eth0", "lan", "10.1.0.1/24").lo("10.9.9.9/32").sysctl("net.ipv4.conf.eth0.rp_filter", "2")
                .route("unreachable 10.1.0.8/29").route("10.200.0.1 via 10.1.0.10 dev eth0 metric 1");
        n.host("h").iface("eth0", "lan", "10.1.0.10/24").lo("10.200.0.1/32").route("default via 10.1.0.1 dev eth0 src 10.200.0.1");
        RoundTrip rt = n.sim().roundTrip("h", Ip.parse("10.9.9.9"), Proto.ICMP, 0);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
    }
}
