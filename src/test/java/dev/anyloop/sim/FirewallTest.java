package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** iptables evaluation semantics, one chain layout per row: the decision and the rule that made it. */
class FirewallTest {

    /** Records steps like a trace does. */
    private static final class Steps implements Recorder {
        final List<Step> steps = new ArrayList<>();

        public boolean explain() { return true; }

        public void add(Step s) { steps.add(s); }
    }

    /**
     * Rules are "CHAIN: spec" separated by " | "; INPUT's policy is {@code policy}. The probe is
     * "tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0 ct NEW[,DNAT]".
     */
    static final String SETS = String.join("\n", "create allow hash:net family inet hashsize 1024 maxelem 65536",
            "add allow 1.2.0.0/16", "add allow 1.2.9.0/24 nomatch", "add allow 1.2.9.7", "create svc hash:ip,port family inet",
            "add svc 10.0.0.1,tcp:80", "create both list:set size 8", "add both svc", "add both allow", "create macs hash:mac", "") + "\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "first match wins; INPUT: -p tcp -j DROP | INPUT: -j ACCEPT; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "policy applies; INPUT: -p udp -j DROP; DROP; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 0",
        "jump and come back; INPUT: -j U | INPUT: -p tcp -j REJECT | U: -p udp -j ACCEPT; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; REJECT INPUT 2",
        "goto does not come back; INPUT: -g U | INPUT: -j REJECT | U: -p udp -j ACCEPT; DROP; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 0",
        "RETURN from user chain; INPUT: -j U | INPUT: -j REJECT | U: -j RETURN | U: -j ACCEPT; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; REJECT INPUT 2",
        "RETURN in built-in chain: policy; INPUT: -p tcp -j RETURN | INPUT: -j ACCEPT; DROP; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 0",
        "nested jumps; INPUT: -j U | U: -j V | V: -s 1.2.3.0/24 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP V 1",
        "LOG goes on; INPUT: -j LOG --log-prefix x | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 2",
        "no target goes on; INPUT: -p tcp | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 2",
        "interface wildcard; INPUT: -i eth+ -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth7; DROP INPUT 1",
        "interface wildcard misses; INPUT: -i eth+ -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in wlan0; ACCEPT INPUT 0",
        "negated interface; INPUT: ! -i eth0 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth1; DROP INPUT 1",
        "negated source; INPUT: ! -s 1.2.3.0/24 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "multiport range; INPUT: -p tcp -m multiport --dports 22,70:90 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "multiport miss; INPUT: -p tcp -m multiport --dports 22,81:90 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "sport; INPUT: -p tcp --sport 5 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "protocol number; INPUT: -p 17 -j DROP; ACCEPT; udp 1.2.3.4:5 -> 10.0.0.1:53 in eth0; DROP INPUT 1",
        "protocol all; INPUT: -p all -j DROP; ACCEPT; icmp 1.2.3.4 -> 10.0.0.1 in eth0; DROP INPUT 1",
        "icmp type echo-request; INPUT: -p icmp --icmp-type echo-request -j DROP; ACCEPT; icmp 1.2.3.4 -> 10.0.0.1 in eth0; DROP INPUT 1",
        "icmp type any; INPUT: -p icmp --icmp-type any -j DROP; ACCEPT; icmp 1.2.3.4 -> 10.0.0.1 in eth0; DROP INPUT 1",
        "icmp type other; INPUT: -p icmp --icmp-type echo-reply -j DROP; ACCEPT; icmp 1.2.3.4 -> 10.0.0.1 in eth0; ACCEPT INPUT 0",
        "ctstate; INPUT: -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0 ct ESTABLISHED; ACCEPT INPUT 1",
        "ctstate NEW misses ESTABLISHED; INPUT: -m conntrack --ctstate ESTABLISHED -j ACCEPT | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 2",
        "ctstate DNAT; INPUT: -m conntrack --ctstate DNAT -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0 ct NEW,DNAT; DROP INPUT 1",
        "negated ctstate; INPUT: -m conntrack ! --ctstate INVALID -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "addrtype LOCAL holds 127/8; INPUT: -m addrtype --dst-type LOCAL -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 127.0.0.9:80 in lo; DROP INPUT 1",
        "addrtype LOCAL holds lo /32; INPUT: -m addrtype --dst-type LOCAL -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.9.9.9:80 in eth0; DROP INPUT 1",
        "addrtype LOCAL misses others; INPUT: -m addrtype --dst-type LOCAL -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.99:80 in eth0; ACCEPT INPUT 0",
        "addrtype src UNICAST; INPUT: -m addrtype --src-type UNICAST -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "jump to a missing chain is unknown; INPUT: -j NOPE; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "unsupported match reached; INPUT: -p tcp -m recent --update -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "unsupported match not reached; INPUT: -p tcp -j ACCEPT | INPUT: -m recent --update -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 1",
        "unsupported match excluded; INPUT: -p udp -m recent --update -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "unsupported target; INPUT: -p tcp -j TARPIT; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "harmless TCPMSS target; INPUT: -p tcp -j TCPMSS --clamp-mss-to-pmtu | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 2",
        "MARK without fwmark rules; INPUT: -j MARK --set-mark 1 | INPUT: -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 2",
        "unmodelled match beside a failing one is not matched; INPUT: -p tcp -m recent --update -m tcp --dport 8080 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "unmodelled match beside holding ones is unknown; INPUT: -p tcp -m recent --update -m tcp --dport 80 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "set src member; INPUT: -m set --match-set allow src -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "set nomatch hole; INPUT: -m set --match-set allow src -j DROP; ACCEPT; tcp 1.2.9.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "set most specific member inside the hole; INPUT: -m set --match-set allow src -j DROP; ACCEPT; tcp 1.2.9.7:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "set not member; INPUT: -m set --match-set allow src -j DROP; ACCEPT; tcp 5.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "set negated; INPUT: -m set ! --match-set allow src -j DROP; ACCEPT; tcp 5.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "set dst flag reads the destination; INPUT: -m set --match-set allow dst -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "set ip,port member; INPUT: -m set --match-set svc dst,dst -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "set ip,port other port; INPUT: -m set --match-set svc dst,dst -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:81 in eth0; ACCEPT INPUT 0",
        "set ip,port other protocol; INPUT: -m set --match-set svc dst,dst -j DROP; ACCEPT; udp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "set ip,port with one flag never matches; INPUT: -m set --match-set svc dst -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "list:set through its member; INPUT: -m set --match-set both src -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "set of an unmodelled type is unknown; INPUT: -m set --match-set macs src -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "set missing from ipset.txt is unknown; INPUT: -m set --match-set gone src -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "return-nomatch on a nomatch element is unknown; INPUT: -m set --match-set allow src --return-nomatch -j DROP; ACCEPT; tcp 1.2.9.4:5 -> 10.0.0.1:80 in eth0; UNKNOWN INPUT 1",
        "return-nomatch on a member; INPUT: -m set --match-set allow src --return-nomatch -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "iprange inside; INPUT: -m iprange --src-range 1.2.3.1-1.2.3.9 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "iprange edge; INPUT: -m iprange --src-range 1.2.3.4-1.2.3.9 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "iprange outside; INPUT: -m iprange --src-range 1.2.3.5-1.2.3.9 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "iprange negated dst; INPUT: -m iprange ! --dst-range 10.0.0.2-10.0.0.9 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "owner without a socket does not match; INPUT: -m owner --uid-owner 0 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "negated owner without a socket matches; INPUT: -m owner ! --uid-owner 0 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "mark; INPUT: -m mark --mark 0x0 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "mark other; INPUT: -m mark --mark 0x1/0x1 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "negated mark; INPUT: -m mark ! --mark 0x1 -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "syn; INPUT: -p tcp --syn -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "not syn; INPUT: -p tcp ! --syn -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "tcp-flags ACK; INPUT: -p tcp -m tcp --tcp-flags SYN,ACK ACK -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "tcp-flags on udp; INPUT: -p udp -m tcp --tcp-flags SYN SYN -j DROP; ACCEPT; udp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "limit passes a single probe; INPUT: -m limit --limit 5/min -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "rpfilter strict passes; INPUT: -m rpfilter -j DROP; ACCEPT; tcp 10.0.0.7:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "rpfilter strict fails on the wrong device; INPUT: -m rpfilter -j DROP; ACCEPT; tcp 10.0.0.7:5 -> 10.0.0.1:80 in eth1; ACCEPT INPUT 0",
        "rpfilter loose; INPUT: -m rpfilter --loose -j DROP; ACCEPT; tcp 10.0.0.7:5 -> 10.0.0.1:80 in eth1; DROP INPUT 1",
        "rpfilter no route back; INPUT: -m rpfilter --loose -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "rpfilter invert; INPUT: -m rpfilter --invert -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "rpfilter local source; INPUT: -m rpfilter --loose -j DROP; ACCEPT; tcp 10.9.9.9:5 -> 10.0.0.1:80 in eth0; ACCEPT INPUT 0",
        "rpfilter accept-local; INPUT: -m rpfilter --accept-local -j DROP; ACCEPT; tcp 10.9.9.9:5 -> 10.0.0.1:80 in eth0; DROP INPUT 1",
        "rpfilter from lo; INPUT: -m rpfilter --invert -j DROP; ACCEPT; tcp 1.2.3.4:5 -> 10.0.0.1:80 in lo; ACCEPT INPUT 0",
    })
    void evaluates(String name, String rules, String policy, String probe, String expect) {
        NetFixture n = new NetFixture();
        NetFixture.H h = n.host("h").iface("eth0", "a", "10.0.0.1/24").iface("eth1", "b", "10.5.0.1/24").lo("10.9.9.9/32").ipsets(SETS);
        h.chain("filter", "U").chain("filter", "V").policy("filter", "INPUT", policy);
        for (String r : rules.split(" \\| ")) {
            int c = r.indexOf(": ");
            h.iptables("filter", r.substring(0, c).trim(), r.substring(c + 2).trim());
        }
        HostModel hm = new HostModel(h.state());
        String[] t = probe.trim().split(" ");
        Proto proto = Proto.parse(t[0]);
        String[] s = t[1].split(":");
        String[] d = t[3].split(":");
        Packet p = Packet.request(Ip.parse(s[0]), Ip.parse(d[0]), proto, s.length > 1 ? Integer.parseInt(s[1]) : 1,
                d.length > 1 ? Integer.parseInt(d[1]) : 1);
        String in = t[5];
        if (t.length > 7) {
            String[] ct = t[7].split(",");
            p = p.withCt(new CtState(dev.anyloop.state.ConntrackState.valueOf(ct[0]), t[7].contains("DNAT"), t[7].contains("SNAT")));
        }
        Steps rec = new Steps();
        Firewall.Hit hit = hm.fw(dev.anyloop.net.Family.V4).run("filter", "INPUT", p, in, "", hm, rec);
        String got = hit.kind + " " + (hit.chain.isEmpty() ? "INPUT" : hit.chain) + " " + hit.index;
        assertThat(got).as(rec.steps.toString()).isEqualTo(expect.trim());
        if (hit.kind == Firewall.Kind.UNKNOWN) assertThat(hit.step("h")).isInstanceOf(Step.UnknownRule.class);
    }
}
