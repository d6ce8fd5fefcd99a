package dev.anyloop.render;

import static dev.anyloop.render.Fixtures.dports;
import static dev.anyloop.render.Fixtures.proto;
import static dev.anyloop.render.Fixtures.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NftRendererTest {
    /** The desktop fixture with its v4 filter table replaced by {@code chains}. */
    static DeviceState with(Family f, Table... tables) {
        DeviceState d = Fixtures.desktop();
        Netfilter nf = new Netfilter(f, List.of(tables));
        return f == Family.V4 ? d.withNetfilter(nf, Netfilter.empty(Family.V6)) : d.withNetfilter(Netfilter.empty(Family.V4), nf);
    }

    static DeviceState forward(Rule... rules) {
        return with(Family.V4, Fixtures.filter(List.of(Chain.builtin("FORWARD", new Target.Accept(), List.of(rules)))));
    }

    static Stream<Arguments> translations() {
        return Stream.of(
                Arguments.of(Rule.of(new Target.Drop(), new Match.InInterface("eth1", true), Fixtures.dst("10.10.10.10/32")),
                        "ip daddr 10.10.10.10 iifname != \"eth1\" drop"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.OutInterface("veth+", false)), "oifname \"veth*\" accept"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of("NEW"), true)), "ct state != new accept"),
                // != on a flag list would compare with new|established; a set tests the packet's one state
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of("NEW", "ESTABLISHED"), true)),
                        "ct state != { new, established } accept"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of("DNAT"), true)), "ct status & (dnat) == 0 accept"),
                Arguments.of(Rule.of(new Target.Accept(), proto("udp"), new Match.SrcPorts(List.of(
                        dev.anyloop.net.PortRange.of(53)), false)), "udp sport 53 accept"),
                Arguments.of(Rule.of(new Target.Accept(), proto("sctp")), "meta l4proto sctp accept"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.Protocol("all", false)), "accept"),
                Arguments.of(Rule.of(new Target.Reject("tcp-reset"), proto("tcp"), dports(25)), "tcp dport 25 reject with tcp reset"),
                Arguments.of(Rule.of(new Target.Accept()).withComment("say \"hi\""), "accept comment \"say 'hi'\""));
    }

    @ParameterizedTest
    @MethodSource("translations")
    void translatesLikeIptablesTranslate(Rule r, String expected) {
        assertThat(NftRules.rule(Family.V4, "filter", "FORWARD", 0, r)).isEqualTo(expected);
    }

    static Stream<Arguments> untranslatable() {
        return Stream.of(
                Arguments.of(Rule.of(new Target.Accept(), new Match.Unsupported("-m mark --mark 0x1")), "-m mark --mark 0x1"),
                Arguments.of(Rule.of(new Target.Unsupported("MARK --set-mark 2")), "MARK --set-mark 2"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of("NEW", "DNAT"), false)), "mixes conntrack states"),
                Arguments.of(Rule.of(new Target.Accept(), proto("icmp"), new Match.IcmpType(3, 4, true)), "negated ICMP type with a code"),
                Arguments.of(Rule.of(new Target.Reject("icmp-bogus")), "--reject-with icmp-bogus"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.AddrType(false, "SOMETIMES", false)), "unknown address type"),
                Arguments.of(Rule.of(new Target.Accept()).withComment("x".repeat(129)), "over 128 characters"),
                Arguments.of(Rule.of(new Target.Accept(), dports(80)), "a port match needs -p tcp"));
    }

    @ParameterizedTest
    @MethodSource("untranslatable")
    void refusesWhatNftCannotCarryNamingTheRule(Rule r, String reason) {
        assertThatThrownBy(() -> NftRenderer.render(forward(r))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipv4 filter FORWARD rule 1").hasMessageContaining(reason);
    }

    @Test
    void theUnsupportedRuleIsNamedByItsIptablesText() {
        Rule r = Rule.of(new Target.Accept(), src("10.0.0.0/8"), new Match.Unsupported("-m mark --mark 0x1"));
        assertThatThrownBy(() -> NftRenderer.render(forward(Rule.of(new Target.Return()), r)))
                .hasMessageContaining("rule 2 '-A FORWARD -s 10.0.0.0/8 -m mark --mark 0x1 -j ACCEPT'");
    }

    @Test
    void aDropPolicyFollowsTheJumpSoThatReturnMeetsIt() {
        String out = NftRenderer.render(with(Family.V4, Fixtures.filter(List.of(
                Chain.builtin("INPUT", new Target.Drop(), List.of(Rule.of(new Target.Return())))))));
        assertThat(out).contains("\t\tmeta nfproto ipv4 jump v4_INPUT\n\t\tmeta nfproto ipv4 drop\n")
                .contains("\tchain v4_INPUT {\n\t\treturn\n\t}\n");
    }

    @Test
    void isReRunnable() {
        assertThat(NftRenderer.render(Fixtures.desktop()))
                .startsWith("table inet anyloop {}\ndelete table inet anyloop\ntable inet anyloop {\n");
    }

    @Test
    void chainsOfOtherTablesCarryTheTableName() {
        assertThat(NftRenderer.chainName(Family.V4, "filter", "DOCKER")).isEqualTo("v4_DOCKER");
        assertThat(NftRenderer.chainName(Family.V6, "nat", "DOCKER")).isEqualTo("v6_nat_DOCKER");
    }

    @Test
    void refusesTwoChainsThatWouldShareAName() {
        Table filter = Fixtures.filter(List.of(Chain.user("nat_X", List.of())));
        Table nat = new Table("nat", List.of(Chain.user("X", List.of())));
        assertThatThrownBy(() -> NftRenderer.render(with(Family.V4, filter, nat)))
                .hasMessageContaining("v4_nat_X stands for both filter nat_X and nat X");
    }

    @Test
    void refusesABuiltinChainWithoutAHook() {
        Table filter = new Table("filter", List.of(Chain.builtin("PREROUTING", new Target.Accept(), List.of())));
        assertThatThrownBy(() -> NftRenderer.render(with(Family.V4, filter)))
                .hasMessageContaining("no hook for iptables chain filter PREROUTING");
    }

    @Test
    void anEmptyHostIsAnEmptyTable() {
        DeviceState d = Fixtures.desktop().withNetfilter(Netfilter.empty(Family.V4), Netfilter.empty(Family.V6));
        assertThat(NftRenderer.render(d)).isEqualTo("table inet anyloop {}\ndelete table inet anyloop\ntable inet anyloop {\n}\n");
    }
}
