package dev.anyloop.snapshot;

import dev.anyloop.net.PortRange;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A compact text of a parsed rule, so test tables can say what each iptables-save line must become. */
final class Describe {
    private Describe() { }

    static String rule(Rule r) {
        List<String> parts = new ArrayList<>();
        for (Match m : r.matches()) parts.add(match(m));
        parts.add("=> " + target(r.target()));
        r.comment().ifPresent(c -> parts.add("# " + c));
        return String.join(" ", parts);
    }

    static String match(Match m) {
        String n = m.negated() ? "!" : "";
        if (m instanceof Match.Source s) return n + "src=" + s.prefix();
        if (m instanceof Match.Destination d) return n + "dst=" + d.prefix();
        if (m instanceof Match.InInterface i) return n + "in=" + i.name();
        if (m instanceof Match.OutInterface o) return n + "out=" + o.name();
        if (m instanceof Match.Protocol p) return n + "proto=" + p.name();
        if (m instanceof Match.DstPorts d) return n + "dport=" + ports(d.ranges());
        if (m instanceof Match.SrcPorts s) return n + "sport=" + ports(s.ranges());
        if (m instanceof Match.IcmpType t) return n + "icmp=" + t.type() + (t.code() < 0 ? "" : "/" + t.code());
        if (m instanceof Match.ConnState c) return n + "state=" + c.states().stream().sorted().collect(Collectors.joining(","));
        if (m instanceof Match.AddrType a) return n + (a.source() ? "srctype=" : "dsttype=") + a.type();
        if (m instanceof Match.InSet x) return n + "set=" + x.set() + "(" + String.join(",", x.flags()) + (x.returnNomatch() ? ",return-nomatch" : "") + ")";
        if (m instanceof Match.IpRange x) return n + (x.source() ? "srcrange=" : "dstrange=") + x.from() + "-" + x.to();
        if (m instanceof Match.Owner x) return n + "owner=" + x.kind() + (x.kind() == Match.OwnerKind.SOCKET_EXISTS ? "" : ":" + x.from() + "-" + x.to());
        if (m instanceof Match.RpFilter x) {
            return "rpfilter(" + (x.loose() ? "loose," : "") + (x.validMark() ? "validmark," : "") + (x.acceptLocal() ? "accept-local," : "")
                    + (x.invert() ? "invert" : "") + ")";
        }
        if (m instanceof Match.Mark x) return n + "mark=0x" + Long.toHexString(x.value()) + "/0x" + Long.toHexString(x.mask());
        if (m instanceof Match.TcpFlags x) return n + "tcpflags=" + x.mask() + "/" + x.comp();
        if (m instanceof Match.Limit x) return "limit[" + x.text() + "]";
        if (m instanceof Match.Unsupported u) return "unsupported[" + u.text() + "]";
        throw new IllegalArgumentException(m.toString());
    }

    static String target(Target t) {
        if (t instanceof Target.Accept) return "ACCEPT";
        if (t instanceof Target.Drop) return "DROP";
        if (t instanceof Target.Return) return "RETURN";
        if (t instanceof Target.None) return "none";
        if (t instanceof Target.Reject r) return "REJECT(" + r.with() + ")";
        if (t instanceof Target.Jump j) return "jump(" + j.chain() + ")";
        if (t instanceof Target.Goto g) return "goto(" + g.chain() + ")";
        if (t instanceof Target.Log l) return "LOG(" + l.prefix() + ")";
        if (t instanceof Target.Dnat d) return "DNAT(" + d.to() + d.port().map(p -> ":" + p).orElse("") + ")";
        if (t instanceof Target.Snat s) return "SNAT(" + s.to() + s.port().map(p -> ":" + p).orElse("") + ")";
        if (t instanceof Target.Masquerade) return "MASQUERADE";
        if (t instanceof Target.Redirect r) return "REDIRECT(" + r.port().map(PortRange::toString).orElse("") + ")";
        if (t instanceof Target.Unsupported u) return "unsupported[" + u.text() + "]";
        throw new IllegalArgumentException(t.toString());
    }

    private static String ports(List<PortRange> rs) {
        return rs.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }
}
