package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.ConntrackState;
import dev.anyloop.state.Match;
import dev.anyloop.state.RejectWith;
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
        IptablesRenderer.Parts p = IptablesRenderer.Parts.of(r, true);
        if (!p.unsupported.isEmpty()) {
            throw new IllegalArgumentException("match '" + p.unsupported.get(0).text() + "' is not supported by the nft backend");
        }
        if (!p.ext.isEmpty() || !p.flags.isEmpty()) {
            // anyloop writes none of these; a snapshot's rule holding one is exported as iptables, not translated
            Match m = p.ext.isEmpty() ? p.flags.get(0) : p.ext.get(0);
            throw new IllegalArgumentException("match '" + IptablesRenderer.matchText(f, m) + "' is not translated to nft by anyloop");
        }
        List<String> out = new ArrayList<>();
        String fam = f.nft();
        first(p.src).ifPresent(m -> out.add(fam + " saddr " + op(m) + prefix(m.prefix())));
        first(p.dst).ifPresent(m -> out.add(fam + " daddr " + op(m) + prefix(m.prefix())));
        first(p.in).ifPresent(m -> out.add("iifname " + op(m) + iface(m.name())));
        first(p.out).ifPresent(m -> out.add("oifname " + op(m) + iface(m.name())));
        boolean implied = !p.sports.isEmpty() || !p.dports.isEmpty() || (!p.icmp.isEmpty() && !anyIcmp(f, p.icmp.get(0)));
        first(p.proto).ifPresent(m -> {
            String name = protocol(m.name());
            // "tcp dport 80" already holds "meta l4proto tcp"; "all" is no condition at all
            if (!name.equals("all") && !(implied && !m.negated())) out.add("meta l4proto " + op(m) + name);
        });
        if (!p.sports.isEmpty() || !p.dports.isEmpty()) {
            String proto = p.portProtocol(true);
            first(p.sports).ifPresent(m -> out.add(proto + " sport " + op(m) + ports(m.ranges())));
            first(p.dports).ifPresent(m -> out.add(proto + " dport " + op(m) + ports(m.ranges())));
        }
        first(p.icmp).ifPresent(m -> {
            p.requireProtocol(f == Family.V4 ? "icmp" : "ipv6-icmp", "an ICMP type", true);
            if (anyIcmp(f, m)) return;
            String kw = f == Family.V4 ? "icmp" : "icmpv6";
            if (m.code() >= 0 && m.negated()) {
                throw new IllegalArgumentException("a negated ICMP type with a code has no single nft expression");
            }
            out.add(kw + " type " + op(m) + icmpType(f, m.type()));
            if (m.code() >= 0) out.add(kw + " code " + m.code());
        });
        first(p.state).ifPresent(m -> out.add(connState(m)));
        first(p.srcType).ifPresent(m -> out.add("fib saddr type " + op(m) + addrType(m.type())));
        first(p.dstType).ifPresent(m -> out.add("fib daddr type " + op(m) + addrType(m.type())));
        out.add(target(f, table, r.target()));
        r.comment().ifPresent(c -> out.add("comment " + text("comment", c, 128)));
        return String.join(" ", out);
    }

    private static String target(Family f, String table, Target t) {
        return t.accept(new Target.Visitor<String>() {
            public String visit(Target.Accept x) { return "accept"; }

            public String visit(Target.Drop x) { return "drop"; }

            public String visit(Target.Reject x) {
                RejectWith.Kind k = RejectWith.of(f, x.with())
                        .orElseThrow(() -> new IllegalArgumentException("--reject-with " + x.with() + " has no nft equivalent"));
                return "reject with " + k.nft();
            }

            public String visit(Target.Return x) { return "return"; }

            public String visit(Target.Jump x) { return "jump " + NftRenderer.chainName(f, table, x.chain()); }

            public String visit(Target.Goto x) { return "goto " + NftRenderer.chainName(f, table, x.chain()); }

            public String visit(Target.Log x) { return x.prefix().isEmpty() ? "log" : "log prefix " + text("log prefix", x.prefix(), 127); }

            public String visit(Target.Dnat x) { return "dnat " + f.nft() + " to " + IptablesRenderer.natAddress(x.to(), x.port()); }

            public String visit(Target.Snat x) { return "snat " + f.nft() + " to " + IptablesRenderer.natAddress(x.to(), x.port()); }

            public String visit(Target.Masquerade x) { return "masquerade"; }

            public String visit(Target.Redirect x) { return "redirect" + x.port().map(p -> " to :" + p.nft()).orElse(""); }

            public String visit(Target.None x) { return "counter"; }

            public String visit(Target.Unsupported x) {
                throw new IllegalArgumentException("target '" + x.text() + "' is not supported by the nft backend");
            }
        });
    }

    private static <T> java.util.Optional<T> first(List<T> l) { return l.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(l.get(0)); }

    /**
     * conntrack's NEW..UNTRACKED are one value of {@code ct state}; SNAT and DNAT are bits of
     * {@code ct status}. A set compares exactly, which is right for the one state a packet has;
     * nft's {@code ct state != a,b} would instead compare with the OR of both, which never matches a packet.
     */
    private static String connState(Match.ConnState m) {
        List<String> states = new ArrayList<>();
        List<String> status = new ArrayList<>();
        for (ConntrackState s : ConntrackState.values()) {
            if (m.states().contains(s.word())) (s.status() ? status : states).add(s.nft());
        }
        for (String s : m.states()) {
            if (ConntrackState.of(s).isEmpty()) throw new IllegalArgumentException("unknown conntrack state '" + s + "'");
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
