package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;

/** A rule in a trace, spelled by the one iptables printer ({@link IptablesRenderer#text}). */
final class RuleText {
    private RuleText() { }

    static String of(Rule r) { return IptablesRenderer.text(familyOf(r), r); }

    static String target(Target t) { return IptablesRenderer.targetText(Family.V4, t); }

    /**
     * The family a rule was written for, as far as its text depends on it: an IPv6 address, or the ICMPv6
     * protocol (which an ICMPv6 type needs), says ip6tables; anything else prints the same in both.
     */
    static Family familyOf(Rule r) {
        for (Match m : r.matches()) {
            if (m instanceof Match.Source s && s.prefix().family() == Family.V6) return Family.V6;
            if (m instanceof Match.Destination d && d.prefix().family() == Family.V6) return Family.V6;
            if (m instanceof Match.Protocol p && p.name().matches("ipv6-icmp|icmpv6|icmp6|58")) return Family.V6;
        }
        if (r.target() instanceof Target.Dnat d && !d.to().isV4()) return Family.V6;
        if (r.target() instanceof Target.Snat s && !s.to().isV4()) return Family.V6;
        if (r.target() instanceof Target.Reject j && j.with().startsWith("icmp6")) return Family.V6;
        return Family.V4;
    }
}
