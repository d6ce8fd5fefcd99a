package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Network;
import org.junit.jupiter.api.Test;

class FirewallTest {
    private static Netfilter v4(Network n, String host) { return n.host(host).orElseThrow().ipv4(); }

    @Test
    void t3RouterForwardsToTheServiceOnlyFromAllowedInterfaces() {
        Netfilter r = v4(Compiler.compile(Home.withWeb().build()), "router");
        assertThat(Text.headers(r, "filter")).containsExactly(":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT", ":AL-FWD-web -");
        assertThat(Text.chain(r, "filter", "FORWARD")).containsExactly("-A FORWARD -d 10.10.10.10/32 -j AL-FWD-web");
        assertThat(Text.chain(r, "filter", "AL-FWD-web")).containsExactly(
                "-A AL-FWD-web -i eth1 -j RETURN",
                "-A AL-FWD-web -j DROP");
        assertThat(Text.chain(r, "filter", "INPUT")).isEmpty();
        assertThat(r.table("nat")).isEmpty();
    }

    @Test
    void t3InterfacesThenSourcesThenSegmentsTheRouterIsNotOn() {
        Network n = Compiler.compile(Home.base().segment("dmz", "203.0.113.0/28")
                .host("web1").iface("eth0", "dmz", "203.0.113.2/28").done()
                .service("cams").addresses("10.20.0.1").ports("tcp/554").hosts("cam")
                .allowSegments("lan", "dmz").allowSources("198.51.100.7/32").allowInterfaces("router:eth0").done().build());
        assertThat(Text.chain(v4(n, "router"), "filter", "AL-FWD-cams")).containsExactly(
                "-A AL-FWD-cams -i eth1 -j RETURN",
                "-A AL-FWD-cams -i eth0 -j RETURN",
                "-A AL-FWD-cams -s 198.51.100.7/32 -j RETURN",
                "-A AL-FWD-cams -s 203.0.113.0/28 -j RETURN",
                "-A AL-FWD-cams -j DROP");
        // On the service host, router:eth0 stands for the segment behind it (wan), matched by source.
        assertThat(Text.chain(v4(n, "cam"), "filter", "AL-IN-cams")).containsExactly(
                "-A AL-IN-cams -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A AL-IN-cams -i lo -j AL-PORTS-cams",
                "-A AL-IN-cams -s 192.168.1.0/24 -j AL-PORTS-cams",
                "-A AL-IN-cams -s 203.0.113.0/28 -j AL-PORTS-cams",
                "-A AL-IN-cams -s 198.51.100.0/24 -j AL-PORTS-cams",
                "-A AL-IN-cams -s 198.51.100.7/32 -j AL-PORTS-cams",
                "-A AL-IN-cams -j DROP");
    }

