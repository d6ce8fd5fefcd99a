package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How changes become each tool's input, in the order the tool needs them. */
class StepsTest {
    private static final ChainRef INPUT = new ChainRef(Family.V4, "filter", "INPUT");
    private static final ChainRef AL = new ChainRef(Family.V4, "filter", "AL-IN-x");

    @Test
    void ipBatchDeletesRulesAndRoutesFirstAddsAddressesBeforeRoutesAndRemovesAddressesLast() {
        Address a = Address.global("lo", InterfaceAddress.parse("10.1.1.1/32"));
        Address old = Address.global("lo", InterfaceAddress.parse("10.1.1.2/32"));
        Address v6 = Address.global("lo", InterfaceAddress.parse("fd00::1/128"));
        Route via = Route.via(Prefix.parse("10.9.0.0/16"), Ip.parse("192.168.1.2"), "eth0", 1, Route.PROTO_ANYLOOP);
        PolicyRule rule = PolicyRule.lookup(Family.V4, 100, 100).withProto(Route.PROTO_ANYLOOP);
        PolicyRule rule6 = PolicyRule.lookup(Family.V6, 100, 100).withProto(Route.PROTO_ANYLOOP);
        Steps s = Steps.of(List.of(new Change.AddressDel(old), new Change.RuleAdd(rule), new Change.RouteReplace(via, Optional.empty()),
                new Change.AddressAdd(a), new Change.AddressAdd(v6), new Change.RuleDel(rule6), new Change.RouteDel(via)));
        assertThat(s.ip()).isEqualTo("route del 10.9.0.0/16 via 192.168.1.2 dev eth0 proto 77 metric 1\n"
                + "address add 10.1.1.1/32 dev lo\n"
                + "address add fd00::1/128 dev lo nodad\n"
                + "route replace 10.9.0.0/16 via 192.168.1.2 dev eth0 proto 77 metric 1\n"
                + "address del 10.1.1.2/32 dev lo\n"
                + "rule add from all priority 100 lookup 100 protocol 77\n");
        assertThat(s.ip6()).isEqualTo("rule del from all priority 100 lookup 100 protocol 77\n");
    }

    @Test
    void aRestoreTakesJumpsOutDeclaresEveryChainThenFillsThemAndPutsJumpsIn() {
        Rule toX = Rule.of(new Target.Jump("AL-IN-x"), new dev.anyloop.state.Match.Destination(Prefix.parse("10.1.1.1/32"), false));
        Rule toPorts = Rule.of(new Target.Jump("AL-PORTS-x"));
        Steps s = Steps.of(List.of(new Change.JumpDelete(INPUT, toX), new Change.ChainReplace(AL, List.of(toPorts), Optional.empty()),
                new Change.ChainReplace(new ChainRef(Family.V4, "filter", "AL-PORTS-x"), List.of(Rule.of(new Target.Drop())), Optional.empty()),
                new Change.ChainDelete(new ChainRef(Family.V4, "filter", "AL-OLD"), List.of()), new Change.JumpInsert(INPUT, 1, toX)));
        assertThat(s.iptables()).isEqualTo("*filter\n"
                + "-D INPUT -d 10.1.1.1/32 -j AL-IN-x\n"
                + ":AL-IN-x - [0:0]\n:AL-PORTS-x - [0:0]\n:AL-OLD - [0:0]\n"
                + "-A AL-IN-x -j AL-PORTS-x\n-A AL-PORTS-x -j DROP\n"
                + "-I INPUT 1 -d 10.1.1.1/32 -j AL-IN-x\n"
                + "-X AL-OLD\n"
                + "COMMIT\n");
        assertThat(s.ip6tables()).isEmpty();
    }

    @Test
    void theNftTableIsCreatedEmptyDeletedAndDefinedInOneTransaction() {
        Steps s = Steps.of(List.of(new Change.NftReplace("table inet anyloop {\n}\n", true)));
        assertThat(s.nft()).contains("table inet anyloop {}\ndelete table inet anyloop\ntable inet anyloop {\n}\n");
        assertThat(Steps.of(List.of(new Change.NftDelete())).nft()).contains("table inet anyloop {}\ndelete table inet anyloop\n");
    }

    @Test
    void sysctlsAreCheckedBeforeTheyReachACommandLine() {
        assertThat(Steps.of(List.of(new Change.SysctlSet("net.ipv4.conf.eth0/10.rp_filter", "2", Optional.of("0")))).sysctl())
                .containsExactly("net.ipv4.conf.eth0/10.rp_filter=2");
        assertThatThrownBy(() -> Steps.of(List.of(new Change.SysctlSet("net.ipv4 ip_forward", "1", Optional.empty()))))
                .hasMessageContaining("Invalid sysctl");
        assertThatThrownBy(() -> Steps.of(List.of(new Change.SysctlSet("net.ipv4.ip_forward", "1\nx", Optional.empty()))))
                .hasMessageContaining("Invalid sysctl");
    }
}
