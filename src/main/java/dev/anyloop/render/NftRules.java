package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Translates one iptables rule of the model into one nft rule, the way iptables-translate would. */
final class NftRules {
    private NftRules() { }

    private static final Set<String> PORT_PROTOCOLS = Set.of("tcp", "udp", "sctp", "udplite", "dccp");
    private static final Set<String> ADDR_TYPES = Set.of("unspec", "unicast", "local", "broadcast",
            "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve");
    private static final Map<String, String> REJECT_V4 = Map.of(
            "icmp-net-unreachable", "icmp type net-unreachable", "icmp-host-unreachable", "icmp type host-unreachable",
            "icmp-port-unreachable", "icmp type port-unreachable", "icmp-proto-unreachable", "icmp type prot-unreachable",
            "icmp-net-prohibited", "icmp type net-prohibited", "icmp-host-prohibited", "icmp type host-prohibited",
            "icmp-admin-prohibited", "icmp type admin-prohibited", "tcp-reset", "tcp reset");
    private static final Map<String, String> REJECT_V6 = Map.of(
            "icmp6-no-route", "icmpv6 type no-route", "no-route", "icmpv6 type no-route",
            "icmp6-adm-prohibited", "icmpv6 type admin-prohibited", "adm-prohibited", "icmpv6 type admin-prohibited",
            "icmp6-addr-unreachable", "icmpv6 type addr-unreachable", "addr-unreach", "icmpv6 type addr-unreachable",
            "icmp6-port-unreachable", "icmpv6 type port-unreachable", "port-unreach", "icmpv6 type port-unreachable",
            "tcp-reset", "tcp reset");

    /** One nft rule; errors name the rule by its iptables text when it has one. */
    static String rule(Family f, String table, String chain, int index, Rule r) {
        try {
            return translate(f, table, r);
        } catch (IllegalArgumentException e) {
            String text;
            try {
                text = IptablesRenderer.rule(f, table, chain, index, r);
            } catch (IllegalArgumentException again) {
                text = "(not writable as iptables either)";
            }
            throw new IllegalArgumentException("nft cannot carry " + f.word() + " " + table + " " + chain + " rule "
                    + (index + 1) + " '" + text + "': " + e.getMessage(), e);
        }
    }

    private static String translate(Family f, String table, Rule r) {
        IptablesRenderer.Parts p = IptablesRenderer.Parts.of(r);
        if (!p.unsupported.isEmpty()) {
            throw new IllegalArgumentException("match '" + p.unsupported.get(0).text() + "' is not supported by the nft backend");
        }
        List<String> out = new ArrayList<>();
        String fam = f.nft();
        p.src.ifPresent(m -> out.add(fam + " saddr " + op(m) + prefix(m.prefix())));
        p.dst.ifPresent(m -> out.add(fam + " daddr " + op(m) + prefix(m.prefix())));
        p.in.ifPresent(m -> out.add("iifname " + op(m) + iface(m.name())));
        p.out.ifPresent(m -> out.add("oifname " + op(m) + iface(m.name())));
        boolean implied = p.sports.isPresent() || p.dports.isPresent() || (p.icmp.isPresent() && !anyIcmp(f, p.icmp.get()));
        p.proto.ifPresent(m -> {
            String name = protocol(m.name());
            // "tcp dport 80" already holds "meta l4proto tcp"; "all" is no condition at all
            if (!name.equals("all") && !(implied && !m.negated())) out.add("meta l4proto " + op(m) + name);
        });
        if (p.sports.isPresent() || p.dports.isPresent()) {
            String proto = p.portProtocol();
            p.sports.ifPresent(m -> out.add(proto + " sport " + op(m) + ports(m.ranges())));
            p.dports.ifPresent(m -> out.add(proto + " dport " + op(m) + ports(m.ranges())));
        }
        p.icmp.ifPresent(m -> {
            p.requireProtocol(f == Family.V4 ? "icmp" : "ipv6-icmp", "an ICMP type");
            if (anyIcmp(f, m)) return;
            String kw = f == Family.V4 ? "icmp" : "icmpv6";
            if (m.code() >= 0 && m.negated()) {
                throw new IllegalArgumentException("a negated ICMP type with a code has no single nft expression");
            }
            out.add(kw + " type " + op(m) + icmpType(f, m.type()));
            if (m.code() >= 0) out.add(kw + " code " + m.code());
        });
        p.state.ifPresent(m -> out.add(connState(m)));
        p.srcType.ifPresent(m -> out.add("fib saddr type " + op(m) + addrType(m.type())));
        p.dstType.ifPresent(m -> out.add("fib daddr type " + op(m) + addrType(m.type())));
        out.add(target(f, table, r.target()));
        r.comment().ifPresent(c -> out.add("comment " + text("comment", c, 128)));
        return String.join(" ", out);
    }

