package dev.anyloop.render;

import static dev.anyloop.render.Fixtures.dports;
import static dev.anyloop.render.Fixtures.dst;
import static dev.anyloop.render.Fixtures.ip;
import static dev.anyloop.render.Fixtures.p;
import static dev.anyloop.render.Fixtures.proto;
import static dev.anyloop.render.Fixtures.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.Chain;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IptablesRendererTest {
    static String line(Family f, Rule r) { return IptablesRenderer.rule(f, "filter", "INPUT", 0, r); }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(Family.V4, Rule.of(new Target.Drop(), new Match.InInterface("eth1", true), dst("10.10.10.10/32")),
                        "-A INPUT -d 10.10.10.10/32 ! -i eth1 -j DROP"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), new Match.Source(p("10.0.0.0/8"), true)),
                        "-A INPUT ! -s 10.0.0.0/8 -j ACCEPT"),
                Arguments.of(Family.V6, Rule.of(new Target.Accept(), dst("fd00::1/128")), "-A INPUT -d fd00::1/128 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), proto("tcp"), dports(80)), "-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), proto("udp"), dports(53, 853)),
                        "-A INPUT -p udp -m multiport --dports 53,853 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), proto("icmp"), new Match.IcmpType(8, -1, false)),
                        "-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), proto("icmp"), new Match.IcmpType(255, -1, false)),
                        "-A INPUT -p icmp -m icmp --icmp-type any -j ACCEPT"),
                Arguments.of(Family.V6, Rule.of(new Target.Accept(), proto("ipv6-icmp"), new Match.IcmpType(128, -1, true)),
                        "-A INPUT -p ipv6-icmp -m icmp6 ! --icmpv6-type 128 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), new Match.ConnState(Set.of("ESTABLISHED", "RELATED", "NEW"), false)),
                        "-A INPUT -m conntrack --ctstate NEW,RELATED,ESTABLISHED -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Jump("DOCKER"), new Match.AddrType(false, "LOCAL", true)),
                        "-A INPUT -m addrtype ! --dst-type LOCAL -j DOCKER"),
                Arguments.of(Family.V4, Rule.of(new Target.Reject("")), "-A INPUT -j REJECT --reject-with icmp-port-unreachable"),
                Arguments.of(Family.V6, Rule.of(new Target.Reject("")), "-A INPUT -j REJECT --reject-with icmp6-port-unreachable"),
                Arguments.of(Family.V4, Rule.of(new Target.Log("AL in: ")), "-A INPUT -j LOG --log-prefix \"AL in: \""),
                Arguments.of(Family.V6, Rule.of(new Target.Dnat(ip("fd00::2"), Optional.of(new PortRange(80, 90))), proto("tcp")),
                        "-A INPUT -p tcp -j DNAT --to-destination [fd00::2]:80-90"),
                Arguments.of(Family.V4, Rule.of(new Target.Redirect(Optional.of(PortRange.of(8080))), proto("tcp")),
                        "-A INPUT -p tcp -j REDIRECT --to-ports 8080"),
                Arguments.of(Family.V4, Rule.of(new Target.Goto("X")), "-A INPUT -g X"),
                Arguments.of(Family.V4, Rule.of(new Target.None(), src("192.0.2.1/32")), "-A INPUT -s 192.0.2.1/32"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept(), src("10.0.0.0/8")).withComment("lan_only-1"),
                        "-A INPUT -s 10.0.0.0/8 -m comment --comment lan_only-1 -j ACCEPT"),
                Arguments.of(Family.V4, Rule.of(new Target.Accept()).withComment("a \"b\" c\\d 'e'"),
                        "-A INPUT -m comment --comment \"a \\\"b\\\" c\\\\d \\'e\\'\" -j ACCEPT"),
                // a snapshot's unknown match and target come back as iptables-save printed them
                Arguments.of(Family.V4, Rule.of(new Target.Unsupported("MARK --set-xmark 0x2/0xffffffff"),
                        new Match.Unsupported("-m mark --mark 0x1")), "-A INPUT -m mark --mark 0x1 -j MARK --set-xmark 0x2/0xffffffff"),
                Arguments.of(Family.V4, Rule.of(new Target.Unsupported("-j CT --notrack")), "-A INPUT -j CT --notrack"));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void rendersAsIptablesSaveDoes(Family f, Rule r, String expected) {
        assertThat(line(f, r)).isEqualTo(expected);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of(Rule.of(new Target.Accept(), dports(80)), "a port match needs -p tcp"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.Protocol("tcp", true), dports(80)), "not '! tcp'"),
                Arguments.of(Rule.of(new Target.Accept(), proto("tcp"), new Match.IcmpType(8, -1, false)), "an ICMP type needs -p icmp"),
                Arguments.of(Rule.of(new Target.Accept(), src("10.0.0.0/8"), src("10.1.0.0/16")), "two -s matches"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of("BOGUS"), false)), "unknown conntrack state 'BOGUS'"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.ConnState(Set.of(), false)), "at least one state"),
                Arguments.of(Rule.of(new Target.Accept()).withComment("two\nlines"), "control characters"),
                Arguments.of(Rule.of(new Target.Accept()).withComment("x".repeat(256)), "over 255 bytes"),
                Arguments.of(Rule.of(new Target.Log("x".repeat(30))), "over 29 characters"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.InInterface("eth 0", false)), "Invalid interface name 'eth 0'"),
                Arguments.of(Rule.of(new Target.Accept(), new Match.InInterface("averyveryverylongname", false)), "Invalid interface name"),
                Arguments.of(Rule.of(new Target.Jump("MY CHAIN")), "Invalid chain name 'MY CHAIN'"),
                Arguments.of(Rule.of(new Target.Accept(), proto("tcp"), new Match.DstPorts(List.of(), false)), "at least one port"),
                Arguments.of(Rule.of(new Target.Accept(), proto("tcp"),
                        dports(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)), "at most 15 ports"),
                Arguments.of(Rule.of(new Target.Unsupported("X\n-A INPUT -j ACCEPT")), "control characters"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void refusesWhatIptablesCannotSay(Rule r, String reason) {
        assertThatThrownBy(() -> line(Family.V4, r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipv4 filter INPUT rule 1").hasMessageContaining(reason);
    }

    @Test
    void policyIsAcceptOrDrop() {
        Netfilter nf = new Netfilter(Family.V4, List.of(new Table("filter",
                List.of(Chain.builtin("INPUT", new Target.Return(), List.of())))));
        assertThatThrownBy(() -> IptablesRenderer.render(nf)).hasMessageContaining("ACCEPT or DROP");
    }

    @Test
    void listsEveryBuiltinAndSortsUserChainsAsIptablesSaveDoes() {
        Netfilter nf = new Netfilter(Family.V4, List.of(new Table("filter", List.of(
                Chain.user("ZZ", List.of()), Chain.builtin("FORWARD", new Target.Drop(), List.of()), Chain.user("AA", List.of())))));
        assertThat(IptablesRenderer.render(nf)).isEqualTo(
                "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:AA - [0:0]\n:ZZ - [0:0]\nCOMMIT\n");
    }

    @Test
    void anEmptyModelRendersNothing() {
        assertThat(IptablesRenderer.render(Netfilter.empty(Family.V4))).isEmpty();
    }

    /** iptables-restore's reading of a quoted argument (xshared.c add_param_to_argv): backslash escapes the next char. */
    static String unquote(String s) {
        if (!s.startsWith("\"")) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') c = s.charAt(++i);
            else if (c == '"') throw new AssertionError("unescaped quote inside " + s);
            sb.append(c);
        }
        return sb.toString();
    }

    @Property(tries = 300)
    void quotingRoundTripsAndStaysOneWord(@ForAll @StringLength(min = 1, max = 40) @CharRange(from = ' ', to = '~') String s) {
        String q = IptablesRenderer.quote(s);
        assertThat(unquote(q)).isEqualTo(s);
        List<String> words = new ArrayList<>();
        boolean inQuote = false, esc = false;
        StringBuilder w = new StringBuilder();
        for (char c : q.toCharArray()) {
            if (esc) { esc = false; } else if (c == '\\') { esc = true; } else if (c == '"') { inQuote = !inQuote; }
            else if (c == ' ' && !inQuote) { words.add(w.toString()); w.setLength(0); continue; }
            w.append(c);
        }
        words.add(w.toString());
        assertThat(words).hasSize(1);
    }
}