    @Test
    void t4ServiceHostChainWhitelistsSourcesPortsAndEcho() {
        Netfilter d = v4(Compiler.compile(Home.withWeb().build()), "desktop");
        assertThat(Text.headers(d, "filter")).containsExactly(
                ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT", ":AL-IN-web -", ":AL-PORTS-web -");
        assertThat(Text.chain(d, "filter", "INPUT")).containsExactly("-A INPUT -d 10.10.10.10/32 -j AL-IN-web");
        assertThat(Text.chain(d, "filter", "AL-IN-web")).containsExactly(
                "-A AL-IN-web -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A AL-IN-web -i lo -j AL-PORTS-web",
                "-A AL-IN-web -s 192.168.1.0/24 -j AL-PORTS-web",
                "-A AL-IN-web -j DROP");
        assertThat(Text.chain(d, "filter", "AL-PORTS-web")).containsExactly(
                "-A AL-PORTS-web -p tcp -m tcp --dport 80 -j ACCEPT",
                "-A AL-PORTS-web -p icmp -m icmp --icmp-type 8 -j ACCEPT",
                "-A AL-PORTS-web -j DROP");
        assertThat(Text.chain(d, "filter", "FORWARD")).isEmpty();
    }

    @Test
    void t4OwnInterfacesAreMatchedByInInterface() {
        Network n = Compiler.compile(Home.base().service("web").addresses("10.10.10.10").ports("tcp/80", "udp/8080")
                .noPing().hosts("desktop").allowInterfaces("desktop:eth0").done().build());
        assertThat(Text.chain(v4(n, "desktop"), "filter", "AL-IN-web")).containsExactly(
                "-A AL-IN-web -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A AL-IN-web -i lo -j AL-PORTS-web",
                "-A AL-IN-web -i eth0 -j AL-PORTS-web",
                "-A AL-IN-web -j DROP");
        assertThat(Text.chain(v4(n, "desktop"), "filter", "AL-PORTS-web")).containsExactly(
                "-A AL-PORTS-web -p tcp -m tcp --dport 80 -j ACCEPT",
                "-A AL-PORTS-web -p udp -m udp --dport 8080 -j ACCEPT",
                "-A AL-PORTS-web -j DROP");
        // desktop:eth0 is no interface of the router: there it stands for its segment's prefixes.
        assertThat(Text.chain(v4(n, "router"), "filter", "AL-FWD-web")).containsExactly(
                "-A AL-FWD-web -s 192.168.1.0/24 -j RETURN",
                "-A AL-FWD-web -j DROP");
    }

    @Test
    void openServiceHasPortsChainButNoRouterChain() {
        Network n = Compiler.compile(Home.base().service("web").addresses("10.10.10.10").ports("tcp/80")
                .hosts("desktop").done().build());
        assertThat(Text.chain(v4(n, "desktop"), "filter", "AL-IN-web")).containsExactly(
                "-A AL-IN-web -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A AL-IN-web -j AL-PORTS-web");
        assertThat(v4(n, "router").isEmpty()).isTrue();
        assertThat(v4(n, "router").tables()).isEmpty();
        assertThat(n.host("desktop").orElseThrow().ipv6().tables()).isEmpty();
    }

    @Test
    void ipv6ServiceGetsIp6tablesChainsWithIcmpv6Echo() {
        Network n = Compiler.compile(new Fixture().segment("lan", "192.168.1.0/24", "fd00:1::/64")
                .host("r").forwarding().iface("eth1", "lan", "192.168.1.1/24", "fd00:1::1/64").done()
                .host("h").iface("eth0", "lan", "192.168.1.2/24", "fd00:1::2/64").done()
                .service("web").addresses("10.10.10.10", "fd00:10::10").ports("tcp/443").hosts("h")
                .allowSegments("lan").allowSources("2001:db8::/32").done().build());
        Netfilter h6 = n.host("h").orElseThrow().ipv6();
        assertThat(h6.family()).isEqualTo(Family.V6);
        assertThat(Text.chain(h6, "filter", "INPUT")).containsExactly("-A INPUT -d fd00:10::10/128 -j AL-IN-web");
        assertThat(Text.chain(h6, "filter", "AL-IN-web")).containsExactly(
                "-A AL-IN-web -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A AL-IN-web -i lo -j AL-PORTS-web",
                "-A AL-IN-web -s fd00:1::/64 -j AL-PORTS-web",
                "-A AL-IN-web -s 2001:db8::/32 -j AL-PORTS-web",
                "-A AL-IN-web -j DROP");
        assertThat(Text.chain(h6, "filter", "AL-PORTS-web")).containsExactly(
                "-A AL-PORTS-web -p tcp -m tcp --dport 443 -j ACCEPT",
                "-A AL-PORTS-web -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT",
                "-A AL-PORTS-web -j DROP");
        // The IPv4 chain takes only IPv4 prefixes.
        assertThat(Text.chain(n.host("h").orElseThrow().ipv4(), "filter", "AL-IN-web"))
                .noneMatch(l -> l.contains(":"));
        assertThat(Text.chain(n.host("r").orElseThrow().ipv6(), "filter", "AL-FWD-web")).containsExactly(
                "-A AL-FWD-web -i eth1 -j RETURN",
                "-A AL-FWD-web -s 2001:db8::/32 -j RETURN",
                "-A AL-FWD-web -j DROP");
    }
}
