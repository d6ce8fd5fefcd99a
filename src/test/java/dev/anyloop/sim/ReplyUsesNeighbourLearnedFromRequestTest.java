package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import org.junit.jupiter.api.Test;

/**
 * Found by the kernel differential suite: a router with {@code unreachable 10.1.0.8/29} (covering its
 * neighbour 10.1.0.10) and rp_filter 2 will not answer that neighbour's ARP requests, as arp_process()
 * routes each request and fib_validate_source() refuses the sender. Yet the neighbour's reply to a
 * packet the router sent it gets through: when the router ARPed for 10.1.0.10, the neighbour learned
 * the router's address from that request (arp_process: neigh_event_ns), so it needs no ARP of its own.
 * Checked in namespaces: the router's ping of the neighbour's loopback address succeeds, the
 * neighbour's ping of the router does not.
 */
class ReplyUsesNeighbourLearnedFromRequestTest {
    private static NetFixture net() {
        NetFixture n = new NetFixture();
        n.host("r").iface("eth0", "lan", "10.1.0.1/24").sysctl("net.ipv4.conf.eth0.rp_filter", "2")
                .route("unreachable 10.1.0.8/29").route("10.200.0.1 via 10.1.0.10 dev eth0 metric 1");
        n.host("h").iface("eth0", "lan", "10.1.0.10/24").lo("10.200.0.1/32").route("default via 10.1.0.1 dev eth0");
        return n;
    }

    @Test
    void theReplyReachesTheRouterThroughTheNeighbourEntryItsRequestCreated() {
        RoundTrip rt = net().sim().roundTrip("r", Ip.parse("10.200.0.1"), Proto.ICMP, 0);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
    }

    @Test
    void theNeighbourCannotStartAFlowToTheRouter() {
        RoundTrip rt = net().sim().roundTrip("h", Ip.parse("10.1.0.1"), Proto.ICMP, 0);
        assertThat(rt.reachable()).as(rt.render()).isFalse();
    }
}
