package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotterTest {
    /** Regression: conf.DEV.forwarding and arp_ignore were read by the simulator but dropped from snapshots. */
    @Test
    void keepsExactlyTheKeysTheSimulatorReads() {
        String all = String.join("\n",
                "net.ipv4.conf.all.route_localnet = 0",
                "net.ipv4.conf.all.rp_filter = 2",
                "net.ipv4.conf.all.forwarding = 1",
                "net.ipv4.conf.eth0.arp_ignore = 1",
                "net.ipv4.conf.eth0/100.rp_filter = 1",
                "net.ipv4.icmp_echo_ignore_all = 0",
                "net.ipv4.icmp_echo_ignore_broadcasts = 1",
                "net.ipv4.ip_forward = 1",
                "net.ipv4.ip_forward_use_pmtu = 0",
                "net.ipv6.conf.all.forwarding = 1",
                "net.ipv6.conf.eth0.forwarding = 1",
                "net.ipv4.neigh.default.gc_thresh1 = 128");
        assertThat(Snapshotter.forwardingKeys(all)).isEqualTo(String.join("\n",
                "net.ipv4.conf.all.route_localnet = 0",
                "net.ipv4.conf.all.rp_filter = 2",
                "net.ipv4.conf.all.forwarding = 1",
                "net.ipv4.conf.eth0.arp_ignore = 1",
                "net.ipv4.conf.eth0/100.rp_filter = 1",
                "net.ipv4.icmp_echo_ignore_all = 0",
                "net.ipv4.ip_forward = 1",
                "net.ipv6.conf.all.forwarding = 1",
                "net.ipv6.conf.eth0.forwarding = 1") + "\n");
    }

    @Test
    void writesEveryFileOfTheSnapshotFormat() {
        assertThat(Snapshotter.fullFiles()).containsExactly("ip-addr.json", "ip-route.json", "ip6-route.json", "ip-rule.json",
                "ip6-rule.json", "iptables.rules", "ip6tables.rules", "sysctl.txt", "listen.txt", "nft.json", "ipset.txt");
    }
}
