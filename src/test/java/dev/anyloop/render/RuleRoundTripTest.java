package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.snapshot.IptablesSaveParser;
import dev.anyloop.state.Chain;
import dev.anyloop.state.ConntrackState;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * One rule syntax: what the iptables renderer writes, the snapshot's parser reads back as the same rule
 * ({@code parse(render(rule)).equals(rule)}), for every match and target the model has, both families,
 * negations, quoting and user chains. Rules are generated in the renderer's canonical match order.
 */
class RuleRoundTripTest {
    /** A family and a rule of it. */
    record Case(Family family, Rule rule) { }

    @Provide
    Arbitrary<Case> rules() { return Arbitraries.randomValue(RuleRoundTripTest::generate); }

    @Property(tries = 2000)
    void parsingWhatTheRendererWroteGivesTheRuleBack(@ForAll("rules") Case c) throws Exception {
        Table t = new Table("filter", List.of(Chain.builtin("INPUT", new Target.Accept(), List.of(c.rule())),
                Chain.user("X", List.of()), Chain.user("Y-2", List.of())));
        String text = IptablesRenderer.render(new Netfilter(c.family(), List.of(t)));
        Netfilter back; try { back = IptablesSaveParser.parse("rules", text, c.family()); } catch (Exception e) { throw new AssertionError("DBG<<" + text + ">>", e); }
        assertThat(back.chain("filter", "INPUT").orElseThrow().rules()).as(text).containsExactly(c.rule());
    }

    static Case generate(Random r) {
        Family f = r.nextBoolean() ? Family.V4 : Family.V6;
        List<Match> m = new ArrayList<>();
        if (r.nextInt(3) == 0) m.add(new Match.Source(prefix(r, f), r.nextBoolean()));
        if (r.nextInt(3) == 0) m.add(new Match.Destination(prefix(r, f), r.nextBoolean()));
        if (r.nextInt(4) == 0) m.add(new Match.InInterface(iface(r), r.nextBoolean()));
        if (r.nextInt(4) == 0) m.add(new Match.OutInterface(iface(r), r.nextBoolean()));
        int kind = r.nextInt(4); // 0 none, 1 ports, 2 icmp, 3 protocol only
        String icmp = f == Family.V4 ? "icmp" : "ipv6-icmp";
        if (kind == 1) {
            String proto = r.nextBoolean() ? "tcp" : "udp";
            m.add(new Match.Protocol(proto, false));
            if (r.nextBoolean()) m.add(new Match.SrcPorts(ranges(r), r.nextInt(4) == 0));
            if (r.nextBoolean() || m.stream().noneMatch(x -> x instanceof Match.SrcPorts)) m.add(new Match.DstPorts(ranges(r), r.nextInt(4) == 0));
            if (proto.equals("tcp") && r.nextInt(3) == 0) m.add(new Match.TcpFlags(r.nextInt(64), r.nextInt(64), r.nextInt(4) == 0));
        } else if (kind == 2) {
            m.add(new Match.Protocol(icmp, false));
            int type = f == Family.V4 ? List.of(0, 3, 8, 11, 255).get(r.nextInt(5)) : List.of(1, 128, 129, 135).get(r.nextInt(4));
            m.add(new Match.IcmpType(type, type == 3 || type == 1 ? r.nextInt(5) - 1 : -1, type != 255 && r.nextInt(4) == 0));
        } else if (kind == 3) {
            m.add(new Match.Protocol(List.of("tcp", "udp", icmp, "47", "sctp").get(r.nextInt(5)), r.nextBoolean()));
        }
        if (r.nextInt(3) == 0) {
            Set<String> st = new LinkedHashSet<>();
            ConntrackState[] all = ConntrackState.values();
            for (int i = 0; i <= r.nextInt(3); i++) st.add(all[r.nextInt(all.length)].word());
            m.add(new Match.ConnState(st, r.nextInt(5) == 0));
        }
        List<String> types = List.of("LOCAL", "UNICAST", "BROADCAST", "MULTICAST", "BLACKHOLE");
        if (r.nextInt(5) == 0) m.add(new Match.AddrType(true, types.get(r.nextInt(types.size())), r.nextBoolean()));
        if (r.nextInt(5) == 0) m.add(new Match.AddrType(false, types.get(r.nextInt(types.size())), r.nextBoolean()));
        if (r.nextInt(5) == 0) {
            m.add(new Match.InSet(List.of("allow", "svc-1", "x_y").get(r.nextInt(3)), List.of(List.of("src"), List.of("dst"), List.of("dst", "dst"),
                    List.of("src", "dst", "src")).get(r.nextInt(4)), r.nextInt(4) == 0, r.nextBoolean()));
        }
        if (r.nextInt(6) == 0) {
            Ip a = address(r, f);
            m.add(new Match.IpRange(r.nextBoolean(), a, a.plus(r.nextInt(1000)), r.nextBoolean()));
        }
        if (r.nextInt(6) == 0) {
            Match.OwnerKind k = Match.OwnerKind.values()[r.nextInt(3)];
            long lo = k == Match.OwnerKind.SOCKET_EXISTS ? 0 : r.nextInt(70000);
            m.add(new Match.Owner(k, lo, k == Match.OwnerKind.SOCKET_EXISTS || r.nextBoolean() ? lo : lo + r.nextInt(1000), r.nextBoolean()));
        }
        if (r.nextInt(8) == 0) m.add(new Match.RpFilter(r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean()));
        if (r.nextInt(6) == 0) {
            long mask = r.nextBoolean() ? 0xffffffffL : r.nextInt() & 0xffffffffL;
            m.add(new Match.Mark(r.nextInt() & 0xffffffffL & mask, mask, r.nextBoolean()));
        }
        if (r.nextInt(8) == 0) m.add(new Match.Limit(List.of("--limit 5/min --limit-burst 10", "--limit 3/sec --limit-burst 5").get(r.nextInt(2))));
        Rule rule = new Rule(m, target(r, f), Optional.empty());
        if (r.nextInt(4) == 0) rule = rule.withComment(text(r, 40));
        return new Case(f, rule);
    }

