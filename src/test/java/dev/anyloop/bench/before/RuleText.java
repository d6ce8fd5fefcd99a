package dev.anyloop.bench.before;

import dev.anyloop.net.PortRange;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a rule the way iptables-save spells it, for traces. */
final class RuleText {
    private RuleText() { }

    static String of(Rule r) {
        StringBuilder sb = new StringBuilder();
        for (Match m : r.matches()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(match(m));
        }
        if (sb.length() > 0) sb.append(' ');
        sb.append(target(r.target()));
        r.comment().ifPresent(c -> sb.append(" /* ").append(c).append(" */"));
        return sb.toString();
    }

    static String match(Match m) {
        String not = m.negated() ? "! " : "";
        if (m instanceof Match.Source s) return not + "-s " + s.prefix();
        if (m instanceof Match.Destination d) return not + "-d " + d.prefix();
        if (m instanceof Match.InInterface i) return not + "-i " + i.name();
        if (m instanceof Match.OutInterface o) return not + "-o " + o.name();
        if (m instanceof Match.Protocol p) return not + "-p " + p.name();
        if (m instanceof Match.DstPorts d) return ports("--dport", d.ranges(), not);
        if (m instanceof Match.SrcPorts s) return ports("--sport", s.ranges(), not);
        if (m instanceof Match.IcmpType t) return not + "--icmp-type " + (t.code() < 0 ? t.type() : t.type() + "/" + t.code());
        if (m instanceof Match.ConnState c) return "-m conntrack " + not + "--ctstate " + String.join(",", c.states().stream().sorted().toList());
        if (m instanceof Match.AddrType a) return "-m addrtype " + not + (a.source() ? "--src-type " : "--dst-type ") + a.type();
        return ((Match.Unsupported) m).text();
    }

    private static String ports(String opt, List<PortRange> ranges, String not) {
        if (ranges.size() == 1) return not + opt + " " + ranges.get(0);
        return "-m multiport " + not + opt + "s " + ranges.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }

    static String target(Target t) {
        if (t instanceof Target.Accept) return "-j ACCEPT";
        if (t instanceof Target.Drop) return "-j DROP";
        if (t instanceof Target.Reject r) return "-j REJECT" + (r.with().isEmpty() ? "" : " --reject-with " + r.with());
        if (t instanceof Target.Return) return "-j RETURN";
        if (t instanceof Target.Jump j) return "-j " + j.chain();
        if (t instanceof Target.Goto g) return "-g " + g.chain();
        if (t instanceof Target.Log l) return "-j LOG" + (l.prefix().isEmpty() ? "" : " --log-prefix \"" + l.prefix() + "\"");
        if (t instanceof Target.Dnat d) return "-j DNAT --to-destination " + d.to() + d.port().map(p -> ":" + p).orElse("");
        if (t instanceof Target.Snat s) return "-j SNAT --to-source " + s.to() + s.port().map(p -> ":" + p).orElse("");
        if (t instanceof Target.Masquerade) return "-j MASQUERADE";
        if (t instanceof Target.Redirect r) return "-j REDIRECT" + r.port().map(p -> " --to-ports " + p).orElse("");
        if (t instanceof Target.None) return "(no target)";
        return ((Target.Unsupported) t).text();
    }
}
