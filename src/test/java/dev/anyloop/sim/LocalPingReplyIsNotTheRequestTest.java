package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import org.junit.jupiter.api.Test;

/**
 * Found by the kernel differential suite: a host pinging its own address sends an echo request and
 * receives an echo reply with the same addresses and the same echo id. Conntrack's ICMP tuple holds
 * the type (nf_conntrack_proto_icmp: icmp_pkt_to_tuple), so the reply is the request's REPLY direction,
 * ESTABLISHED, not a second copy of the request. An INPUT chain that only lets echo requests and
 * ESTABLISHED through must pass both.
 */
class LocalPingReplyIsNotTheRequestTest {
    @Test
    void pingingOwnLoopbackAddressPassesAnInputChainThatAcceptsEchoRequestsAndEstablished() {
        NetFixture n = new NetFixture();
        n.host("h").iface("eth0", "lan", "10.1.0.10/24").lo("10.200.0.1/32")
                .policy("filter", "INPUT", "DROP")
                .iptables("filter", "INPUT", "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
                .iptables("filter", "INPUT", "-d 10.200.0.1/32 -p icmp --icmp-type 8 -j ACCEPT");
        RoundTrip rt = n.sim().roundTrip("h", Ip.parse("10.200.0.1"), Proto.ICMP, 0);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        assertThat(rt.reply().orElseThrow().render()).contains("ESTABLISHED");
    }

    @Test
    void withoutEstablishedTheLocalEchoReplyIsDroppedByThePolicy() {
        NetFixture n = new NetFixture();
        n.host("h").iface("eth0", "lan", "10.1.0.10/24").lo("10.200.0.1/32")
                .policy("filter", "INPUT", "DROP")
                .iptables("filter", "INPUT", "-d 10.200.0.1/32 -p icmp --icmp-type 8 -j ACCEPT");
        RoundTrip rt = n.sim().roundTrip("h", Ip.parse("10.200.0.1"), Proto.ICMP, 0);
        assertThat(rt.reachable()).as(rt.render()).isFalse();
        assertThat(rt.verdict()).isInstanceOf(Verdict.Dropped.class);
    }
}