    private static Target target(Random r, Family f) {
        switch (r.nextInt(12)) {
            case 0: return new Target.Accept();
            case 1: return new Target.Drop();
            case 2: return new Target.Reject(f == Family.V4 ? List.of("icmp-port-unreachable", "icmp-host-prohibited", "tcp-reset",
                    "icmp-admin-prohibited").get(r.nextInt(4)) : List.of("icmp6-port-unreachable", "icmp6-adm-prohibited", "tcp-reset").get(r.nextInt(3)));
            case 3: return new Target.Return();
            case 4: return new Target.Jump(r.nextBoolean() ? "X" : "Y-2");
            case 5: return new Target.Goto("X");
            case 6: return new Target.Log(r.nextBoolean() ? "" : text(r, 29));
            case 7: return new Target.Dnat(address(r, f), r.nextBoolean() ? Optional.empty() : Optional.of(range(r)));
            case 8: return new Target.Snat(address(r, f), r.nextBoolean() ? Optional.empty() : Optional.of(range(r)));
            case 9: return new Target.Masquerade();
            case 10: return new Target.Redirect(r.nextBoolean() ? Optional.empty() : Optional.of(range(r)));
            default: return new Target.None();
        }
    }

    private static Prefix prefix(Random r, Family f) {
        Ip ip = address(r, f);
        return Prefix.containing(ip, r.nextInt(f.bits() + 1));
    }

    private static Ip address(Random r, Family f) {
        return f == Family.V4 ? Ip.v4(r.nextInt()) : Ip.v6(0xfd00L << 48 | (r.nextLong() >>> 16), r.nextLong());
    }

    private static String iface(Random r) {
        String base = List.of("eth0", "lo", "docker0", "br-1a2b", "veth.10", "wg0").get(r.nextInt(6));
        return r.nextInt(4) == 0 ? base.substring(0, 2) + "+" : base;
    }

    private static List<PortRange> ranges(Random r) {
        List<PortRange> out = new ArrayList<>();
        int n = r.nextInt(3) == 0 ? 2 + r.nextInt(4) : 1;
        for (int i = 0; i < n; i++) out.add(range(r));
        return out;
    }

    private static PortRange range(Random r) {
        int a = 1 + r.nextInt(65535);
        return r.nextBoolean() ? PortRange.of(a) : new PortRange(a, a + r.nextInt(65536 - a));
    }

    /** Printable text with the characters quoting must handle: spaces, quotes, backslashes. */
    private static String text(Random r, int max) {
        String chars = "abc XYZ019_-:./\"'\\!#";
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(max);
        for (int i = 0; i < n; i++) sb.append(chars.charAt(r.nextInt(chars.length())));
        return sb.toString();
    }
}