    private static String target(Family f, String table, Target t) {
        if (t instanceof Target.Accept) return "accept";
        if (t instanceof Target.Drop) return "drop";
        if (t instanceof Target.Return) return "return";
        if (t instanceof Target.None) return "counter";
        if (t instanceof Target.Masquerade) return "masquerade";
        if (t instanceof Target.Jump) return "jump " + NftRenderer.chainName(f, table, ((Target.Jump) t).chain());
        if (t instanceof Target.Goto) return "goto " + NftRenderer.chainName(f, table, ((Target.Goto) t).chain());
        if (t instanceof Target.Log) {
            String prefix = ((Target.Log) t).prefix();
            return prefix.isEmpty() ? "log" : "log prefix " + text("log prefix", prefix, 127);
        }
        if (t instanceof Target.Reject) {
            String with = ((Target.Reject) t).with();
            if (with.isBlank()) with = f == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
            String nft = (f == Family.V4 ? REJECT_V4 : REJECT_V6).get(with);
            if (nft == null) throw new IllegalArgumentException("--reject-with " + with + " has no nft equivalent");
            return "reject with " + nft;
        }
        if (t instanceof Target.Dnat) {
            Target.Dnat d = (Target.Dnat) t;
            return "dnat " + f.nft() + " to " + IptablesRenderer.natAddress(d.to(), d.port());
        }
        if (t instanceof Target.Snat) {
            Target.Snat s = (Target.Snat) t;
            return "snat " + f.nft() + " to " + IptablesRenderer.natAddress(s.to(), s.port());
        }
        if (t instanceof Target.Redirect) {
            return "redirect" + ((Target.Redirect) t).port().map(p -> " to :" + p.nft()).orElse("");
        }
        throw new IllegalArgumentException("target '" + ((Target.Unsupported) t).text() + "' is not supported by the nft backend");
    }

    /**
     * conntrack's NEW..UNTRACKED are one value of {@code ct state}; SNAT and DNAT are bits of
     * {@code ct status}. A set compares exactly, which is right for the one state a packet has;
     * nft's {@code ct state != a,b} would instead compare with the OR of both, which never matches a packet.
     */
    private static String connState(Match.ConnState m) {
        List<String> states = new ArrayList<>();
        List<String> status = new ArrayList<>();
        for (String s : IptablesRenderer.CT_STATES) {
            if (!m.states().contains(s)) continue;
            (s.equals("SNAT") || s.equals("DNAT") ? status : states).add(s.toLowerCase(Locale.ROOT));
        }
        for (String s : m.states()) {
            if (!IptablesRenderer.CT_STATES.contains(s)) throw new IllegalArgumentException("unknown conntrack state '" + s + "'");
        }
        if (!states.isEmpty() && !status.isEmpty()) {
            throw new IllegalArgumentException("--ctstate " + String.join(",", m.states())
                    + " mixes conntrack states with SNAT/DNAT, which nft keeps apart (ct state, ct status)");
        }
        if (states.isEmpty() && status.isEmpty()) throw new IllegalArgumentException("a conntrack match needs at least one state");
        if (!status.isEmpty()) {
            return m.negated() ? "ct status & (" + String.join(" | ", status) + ") == 0" : "ct status " + String.join(",", status);
        }
        if (states.size() == 1) return "ct state " + (m.negated() ? "!= " : "") + states.get(0);
        return m.negated() ? "ct state != { " + String.join(", ", states) + " }" : "ct state " + String.join(",", states);
    }

    private static boolean anyIcmp(Family f, Match.IcmpType m) { return f == Family.V4 && m.type() == 255 && !m.negated(); }

    private static String icmpType(Family f, int type) {
        if (type == (f == Family.V4 ? 8 : 128)) return "echo-request";
        if (type == (f == Family.V4 ? 0 : 129)) return "echo-reply";
        return Integer.toString(type);
    }

    private static String op(Match m) { return m.negated() ? "!= " : ""; }

    private static String prefix(Prefix p) { return p.isHost() ? p.network().toString() : p.toString(); }

    /** iptables' trailing {@code +} wildcard is nft's trailing {@code *}. */
    private static String iface(String name) {
        String n = Names.iface(name);
        return "\"" + (n.endsWith("+") ? n.substring(0, n.length() - 1) + "*" : n) + "\"";
    }

    private static String protocol(String name) {
        String n = Names.token("protocol", name.toLowerCase(Locale.ROOT));
        return n.equals("icmpv6") ? "ipv6-icmp" : n;
    }

    private static String ports(List<PortRange> ranges) {
        if (ranges.isEmpty()) throw new IllegalArgumentException("a port match needs at least one port");
        if (ranges.size() == 1) return ranges.get(0).nft();
        return "{ " + ranges.stream().map(PortRange::nft).collect(Collectors.joining(", ")) + " }";
    }

    private static String addrType(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (!ADDR_TYPES.contains(t)) throw new IllegalArgumentException("unknown address type '" + type + "'");
        return t;
    }

    /**
     * An nft quoted string: its scanner ends the string at the next {@code "} and knows no escapes,
     * so a double quote inside becomes a single one.
     */
    private static String text(String what, String s, int max) {
        String t = Names.oneLine(what, s).replace('"', '\'');
        if (t.length() > max) throw new IllegalArgumentException(what + " '" + s + "' is over " + max + " characters, nft's limit");
        return "\"" + t + "\"";
    }
}
