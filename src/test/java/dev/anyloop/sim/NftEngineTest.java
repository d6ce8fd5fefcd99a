package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The nftables engine on real rulesets ({@code src/test/resources/nft/*.nft}, read from the JSON nft 1.0.6 printed
 * for them in a namespace): base chains of several tables on one hook by priority, accept ending only its base
 * chain, drop being final, jump / goto / return, named interval sets, anonymous sets, verdict maps, reject, DNAT
 * and masquerade, mark set and ct mark. NftKernelTest sends the same probes through the kernel.
 */
class NftEngineTest {
    /**
     * prio.nft on router r between clients 10.1.0.0/24 (c1) and 10.2.0.0/24 (c2, in the set @blocked) and the
     * servers' 10.9.0.0/24 (s: .80 on eth0, .81 .53 .54 on lo). The server has no route back to the clients: only masquerade
     * (oifname "eth1") makes its replies routable.
     */
    static NetFixture prio() {
        NetFixture n = new NetFixture();
        n.host("r").iface("eth0", "a", "10.1.0.1/24").iface("eth2", "b", "10.2.0.1/24").iface("eth1", "srv", "10.9.0.1/24")
                .forwarding().nft("prio");
        n.host("c1").iface("eth0", "a", "10.1.0.10/24").route("default via 10.1.0.1");
        n.host("c2").iface("eth0", "b", "10.2.0.5/24").route("default via 10.2.0.1");
        n.host("r").route("10.9.0.81 via 10.9.0.80").route("10.9.0.53 via 10.9.0.80").route("10.9.0.54 via 10.9.0.80");
        NetFixture.H s = n.host("s").iface("eth0", "srv", "10.9.0.80/24").lo("10.9.0.81/32", "10.9.0.53/32", "10.9.0.54/32");
        for (int port : new int[] {22, 23, 24, 25, 80, 443, 8080}) s.listen("tcp 0.0.0.0:" + port);
        s.listen("udp 10.9.0.53:53").listen("udp 10.9.0.54:53");
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "accept in the early table, the late table's policy accepts; c1; 10.9.0.80; tcp/80; Accepted; c1",
        "accept ends only its base chain: the late table drops the blocked set; c2; 10.9.0.80; tcp/80; Dropped; r",
        "drop in the early table is final; c1; 10.9.0.80; tcp/25; Dropped; r",
        "anonymous port set jumps, the chain drops; c1; 10.9.0.81; tcp/80; Dropped; r",
        "return goes back to the base chain, its policy accepts; c1; 10.9.0.80; tcp/8080; Accepted; c1",
        "goto a chain that accepts; c1; 10.9.0.53; udp/53; Accepted; c1",
        "goto a chain that drops: no coming back; c1; 10.9.0.54; udp/53; Dropped; r",
        "reject with tcp reset; c1; 10.9.0.80; tcp/443; Rejected; r",
        "vmap accept; c1; 10.9.0.80; tcp/22; Accepted; c1",
        "vmap drop; c1; 10.9.0.80; tcp/23; Dropped; r",
        "vmap jump comes back and the policy accepts; c1; 10.9.0.80; tcp/24; Accepted; c1",
        "vmap jump into a chain that drops; c1; 10.9.0.81; tcp/24; Dropped; r",
        "interval set range element; c2; 10.9.0.80; tcp/22; Dropped; r",
        "dnat at prerouting, then forward sees the new port; c1; 10.9.9.9; tcp/80; Accepted; c1",
        "ping is not in any drop rule; c1; 10.9.0.81; icmp; Accepted; c1",
    })
    void prioRuleset(String name, String from, String dst, String probe, String verdict, String decidedAt) {
        check(prio().sim(), from, dst, probe, verdict, decidedAt);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "without masquerade the server has no route back; c1; 10.9.0.80; tcp/80; NoRoute; s",
    })
    void masqueradeIsWhatMakesTheReplyRoutable(String name, String from, String dst, String probe, String verdict, String decidedAt) {
        NetFixture n = prio();
        NetFixture.H r = n.host("r");
        r.nft = r.nft.without(dev.anyloop.state.nft.NftFamily.IP, "nat");
        check(n.sim(), from, dst, probe, verdict, decidedAt);
    }

    /** mark.nft on a server: prerouting marks tcp/8080, input accepts the mark; skuid and limit are said, not guessed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "mark set at prerouting is seen at input; c; 10.1.0.1; tcp/8080; Accepted; c",
        "no mark, policy drop; c; 10.1.0.1; tcp/80; Dropped; s",
        "syn-only flags match a new connection; c; 10.1.0.1; tcp/22; Accepted; c",
        "a single ping passes the limit while the bucket has tokens; c; 10.1.0.1; icmp; Accepted; c",
    })
    void markRuleset(String name, String from, String dst, String probe, String verdict, String decidedAt) {
        NetFixture n = new NetFixture();
        NetFixture.H s = n.host("s").iface("eth0", "a", "10.1.0.1/24").nft("mark");
        for (int port : new int[] {22, 80, 8080}) s.listen("tcp 0.0.0.0:" + port);
        n.host("c").iface("eth0", "a", "10.1.0.10/24");
        check(n.sim(), from, dst, probe, verdict, decidedAt);
    }

    @org.junit.jupiter.api.Test
    void theTraceNamesTheNftRuleThatDecided() {
        RoundTrip rt = prio().sim().roundTrip("c2", Ip.parse("10.9.0.80"), Proto.TCP, 80);
        assertThat(rt.render()).contains("ip late").contains("filt").contains("@blocked");
    }

    @org.junit.jupiter.api.Test
    void theLimitIsSaidInTheTrace() {
        NetFixture n = new NetFixture();
        n.host("s").iface("eth0", "a", "10.1.0.1/24").nft("mark");
        n.host("c").iface("eth0", "a", "10.1.0.10/24");
        RoundTrip rt = n.sim().roundTrip("c", Ip.parse("10.1.0.1"), Proto.ICMP, 0);
        assertThat(rt.render()).contains("a single probe passes while the bucket has tokens");
    }

    private static void check(Simulator sim, String from, String dst, String probe, String verdict, String decidedAt) {
        String[] p = probe.split("/");
        RoundTrip rt = sim.roundTrip(from, Ip.parse(dst), Proto.parse(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
        assertThat(rt.verdict().getClass().getSimpleName()).as(rt.render()).isEqualTo(verdict);
        assertThat(rt.verdict().step().host()).as(rt.render()).isEqualTo(decidedAt);
    }
}
