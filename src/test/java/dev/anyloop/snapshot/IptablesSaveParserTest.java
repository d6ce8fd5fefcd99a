package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.state.Chain;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IptablesSaveParserTest {
    /** Every chain and rule as "table chain: description" lines (see Describe). */
    static List<String> lines(Netfilter nf) {
        List<String> out = new ArrayList<>();
        for (Table t : nf.tables()) {
            for (Chain c : t.chains()) {
                out.add(t.name() + " " + c.name() + " policy " + c.policy().map(Describe::target).orElse("-"));
                for (Rule r : c.rules()) out.add(t.name() + " " + c.name() + ": " + Describe.rule(r));
            }
        }
        return out;
    }

    /** The real iptables-save output of capture-v4.rules, read rule by rule; golden file checked by hand. */
    @ParameterizedTest
    @CsvSource({"router/iptables.rules,router-iptables.txt,V4", "router/ip6tables.rules,router-ip6tables.txt,V6"})
    void realOutputMatchesGolden(String fixture, String golden, Family f) throws SnapshotException {
        Netfilter nf = IptablesSaveParser.parse(fixture, Fixtures.real(fixture), f);
        String expected = Fixtures.resource("/snapshot/expected/" + golden);
        assertThat(lines(nf)).containsExactlyElementsOf(expected.lines().toList());
        assertThat(nf.family()).isEqualTo(f);
    }

    @Test
    void emptyOutputOfAFreshNamespaceIsNoTables() throws SnapshotException {
        Netfilter nf = IptablesSaveParser.parse("iptables.rules", Fixtures.real("peer/iptables.rules"), Family.V4);
        assertThat(nf.tables()).isEmpty();
        assertThat(nf.isEmpty()).isTrue();
    }

    private static String one(String rule, Family f) throws SnapshotException {
        String text = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:USER - [0:0]\n"
                + rule + "\nCOMMIT\n";
        Netfilter nf = IptablesSaveParser.parse("iptables.rules", text, f);
        Chain c = nf.chain("filter", rule.replaceAll("^.*-A (\\S+).*$", "$1")).orElseThrow();
        return Describe.rule(c.rules().get(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // negation before the option (iptables-save) and after it (the old form)
        "-A INPUT ! -s 10.0.0.0/8 -j DROP|!src=10.0.0.0/8 => DROP",
        "-A INPUT -s ! 10.0.0.0/8 -j DROP|!src=10.0.0.0/8 => DROP",
        "-A INPUT -i ! eth+ -o ! lo -j DROP|!in=eth+ !out=lo => DROP",
        "-A INPUT -p ! tcp -j DROP|!proto=tcp => DROP",
        "-A INPUT -p tcp --dport ! 22 -j DROP|proto=tcp !dport=22 => DROP",
        "-A INPUT --source 10.0.0.5/24 --destination 10.1.1.1 --in-interface eth0 --protocol udp --jump ACCEPT|src=10.0.0.0/24 dst=10.1.1.1/32 in=eth0 proto=udp => ACCEPT",
        "-A INPUT -d 10.0.0.0/255.255.0.0 -j ACCEPT|dst=10.0.0.0/16 => ACCEPT",
        // protocols by name and number; implicit tcp/udp/icmp match without -m
        "-A INPUT -p 6 --dport 22 -j ACCEPT|proto=tcp dport=22 => ACCEPT",
        "-A INPUT -p 17 -m udp --sport 53 -j ACCEPT|proto=udp sport=53 => ACCEPT",
        "-A INPUT -p TCP -m tcp --dport :1023 -j ACCEPT|proto=tcp dport=0:1023 => ACCEPT",
        "-A INPUT -p udp --dport 1024: -j ACCEPT|proto=udp dport=1024:65535 => ACCEPT",
        "-A INPUT -p all -j ACCEPT|=> ACCEPT",
        "-A INPUT -p icmp --icmp-type echo-request -j ACCEPT|proto=icmp icmp=8 => ACCEPT",
        "-A INPUT -p icmp -m icmp --icmp-type port-unreachable -j ACCEPT|proto=icmp icmp=3/3 => ACCEPT",
        "-A INPUT -p icmp --icmp-type address-mask-request -j ACCEPT|proto=icmp unsupported[-m icmp --icmp-type address-mask-request] => ACCEPT",
        "-A INPUT -p tcp --syn -j DROP|proto=tcp tcpflags=23/2 => DROP",
        "-A INPUT -p tcp -m tcp ! --tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE -j DROP|proto=tcp !tcpflags=63/0 => DROP",
        "-A INPUT -p tcp -m tcp --tcp-flags ALL SYN,ACK -j DROP|proto=tcp tcpflags=63/18 => DROP",
        "-A INPUT -p udp -m udp --tcp-flags SYN SYN -j DROP|proto=udp unsupported[-m udp --tcp-flags SYN SYN] => DROP",
        "-A INPUT -p sctp --dport 9 -j DROP|proto=sctp unsupported[-m sctp --dport 9] => DROP",
        // multiport
        "-A INPUT -p tcp -m multiport --destination-ports 1,2:3 -j ACCEPT|proto=tcp dport=1,2:3 => ACCEPT",
        "-A INPUT -p tcp -m multiport ! --sports 1,2 -j ACCEPT|proto=tcp !sport=1,2 => ACCEPT",
        "-A INPUT -p tcp -m multiport --ports 25,587 -j ACCEPT|proto=tcp unsupported[-m multiport --ports 25,587] => ACCEPT",
        // conntrack / state
        "-A INPUT -m conntrack --ctstate NEW,DNAT -j ACCEPT|state=DNAT,NEW => ACCEPT",
        "-A INPUT -m conntrack --ctorigdst 10.0.0.1 --ctstate NEW -j ACCEPT|unsupported[-m conntrack --ctorigdst 10.0.0.1] state=NEW => ACCEPT",
        "-A INPUT -m state ! --state NEW -j ACCEPT|!state=NEW => ACCEPT",
        // addrtype
        "-A INPUT -m addrtype ! --src-type LOCAL -j ACCEPT|!srctype=LOCAL => ACCEPT",
        "-A INPUT -m addrtype --dst-type LOCAL,BROADCAST -j ACCEPT|unsupported[-m addrtype --dst-type LOCAL,BROADCAST] => ACCEPT",
        "-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT|unsupported[-m addrtype --dst-type LOCAL --limit-iface-in] => ACCEPT",
        // comment with quotes and an option-looking text
        "-A INPUT -m comment --comment \"-s 1.2.3.4 -j DROP\" -j ACCEPT|=> ACCEPT # -s 1.2.3.4 -j DROP",
        "-A INPUT -m comment --comment plain -j ACCEPT|=> ACCEPT # plain",
        // unknown matches keep their whole option group
        "-A INPUT -m limit --limit 5/min --limit-burst 10 -p tcp -j ACCEPT|limit[--limit 5/min --limit-burst 10] proto=tcp => ACCEPT",
        "-A INPUT -m set --match-set blocked src -j DROP|set=blocked(src) => DROP",
        "-A INPUT -m set ! --match-set ipp dst,dst -j DROP|!set=ipp(dst,dst) => DROP",
        "-A INPUT -m set --match-set allow src --return-nomatch ! --update-counters -j DROP|set=allow(src,return-nomatch) => DROP",
        "-A INPUT -m set --match-set allow src --packets-gt 5 -j DROP|set=allow(src) unsupported[-m set --packets-gt 5] => DROP",
        // iprange, owner, rpfilter, mark as iptables-save 1.8.9 prints them
        "-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.0.1.1-10.0.1.5 -j DROP|srcrange=10.0.0.1-10.0.0.9 !dstrange=10.0.1.1-10.0.1.5 => DROP",
        "-A OUTPUT -m owner ! --uid-owner 1000-2000 --gid-owner 5 -j DROP|!owner=UID:1000-2000 owner=GID:5-5 => DROP",
        "-A OUTPUT -m owner --socket-exists -j DROP|owner=SOCKET_EXISTS => DROP",
        "-A OUTPUT -m owner --uid-owner alice -j DROP|unsupported[-m owner --uid-owner alice] => DROP",
        "-A OUTPUT -m owner --gid-owner 5 --suppl-groups -j DROP|owner=GID:5-5 unsupported[-m owner --suppl-groups] => DROP",
        "-A INPUT -m rpfilter --loose --validmark --accept-local --invert -j DROP|rpfilter(loose,validmark,accept-local,invert) => DROP",
        "-A INPUT -m rpfilter -j DROP|rpfilter() => DROP",
        "-A INPUT -m mark --mark 0x1/0xff -j ACCEPT|mark=0x1/0xff => ACCEPT",
        "-A INPUT -m mark ! --mark 0x5 -j ACCEPT|!mark=0x5/0xffffffff => ACCEPT",
        "-A INPUT -f -j DROP|unsupported[-f] => DROP",
        "-A INPUT -m recent ! --rcheck --seconds 60 -j DROP|unsupported[-m recent ! --rcheck --seconds 60] => DROP",
        // targets
        "-A INPUT -j REJECT|=> REJECT(icmp-port-unreachable)",
        "-A INPUT -j REJECT --reject-with icmp-host-prohibited|=> REJECT(icmp-host-prohibited)",
        "-A INPUT -j LOG --log-prefix \"x y \" --log-level 4|=> LOG(x y )",
        "-A INPUT -j LOG --log-prefix a --log-uid --log-tcp-sequence|=> LOG(a)",
        // found by RuleRoundTripTest: xtables_save_string leaves a value of [A-Za-z0-9_-] unquoted, even "-0"
        "-A INPUT -j LOG --log-prefix -0|=> LOG(-0)",
        "-A INPUT -j USER|=> jump(USER)",
        "-A INPUT -g USER|=> goto(USER)",
        "-A INPUT -j RETURN|=> RETURN",
        "-A INPUT -j DNAT --to-destination 10.0.0.1:80-90 --random|=> DNAT(10.0.0.1:80:90)",
        "-A INPUT -j DNAT --to-destination 10.0.0.1-10.0.0.5|=> unsupported[-j DNAT --to-destination 10.0.0.1-10.0.0.5]",
        "-A INPUT -j DNAT --to-destination 10.0.0.1 --to-destination 10.0.0.2|=> unsupported[-j DNAT --to-destination 10.0.0.1 --to-destination 10.0.0.2]",
        "-A INPUT -j DNAT|=> unsupported[-j DNAT]",
        "-A INPUT -j SNAT --to-source 10.0.0.1 --persistent|=> SNAT(10.0.0.1)",
        "-A INPUT -j MASQUERADE --random-fully|=> MASQUERADE",
        "-A INPUT -p tcp -j MASQUERADE --to-ports 1024-2000|proto=tcp => MASQUERADE",
        "-A INPUT -j REDIRECT|=> REDIRECT()",
        "-A INPUT -j REDIRECT --to-ports 8080-8081|=> REDIRECT(8080:8081)",
        "-A INPUT -j ACCEPT --foo|=> unsupported[-j ACCEPT --foo]",
        "-A INPUT -j CT --notrack|=> unsupported[-j CT --notrack]",
        "-A INPUT -j MARK --set-mark 1|=> unsupported[-j MARK --set-mark 1]",
        "-A INPUT -p tcp|proto=tcp => none",
        "[12:3400] -A INPUT -j ACCEPT|=> ACCEPT",
    })
    void ipv4RuleForms(String rule, String expected) throws SnapshotException {
        assertThat(one(rule, Family.V4)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT|proto=ipv6-icmp icmp=128 => ACCEPT",
        "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1/3 -j ACCEPT|proto=ipv6-icmp icmp=1/3 => ACCEPT",
        "-A INPUT -p 58 --icmpv6-type neighbor-advertisement -j ACCEPT|proto=ipv6-icmp icmp=136 => ACCEPT",
        "-A INPUT -s fd00::5/64 ! -d ::1 -j ACCEPT|src=fd00::/64 !dst=::1/128 => ACCEPT",
        "-A INPUT -j DNAT --to-destination [fd00::2]:80|=> DNAT(fd00::2:80)",
        "-A INPUT -j DNAT --to-destination fd00::2|=> DNAT(fd00::2)",
        "-A INPUT -j REJECT|=> REJECT(icmp6-port-unreachable)",
    })
    void ipv6RuleForms(String rule, String expected) throws SnapshotException {
        assertThat(one(rule, Family.V6)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ":INPUT ACCEPT [0:0]|iptables.rules:1: expected '*TABLE' before any chain or rule, found ':INPUT ACCEPT [0:0]'",
        "-A INPUT -j ACCEPT|iptables.rules:1: expected '*TABLE' before any chain or rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j ACCEPT|iptables.rules:3: expected COMMIT to end table 'filter' (opened at line 1), found the end of the file",
        "*filter\\n:INPUT ACCEPT [0:0]\\n*nat\\nCOMMIT|iptables.rules:3: expected COMMIT to end table 'filter' (opened at line 1), found '*nat'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A FOO -j ACCEPT\\nCOMMIT|iptables.rules:3: expected a chain declared in table 'filter' (':FOO ...'), found '-A FOO' to an undeclared chain",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-I INPUT -j ACCEPT\\nCOMMIT|iptables.rules:3: expected '*TABLE', ':CHAIN POLICY', '-A CHAIN ...' or COMMIT, found '-I INPUT -j ACCEPT'",
        "*filter\\n:INPUT REJECT [0:0]\\nCOMMIT|iptables.rules:2: expected policy ACCEPT, DROP or '-' for chain INPUT, found 'REJECT'",
        "*filter\\n:INPUT - [0:0]\\nCOMMIT|iptables.rules:2: expected a policy ACCEPT or DROP for built-in chain INPUT, found '-'",
        "*filter\\n:INPUT\\nCOMMIT|iptables.rules:2: expected ':CHAIN POLICY [packets:bytes]', found ':INPUT'",
        "*filter\\n:X - [0:0]\\n:X - [0:0]\\nCOMMIT|iptables.rules:3: chain 'X' is declared twice",
        "*filter\\nCOMMIT\\n*filter\\nCOMMIT|iptables.rules:3: table 'filter' appears twice",
        "*\\nCOMMIT|iptables.rules:1: expected a table name after '*', found '*'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -m comment --comment \"open\\nCOMMIT|iptables.rules:3: expected a closing '\"' for the quote opened at column 31, found the end of the line",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s 10.0.0.300 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected an address or ADDR/LEN, found '10.0.0.300'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s fd00::1 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected an ipv4 address in iptables rules, found 'fd00::1'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s 10.0.0.0/33 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected a prefix length 0-32, found '10.0.0.0/33'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s 10.0.0.0/255.0.255.0 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected a contiguous netmask, found '255.0.255.0'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s -j ACCEPT\\nCOMMIT|iptables.rules:3: expected a value after -s, found the end of the rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -s 1.1.1.1 2.2.2.2 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected one value after -s, found '1.1.1.1 2.2.2.2'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT ! -s ! 1.1.1.1 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected one '!' for -s, found two",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -p tcp --dport 99999 -j ACCEPT\\nCOMMIT|iptables.rules:3: Invalid port 99999",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -p tcp --dport ssh -j ACCEPT\\nCOMMIT|iptables.rules:3: expected a port number or range such as 1024:2048, found 'ssh'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -p tcp --dport -j ACCEPT\\nCOMMIT|iptables.rules:3: expected one value after '-m tcp --dport', found 0",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -p tcp dport 22 -j ACCEPT\\nCOMMIT|iptables.rules:3: expected an option of '-m tcp' such as --dport, found 'dport'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -p\\nCOMMIT|iptables.rules:3: expected a protocol after -p, found the end of the rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -m\\nCOMMIT|iptables.rules:3: expected a match name after -m, found the end of the rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -m comment -j ACCEPT\\nCOMMIT|iptables.rules:3: expected '-m comment --comment TEXT', found '-m comment'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j\\nCOMMIT|iptables.rules:3: expected a target after -j, found the end of the rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -g NOPE\\nCOMMIT|iptables.rules:3: expected a declared chain after -g, found 'NOPE'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j ACCEPT -s 1.1.1.1\\nCOMMIT|iptables.rules:3: expected the target to come last, found '-s 1.1.1.1' after it",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT ! -j ACCEPT\\nCOMMIT|iptables.rules:3: expected no '!' before -j, found one",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j ACCEPT !\\nCOMMIT|iptables.rules:3: expected an option after '!', found the end of the rule",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT source 1.1.1.1\\nCOMMIT|iptables.rules:3: expected an option such as -s, -d, -i, -o, -p, -m or -j, found 'source'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j DNAT --to-destination nowhere\\nCOMMIT|iptables.rules:3: expected an ipv4 address to NAT to, found 'nowhere'",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A INPUT -j REDIRECT --to-ports x\\nCOMMIT|iptables.rules:3: expected a port number or range",
        "*filter\\n:INPUT ACCEPT [0:0]\\n-A\\nCOMMIT|iptables.rules:3: expected '*TABLE', ':CHAIN POLICY', '-A CHAIN ...' or COMMIT, found '-A'",
    })
    void errorsNameFileAndLine(String text, String message) {
        // CsvSource cannot hold newlines: the table writes them as \n
        assertThatThrownBy(() -> IptablesSaveParser.parse("iptables.rules", text.replace("\\n", "\n"), Family.V4)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message);
    }
}
