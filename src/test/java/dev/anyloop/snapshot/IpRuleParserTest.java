package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRuleParserTest {
    @Test
    void realIpv4RulesReadLikeIpRuleShow() throws SnapshotException {
        List<PolicyRule> rules = IpRuleParser.parse("ip-rule.json", Fixtures.real("router/ip-rule.json"), Family.V4);
        assertThat(rules).extracting(PolicyRule::toString).containsExactly(
                "0: from all lookup local",
                "100: from 10.53.0.0/24 lookup 100",
                "101: from all to 10.1.3.0/24 iif va0 lookup 100",
                "102: from all fwmark 0x7 lookup main",
                "103: not from 10.0.0.0/8 oif dum0 lookup 100",
                "104: from 10.70.0.0/16 blackhole",
                "105: from 10.71.0.0/16 unreachable",
                "106: from 10.72.0.0/16 prohibit",
                "107: from all fwmark 0x10/0xff lookup 100",
                "32766: from all lookup main",
                "32767: from all lookup default");
        PolicyRule masked = rules.get(8);
        assertThat(masked.markMatches(0x110)).isTrue();
        assertThat(masked.markMatches(0x11)).isFalse();
        assertThat(rules.get(3).markMatches(0x7)).isTrue();
        assertThat(rules.get(3).markMatches(0x17)).isFalse();
    }

    /** What ip 6.1 prints for wg-quick's rules (taken in a namespace): suppress_prefixlength is read, not refused. */
    @Test
    void wgQuickRulesAreRead() throws SnapshotException {
        String json = "[{\"priority\":0,\"src\":\"all\",\"table\":\"local\"},{\"priority\":32764,\"not\":null,\"src\":\"all\","
                + "\"fwmark\":\"0xca6c\",\"table\":\"51820\"},{\"priority\":32765,\"src\":\"all\",\"table\":\"main\",\"suppress_prefixlen\":0}]";
        List<PolicyRule> rules = IpRuleParser.parse("ip-rule.json", json, Family.V4);
        assertThat(rules).extracting(PolicyRule::toString).containsExactly("0: from all lookup local",
                "32764: not from all fwmark 0xca6c lookup 51820", "32765: from all lookup main suppress_prefixlength 0");
        assertThat(rules.get(2).suppressPrefixlen()).isZero();
        assertThat(rules.get(1).suppressPrefixlen()).isEqualTo(-1);
    }

    @Test
    void realIpv6RulesHaveNoDefaultTableRule() throws SnapshotException {
        // the kernel gives IPv6 only the local (0) and main (32766) rules
        List<PolicyRule> rules = IpRuleParser.parse("ip6-rule.json", Fixtures.real("router/ip6-rule.json"), Family.V6);
        assertThat(rules).extracting(PolicyRule::toString).containsExactly(
                "0: from all lookup local", "100: from fd00:53::/64 lookup 100", "101: from all to fd00:60::/64 blackhole",
                "32766: from all lookup main");
        assertThat(rules).allMatch(r -> r.family() == Family.V6);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"priority\":5,\"src\":\"10.1.1.1\",\"table\":\"9\"}]|5: from 10.1.1.1/32 lookup 9",
        "[{\"priority\":5,\"src\":\"all\",\"dst\":\"10.1.1.1\",\"table\":\"9\",\"protocol\":\"77\"}]|5: from all to 10.1.1.1/32 lookup 9 proto 77",
        "[{\"priority\":6,\"src\":\"all\",\"table\":\"9\",\"protocol\":\"anyloop\"}]|6: from all lookup 9 proto 77",
        "[{\"priority\":7,\"src\":\"all\",\"table\":\"9\",\"protocol\":\"boot\"}]|7: from all lookup 9 proto boot",
        "[{\"priority\":5,\"src\":\"all\",\"fwmark\":\"7\",\"table\":\"local\"}]|5: from all fwmark 0x7 lookup local",
    })
    void shapesIpPrints(String json, String expected) throws SnapshotException {
        assertThat(IpRuleParser.parse("ip-rule.json", json, Family.V4)).extracting(PolicyRule::toString).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the exact key names ip 6.1 prints for these selectors, captured with ip rule add ... ipproto tcp dport 80 etc.
        "[{\"priority\":201,\"src\":\"all\",\"ipproto\":\"tcp\",\"dport\":80,\"table\":\"100\"}]|[0].ipproto: expected only priority,",
        "[{\"priority\":202,\"src\":\"all\",\"table\":\"main\",\"suppress_prefixlen\":33}]|[0].suppress_prefixlen: expected a prefix length 0-32, found 33",
        "[{\"priority\":204,\"src\":\"all\",\"tos\":\"0x10\",\"table\":\"100\"}]|[0].tos: expected only",
        "[{\"priority\":5,\"src\":\"all\",\"action\":\"goto\",\"target\":9}]|a selector anyloop does not model",
        "[{\"priority\":5,\"src\":\"all\",\"action\":\"nop\"}]|ip-rule.json: [0].action: expected blackhole, unreachable or prohibit, found 'nop'",
        "[{\"priority\":5,\"src\":\"all\"}]|ip-rule.json: [0].table: expected a value, found none",
        "[{\"priority\":5,\"src\":\"all\",\"table\":\"blue\"}]|[0].table: expected main, local, default or a table number, found 'blue'",
        "[{\"priority\":5,\"src\":\"fd00::\",\"srclen\":8,\"table\":\"main\"}]|[0].src: expected an ipv4 address, found 'fd00::'",
        "[{\"priority\":5,\"src\":\"10.0.0.0\",\"srclen\":40,\"table\":\"main\"}]|[0].srclen: expected 0-32, found 40",
        "[{\"priority\":5,\"src\":\"all\",\"fwmark\":\"0xzz\",\"table\":\"main\"}]|[0].fwmark: expected a 32-bit number such as 0x7, found '0xzz'",
        "[{\"src\":\"all\",\"table\":\"main\"}]|[0].priority: expected a value, found none",
    })
    void errorsNameTheJsonPath(String json, String message) {
        assertThatThrownBy(() -> IpRuleParser.parse("ip-rule.json", json, Family.V4)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message);
    }
}
