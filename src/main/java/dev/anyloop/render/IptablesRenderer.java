package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.Chain;
import dev.anyloop.state.ConntrackState;
import dev.anyloop.state.IptablesTable;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.RejectWith;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders one family's netfilter tables as iptables-restore (or ip6tables-restore) input, written as
 * iptables-save prints it: built-in chains first, user chains sorted by name, options in
 * iptables-save's order, so that a restore followed by a save gives the same text back. This is the
 * one printer of iptables rule syntax: the snapshot's parser is its inverse (a property test says so)
 * and traces print rules through {@link #text}.
 */
public final class IptablesRenderer {
    private IptablesRenderer() { }

    public static String render(Netfilter nf) {
        StringBuilder sb = new StringBuilder();
        for (Table t : nf.tables()) {
            sb.append('*').append(Names.token("table name", t.name())).append('\n');
            List<Chain> chains = saveOrder(withAllBuiltins(t));
            for (Chain c : chains) {
                sb.append(':').append(Names.token("chain name", c.name())).append(' ')
                        .append(c.policy().map(IptablesRenderer::policy).orElse("-")).append(" [0:0]\n");
            }
            for (Chain c : chains) {
                for (int i = 0; i < c.rules().size(); i++) {
                    sb.append(rule(nf.family(), t.name(), c.name(), i, c.rules().get(i))).append('\n');
                }
            }
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }

    /** iptables-save lists every built-in chain of a table it prints; one the model lacks has policy ACCEPT. */
    static Table withAllBuiltins(Table t) {
        List<Chain> chains = new ArrayList<>(t.chains());
        for (String n : IptablesTable.builtinsOf(t.name())) {
            if (t.chain(n).isEmpty()) chains.add(Chain.builtin(n, new Target.Accept(), List.of()));
        }
        return new Table(t.name(), chains);
    }

    /** Built-in chains in the kernel's order, then any other chain with a policy, then user chains by name. */
    static List<Chain> saveOrder(Table t) {
        List<Chain> out = new ArrayList<>();
        List<String> builtin = IptablesTable.builtinsOf(t.name());
        for (String n : builtin) t.chain(n).ifPresent(out::add);
        t.chains().stream().filter(c -> c.builtin() && !builtin.contains(c.name())).forEach(out::add);
        t.chains().stream().filter(c -> !c.builtin()).sorted(Comparator.comparing(Chain::name)).forEach(out::add);
        return out;
    }

    private static String policy(Target t) {
        if (t instanceof Target.Accept) return "ACCEPT";
        if (t instanceof Target.Drop) return "DROP";
        throw new IllegalArgumentException("Invalid chain policy " + t + ": a built-in chain's policy is ACCEPT or DROP");
    }

    /** One "-A CHAIN ..." line; {@code index} (from 0) only names the rule in errors. */
    static String rule(Family f, String table, String chain, int index, Rule r) {
        try {
            return "-A " + Names.token("chain name", chain) + new Printer(f, true).body(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.word() + " " + table + " " + chain + " rule " + (index + 1) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rule after its chain name, as iptables-save prints it: "-d 10.10.10.10/32 -j AL-IN-web". The same
     * text follows {@code -A CHAIN}, {@code -I CHAIN N} or {@code -D CHAIN} (delete by specification), and it is
     * canonical, so apply compares rules by it. Throws for a rule iptables-restore would refuse.
     */
    public static String spec(Family f, Rule r) { return new Printer(f, true).body(r).strip(); }

    /**
     * A rule as iptables-save spells it after {@code -A CHAIN}, for traces: never throws; what iptables could
     * not say (two -s, a port without -p) is still written out as the model holds it.
     */
    public static String text(Family f, Rule r) { return new Printer(f, false).body(r).strip(); }

    /** A target as iptables-save spells it ("-j ACCEPT"), for traces; "(no target)" for a rule that only counts. */
    /** One match as iptables-save writes it (lenient), for messages. */
    static String matchText(Family f, Match m) { return new Printer(f, false).body(new Rule(List.of(m), new Target.None(), Optional.empty())).strip(); }

    public static String targetText(Family f, Target t) {
        String s = t.accept(new Printer(f, false).targets).strip();
        return s.isEmpty() ? "(no target)" : s;
    }

    /** "172.17.0.2:2368", "[fd00::2]:80-90": the port range uses '-' in NAT targets. */
    static String natAddress(dev.anyloop.net.Ip ip, Optional<PortRange> port) {
        String a = ip.isV4() ? ip.toString() : port.isPresent() ? "[" + ip + "]" : ip.toString();
        return a + port.map(p -> ":" + p.nft()).orElse("");
    }

    /**
     * Quotes as xtables_save_string does: bare when only [A-Za-z0-9_-], else in double quotes with
     * {@code "}, {@code \} and {@code '} escaped by a backslash (iptables-restore reads them back).
     */
    static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c == '_' || c == '-' || (c < 128 && Character.isLetterOrDigit(c)))) return s;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c == '\'') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Prints rules; strict refuses what iptables-restore would refuse, lenient (traces) writes it anyway. */
    private static final class Printer {
        private final Family f;
        private final boolean strict;
        final Target.Visitor<String> targets = new Targets();

        Printer(Family f, boolean strict) {
            this.f = f;
            this.strict = strict;
        }

        private String iface(String name) { return strict ? Names.iface(name) : name; }

        private String token(String what, String s) { return strict ? Names.token(what, s) : s; }

        private String oneLine(String what, String s) { return strict ? Names.oneLine(what, s) : s; }

        private void fail(String why) { if (strict) throw new IllegalArgumentException(why); }

        String body(Rule r) {
            Parts p = Parts.of(r, strict);
            StringBuilder sb = new StringBuilder();
            p.src.forEach(m -> sb.append(neg(m)).append(" -s ").append(m.prefix()));
            p.dst.forEach(m -> sb.append(neg(m)).append(" -d ").append(m.prefix()));
            p.in.forEach(m -> sb.append(neg(m)).append(" -i ").append(iface(m.name())));
            p.out.forEach(m -> sb.append(neg(m)).append(" -o ").append(iface(m.name())));
            p.proto.forEach(m -> sb.append(neg(m)).append(" -p ").append(token("protocol", m.name())));
            ports(p, sb);
            for (Match.TcpFlags m : p.flags) {
                p.requireProtocol("tcp", "a TCP flags match", strict);
                sb.append(p.endsInTcp() ? "" : " -m tcp").append(neg(m)).append(" --tcp-flags ").append(tcpFlags(m.mask())).append(' ')
                        .append(tcpFlags(m.comp()));
            }
            for (Match.IcmpType m : p.icmp) {
                p.requireProtocol(f == Family.V4 ? "icmp" : "ipv6-icmp", "an ICMP type", strict);
                // iptables-save prints the type as a number (255 is "any"), whatever name was typed
                String type = f == Family.V4 && m.type() == 255 ? "any" : m.type() + (m.code() >= 0 ? "/" + m.code() : "");
                sb.append(f == Family.V4 ? " -m icmp" : " -m icmp6").append(neg(m))
                        .append(f == Family.V4 ? " --icmp-type " : " --icmpv6-type ").append(type);
            }
            for (Match.ConnState m : p.state) sb.append(" -m conntrack").append(neg(m)).append(" --ctstate ").append(states(m));
            if (!p.srcType.isEmpty() || !p.dstType.isEmpty()) {
                sb.append(" -m addrtype");
                p.srcType.forEach(m -> sb.append(neg(m)).append(" --src-type ").append(token("address type", m.type())));
                p.dstType.forEach(m -> sb.append(neg(m)).append(" --dst-type ").append(token("address type", m.type())));
            }
            for (Match m : p.ext) sb.append(m.accept(extensions));
            for (Match.Unsupported u : p.unsupported) sb.append(' ').append(oneLine("match", u.text().strip()));
            r.comment().ifPresent(c -> {
                if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) fail("comment '" + c + "' is over 255 bytes, xt_comment's limit");
                sb.append(" -m comment --comment ").append(quote(oneLine("comment", c)));
            });
            sb.append(r.target().accept(targets));
            return sb.toString();
        }

        /** Source ports before destination ports; one "-m tcp" holds both when each is a single range. */
        private void ports(Parts p, StringBuilder sb) {
            if (p.sports.isEmpty() && p.dports.isEmpty()) return;
            String proto = p.portProtocol(strict);
            boolean singleSport = p.sports.size() == 1 && p.sports.get(0).ranges().size() == 1;
            boolean singleDport = p.dports.size() == 1 && p.dports.get(0).ranges().size() == 1;
            if (singleSport && singleDport) {
                sb.append(" -m ").append(proto).append(neg(p.sports.get(0))).append(" --sport ").append(p.sports.get(0).ranges().get(0))
                        .append(neg(p.dports.get(0))).append(" --dport ").append(p.dports.get(0).ranges().get(0));
                return;
            }
            for (Match.SrcPorts m : p.sports) {
                if (singleSport) sb.append(" -m ").append(proto).append(neg(m)).append(" --sport ").append(m.ranges().get(0));
                else sb.append(" -m multiport").append(neg(m)).append(" --sports ").append(ports(m.ranges()));
            }
            for (Match.DstPorts m : p.dports) {
                if (singleDport) sb.append(" -m ").append(proto).append(neg(m)).append(" --dport ").append(m.ranges().get(0));
                else sb.append(" -m multiport").append(neg(m)).append(" --dports ").append(ports(m.ranges()));
            }
        }

        private String states(Match.ConnState m) {
            if (m.states().isEmpty()) fail("a conntrack match needs at least one state");
            for (String s : m.states()) if (ConntrackState.of(s).isEmpty()) fail("unknown conntrack state '" + s + "'");
            List<String> known = new ArrayList<>();
            for (ConntrackState s : ConntrackState.values()) if (m.states().contains(s.word())) known.add(s.word());
            m.states().stream().filter(s -> ConntrackState.of(s).isEmpty()).sorted().forEach(known::add);
            return String.join(",", known);
        }

        private String ports(List<PortRange> ranges) {
            if (ranges.isEmpty()) fail("a port match needs at least one port");
            if (ranges.size() > 15) fail("multiport takes at most 15 ports, not " + ranges.size());
            return ranges.stream().map(PortRange::toString).collect(Collectors.joining(","));
        }

        private static String neg(Match m) { return m.negated() ? " !" : ""; }

        /** "FIN,SYN,RST,ACK", "NONE": iptables-save's names in bit order (ALL is printed as every name). */
        private static String tcpFlags(int bits) {
            List<String> names = new ArrayList<>();
            for (Match.TcpFlag f : Match.TcpFlag.values()) if ((bits & f.bit) != 0) names.add(f.name());
            return names.isEmpty() ? "NONE" : String.join(",", names);
        }

        private static String hex(long n) { return "0x" + Long.toHexString(n); }

        /** The extension matches, each as its own -m group in iptables-save's words. */
        private final Match.Visitor<String> extensions = new ExtensionText();

        private final class ExtensionText implements Match.Visitor<String> {
            public String visit(Match.InSet m) {
                return " -m set" + neg(m) + " --match-set " + token("set name", m.set()) + " " + String.join(",", m.flags())
                        + (m.returnNomatch() ? " --return-nomatch" : "");
            }

            public String visit(Match.IpRange m) {
                if (m.from().family() != f) fail("range " + m.from() + "-" + m.to() + " is not " + f.word());
                return " -m iprange" + neg(m) + (m.source() ? " --src-range " : " --dst-range ") + m.from() + "-" + m.to();
            }

            public String visit(Match.Owner m) {
                if (m.kind() == Match.OwnerKind.SOCKET_EXISTS) return " -m owner" + neg(m) + " --socket-exists";
                return " -m owner" + neg(m) + " " + m.kind().option() + " " + m.from() + (m.to() != m.from() ? "-" + m.to() : "");
            }

            public String visit(Match.RpFilter m) {
                return " -m rpfilter" + (m.loose() ? " --loose" : "") + (m.validMark() ? " --validmark" : "")
                        + (m.acceptLocal() ? " --accept-local" : "") + (m.invert() ? " --invert" : "");
            }

            public String visit(Match.Mark m) {
                return " -m mark" + neg(m) + " --mark " + hex(m.value()) + (m.mask() == 0xffffffffL ? "" : "/" + hex(m.mask()));
            }

            public String visit(Match.Limit m) { return " -m limit " + oneLine("limit", m.text().strip()); }

            public String visit(Match.TcpFlags m) { throw new IllegalStateException("printed with the ports"); }

            public String visit(Match.Source m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.Destination m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.InInterface m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.OutInterface m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.Protocol m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.DstPorts m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.SrcPorts m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.IcmpType m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.ConnState m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.AddrType m) { throw new IllegalStateException("not an extension"); }

            public String visit(Match.Unsupported m) { throw new IllegalStateException("not an extension"); }
        }

        private final class Targets implements Target.Visitor<String> {
            public String visit(Target.Accept t) { return " -j ACCEPT"; }

            public String visit(Target.Drop t) { return " -j DROP"; }

            public String visit(Target.Reject t) {
                String with = t.with().isBlank() ? RejectWith.defaultWord(f) : t.with();
                return " -j REJECT --reject-with " + token("reject type", with);
            }

            public String visit(Target.Return t) { return " -j RETURN"; }

            public String visit(Target.Jump t) { return " -j " + token("chain name", t.chain()); }

            public String visit(Target.Goto t) { return " -g " + token("chain name", t.chain()); }

            public String visit(Target.Log t) {
                if (t.prefix().length() > 29) fail("log prefix '" + t.prefix() + "' is over 29 characters, LOG's limit");
                return " -j LOG" + (t.prefix().isEmpty() ? "" : " --log-prefix " + quote(oneLine("log prefix", t.prefix())));
            }

            public String visit(Target.Dnat t) { return " -j DNAT --to-destination " + natAddress(t.to(), t.port()); }

            public String visit(Target.Snat t) { return " -j SNAT --to-source " + natAddress(t.to(), t.port()); }

            public String visit(Target.Masquerade t) { return " -j MASQUERADE"; }

            public String visit(Target.Redirect t) { return " -j REDIRECT" + t.port().map(p -> " --to-ports " + p.nft()).orElse(""); }

            public String visit(Target.None t) { return ""; }

            public String visit(Target.Unsupported t) {
                // a target only a snapshot can hold: written back as iptables-save printed it
                String text = oneLine("target", t.text().strip());
                return text.startsWith("-j ") || text.startsWith("-g ") ? " " + text : " -j " + text;
            }
        }
    }

    /**
     * A rule's matches sorted by kind, in iptables-save's order. Strict: two of one kind cannot be written as one
     * iptables rule (the parser would read them back differently).
     */
    static final class Parts {
        final List<Match.Source> src = new ArrayList<>();
        final List<Match.Destination> dst = new ArrayList<>();
        final List<Match.InInterface> in = new ArrayList<>();
        final List<Match.OutInterface> out = new ArrayList<>();
        final List<Match.Protocol> proto = new ArrayList<>();
        final List<Match.SrcPorts> sports = new ArrayList<>();
        final List<Match.DstPorts> dports = new ArrayList<>();
        final List<Match.IcmpType> icmp = new ArrayList<>();
        final List<Match.ConnState> state = new ArrayList<>();
        final List<Match.AddrType> srcType = new ArrayList<>();
        final List<Match.AddrType> dstType = new ArrayList<>();
        final List<Match.TcpFlags> flags = new ArrayList<>();
        /** set, iprange, owner, rpfilter, mark, limit: each its own group, in the rule's order. */
        final List<Match> ext = new ArrayList<>();
        final List<Match.Unsupported> unsupported = new ArrayList<>();

        /** True when the last port group printed is "-m tcp", which a TCP flags match then joins. */
        boolean endsInTcp() {
            if (!"tcp".equals(proto.stream().filter(m -> !m.negated()).map(Match.Protocol::name).findFirst().orElse(""))) return false;
            boolean singleSport = sports.size() == 1 && sports.get(0).ranges().size() == 1;
            boolean singleDport = dports.size() == 1 && dports.get(0).ranges().size() == 1;
            return !dports.isEmpty() ? singleDport : !sports.isEmpty() && singleSport;
        }

        static Parts of(Rule r, boolean strict) {
            Parts p = new Parts();
            Match.Visitor<List<? extends Match>> sorter = new Match.Visitor<>() {
                public List<? extends Match> visit(Match.Source m) { return add(p.src, m, "-s"); }

                public List<? extends Match> visit(Match.Destination m) { return add(p.dst, m, "-d"); }

                public List<? extends Match> visit(Match.InInterface m) { return add(p.in, m, "-i"); }

                public List<? extends Match> visit(Match.OutInterface m) { return add(p.out, m, "-o"); }

                public List<? extends Match> visit(Match.Protocol m) { return add(p.proto, m, "-p"); }

                public List<? extends Match> visit(Match.DstPorts m) { return add(p.dports, m, "destination port"); }

                public List<? extends Match> visit(Match.SrcPorts m) { return add(p.sports, m, "source port"); }

                public List<? extends Match> visit(Match.IcmpType m) { return add(p.icmp, m, "ICMP type"); }

                public List<? extends Match> visit(Match.ConnState m) { return add(p.state, m, "conntrack state"); }

                public List<? extends Match> visit(Match.AddrType m) {
                    return m.source() ? add(p.srcType, m, "--src-type") : add(p.dstType, m, "--dst-type");
                }

                public List<? extends Match> visit(Match.InSet m) { return ext(m); }

                public List<? extends Match> visit(Match.IpRange m) { return ext(m); }

                public List<? extends Match> visit(Match.Owner m) { return ext(m); }

                public List<? extends Match> visit(Match.RpFilter m) { return ext(m); }

                public List<? extends Match> visit(Match.Mark m) { return ext(m); }

                public List<? extends Match> visit(Match.Limit m) { return ext(m); }

                public List<? extends Match> visit(Match.TcpFlags m) { return add(p.flags, m, "TCP flags"); }

                public List<? extends Match> visit(Match.Unsupported m) {
                    p.unsupported.add(m);
                    return p.unsupported;
                }

                private List<Match> ext(Match m) {
                    p.ext.add(m);
                    return p.ext;
                }

                private <M extends Match> List<M> add(List<M> had, M m, String what) {
                    if (strict && !had.isEmpty()) throw new IllegalArgumentException("two " + what + " matches in one rule");
                    had.add(m);
                    return had;
                }
            };
            for (Match m : r.matches()) m.accept(sorter);
            return p;
        }

        /** The protocol a port match belongs to: -p must name it, and not negated (lenient: tcp when it does not). */
        String portProtocol(boolean strict) {
            String p = proto.stream().filter(m -> !m.negated()).map(Match.Protocol::name).findFirst().orElse("");
            if (List.of("tcp", "udp", "sctp", "udplite", "dccp").contains(p)) return p;
            if (!strict) return p.isEmpty() ? "tcp" : p;
            throw new IllegalArgumentException("a port match needs -p tcp, udp, sctp, udplite or dccp, not '"
                    + proto.stream().findFirst().map(m -> (m.negated() ? "! " : "") + m.name()).orElse("none") + "'");
        }

        void requireProtocol(String want, String what, boolean strict) {
            String p = proto.stream().filter(m -> !m.negated()).map(Match.Protocol::name).findFirst().orElse("");
            boolean ok = p.equals(want) || (want.equals("ipv6-icmp") && (p.equals("icmpv6") || p.equals("58")))
                    || (want.equals("icmp") && p.equals("1"));
            if (!ok && strict) throw new IllegalArgumentException(what + " needs -p " + want + ", not '" + (p.isEmpty() ? "none" : p) + "'");
        }
    }
}
