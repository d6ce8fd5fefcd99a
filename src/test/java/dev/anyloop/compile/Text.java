package dev.anyloop.compile;

import dev.anyloop.net.Family;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * iptables-save-like text of the compiled model, so tests can state expectations the way an operator
 * reads them. Only what the compiler emits; the real renderer lives in dev.anyloop.render.
 */
final class Text {
    private static final List<String> CT_ORDER = List.of("INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT");

    private Text() { }

    static List<String> routes(DeviceState d, Family f) { return d.routes(f).stream().map(Route::toString).toList(); }

    static List<String> listeners(DeviceState d) { return d.listeners().stream().map(Listener::toString).toList(); }

    /** "-A CHAIN ..." lines of one chain, or an empty list when the chain does not exist. */
    static List<String> chain(Netfilter nf, String table, String chain) {
        return nf.chain(table, chain).map(c -> c.rules().stream().map(r -> "-A " + chain + " " + rule(nf.family(), r)).toList())
                .orElse(List.of());
    }

    /** Chain headers like ":FORWARD DROP" and ":AL-IN-web -", in model order. */
    static List<String> headers(Netfilter nf, String table) {
        return nf.table(table).map(t -> t.chains().stream()
                .map(c -> ":" + c.name() + " " + c.policy().map(Text::target).orElse("-")).toList()).orElse(List.of());
    }

    static String rule(Family f, Rule r) {
        List<String> parts = new ArrayList<>();
        String proto = "";
        for (Match m : r.matches()) {
            String neg = m.negated() ? "! " : "";
            if (m instanceof Match.Source s) parts.add(neg + "-s " + s.prefix());
            else if (m instanceof Match.Destination d) parts.add(neg + "-d " + d.prefix());
            else if (m instanceof Match.InInterface i) parts.add(neg + "-i " + i.name());
            else if (m instanceof Match.OutInterface o) parts.add(neg + "-o " + o.name());
            else if (m instanceof Match.Protocol p) {
                proto = p.name();
                parts.add(neg + "-p " + p.name());
            } else if (m instanceof Match.DstPorts d) {
                parts.add("-m " + proto + " " + neg + "--dport " + d.ranges().stream().map(Object::toString).collect(Collectors.joining(",")));
            } else if (m instanceof Match.IcmpType t) {
                parts.add(f == Family.V4 ? "-m icmp " + neg + "--icmp-type " + type(t) : "-m icmp6 " + neg + "--icmpv6-type " + type(t));
            } else if (m instanceof Match.ConnState c) {
                parts.add("-m conntrack " + neg + "--ctstate " + CT_ORDER.stream().filter(c.states()::contains).collect(Collectors.joining(",")));
            } else if (m instanceof Match.AddrType a) {
                parts.add("-m addrtype " + neg + (a.source() ? "--src-type " : "--dst-type ") + a.type());
            } else {
                parts.add(m.toString());
            }
        }
        parts.add("-j " + target(r.target()));
        return String.join(" ", parts);
    }

    private static String type(Match.IcmpType t) { return t.code() < 0 ? Integer.toString(t.type()) : t.type() + "/" + t.code(); }

    static String target(Target t) {
        if (t instanceof Target.Accept) return "ACCEPT";
        if (t instanceof Target.Drop) return "DROP";
        if (t instanceof Target.Return) return "RETURN";
        if (t instanceof Target.Masquerade) return "MASQUERADE";
        if (t instanceof Target.Jump j) return j.chain();
        if (t instanceof Target.Dnat d) return "DNAT --to-destination " + d.to() + d.port().map(p -> ":" + p).orElse("");
        return t.toString();
    }

    static List<String> chainNames(Netfilter nf, String table) {
        return nf.table(table).map(t -> t.chains().stream().map(Chain::name).toList()).orElse(List.of());
    }
}
