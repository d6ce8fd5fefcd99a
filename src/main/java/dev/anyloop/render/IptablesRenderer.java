package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.Chain;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
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
 * iptables-save's order, so that a restore followed by a save gives the same text back.
 */
public final class IptablesRenderer {
    private IptablesRenderer() { }

    /** The order conntrack's save function prints states in (libxt_conntrack.c). */
    static final List<String> CT_STATES = List.of("INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT");

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
        for (String n : Table.BUILTIN.getOrDefault(t.name(), List.of())) {
            if (t.chain(n).isEmpty()) chains.add(Chain.builtin(n, new Target.Accept(), List.of()));
        }
        return new Table(t.name(), chains);
    }

    /** Built-in chains in the kernel's order, then any other chain with a policy, then user chains by name. */
    static List<Chain> saveOrder(Table t) {
        List<Chain> out = new ArrayList<>();
        List<String> builtin = Table.BUILTIN.getOrDefault(t.name(), List.of());
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
            return "-A " + Names.token("chain name", chain) + body(f, r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f.word() + " " + table + " " + chain + " rule " + (index + 1) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rule after its chain name, as iptables-save prints it: "-d 10.10.10.10/32 -j AL-IN-web". The same
     * text follows {@code -A CHAIN}, {@code -I CHAIN N} or {@code -D CHAIN} (delete by specification), and it is
     * canonical, so apply compares rules by it.
     */
    public static String spec(Family f, Rule r) { return body(f, r).strip(); }

    private static String body(Family f, Rule r) {
        Parts p = Parts.of(r);
        StringBuilder sb = new StringBuilder();
        p.src.ifPresent(m -> sb.append(neg(m)).append(" -s ").append(m.prefix()));
        p.dst.ifPresent(m -> sb.append(neg(m)).append(" -d ").append(m.prefix()));
        p.in.ifPresent(m -> sb.append(neg(m)).append(" -i ").append(Names.iface(m.name())));
        p.out.ifPresent(m -> sb.append(neg(m)).append(" -o ").append(Names.iface(m.name())));
        p.proto.ifPresent(m -> sb.append(neg(m)).append(" -p ").append(Names.token("protocol", m.name())));
        boolean singleSport = p.sports.isPresent() && p.sports.get().ranges().size() == 1;
        boolean singleDport = p.dports.isPresent() && p.dports.get().ranges().size() == 1;
        if (p.sports.isPresent() || p.dports.isPresent()) {
            String proto = p.portProtocol();
            if (singleSport || singleDport) {
                sb.append(" -m ").append(proto);
                if (singleSport) sb.append(neg(p.sports.get())).append(" --sport ").append(p.sports.get().ranges().get(0));
                if (singleDport) sb.append(neg(p.dports.get())).append(" --dport ").append(p.dports.get().ranges().get(0));
            }
            if (p.sports.isPresent() && !singleSport) sb.append(" -m multiport").append(neg(p.sports.get())).append(" --sports ").append(ports(p.sports.get().ranges()));
            if (p.dports.isPresent() && !singleDport) sb.append(" -m multiport").append(neg(p.dports.get())).append(" --dports ").append(ports(p.dports.get().ranges()));
        }
        p.icmp.ifPresent(m -> {
            p.requireProtocol(f == Family.V4 ? "icmp" : "ipv6-icmp", "an ICMP type");
            // iptables-save prints the type as a number (255 is "any"), whatever name was typed
            String type = f == Family.V4 && m.type() == 255 ? "any" : m.type() + (m.code() >= 0 ? "/" + m.code() : "");
            sb.append(f == Family.V4 ? " -m icmp" : " -m icmp6").append(neg(m))
                    .append(f == Family.V4 ? " --icmp-type " : " --icmpv6-type ").append(type);
        });
        p.state.ifPresent(m -> {
            if (m.states().isEmpty()) throw new IllegalArgumentException("a conntrack match needs at least one state");
            for (String s : m.states()) {
                if (!CT_STATES.contains(s)) throw new IllegalArgumentException("unknown conntrack state '" + s + "'");
            }
            String states = CT_STATES.stream().filter(m.states()::contains).collect(Collectors.joining(","));
            sb.append(" -m conntrack").append(neg(m)).append(" --ctstate ").append(states);
        });
        if (p.srcType.isPresent() || p.dstType.isPresent()) {
            sb.append(" -m addrtype");
            p.srcType.ifPresent(m -> sb.append(neg(m)).append(" --src-type ").append(Names.token("address type", m.type())));
            p.dstType.ifPresent(m -> sb.append(neg(m)).append(" --dst-type ").append(Names.token("address type", m.type())));
        }
        for (Match.Unsupported u : p.unsupported) sb.append(' ').append(Names.oneLine("match", u.text().strip()));
        r.comment().ifPresent(c -> {
            if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("comment '" + c + "' is over 255 bytes, xt_comment's limit");
            }
            sb.append(" -m comment --comment ").append(quote(Names.oneLine("comment", c)));
        });
        sb.append(target(f, r.target()));
        return sb.toString();
    }

    private static String target(Family f, Target t) {
        if (t instanceof Target.Accept) return " -j ACCEPT";
        if (t instanceof Target.Drop) return " -j DROP";
        if (t instanceof Target.Return) return " -j RETURN";
        if (t instanceof Target.None) return "";
        if (t instanceof Target.Masquerade) return " -j MASQUERADE";
        if (t instanceof Target.Jump) return " -j " + Names.token("chain name", ((Target.Jump) t).chain());
        if (t instanceof Target.Goto) return " -g " + Names.token("chain name", ((Target.Goto) t).chain());
        if (t instanceof Target.Reject) {
            String with = ((Target.Reject) t).with();
            if (with.isBlank()) with = f == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
            return " -j REJECT --reject-with " + Names.token("reject type", with);
        }
        if (t instanceof Target.Log) {
            String prefix = ((Target.Log) t).prefix();
            if (prefix.length() > 29) throw new IllegalArgumentException("log prefix '" + prefix + "' is over 29 characters, LOG's limit");
            return " -j LOG" + (prefix.isEmpty() ? "" : " --log-prefix " + quote(Names.oneLine("log prefix", prefix)));
        }
        if (t instanceof Target.Dnat) {
            Target.Dnat d = (Target.Dnat) t;
            return " -j DNAT --to-destination " + natAddress(d.to(), d.port());
        }
        if (t instanceof Target.Snat) {
            Target.Snat s = (Target.Snat) t;
            return " -j SNAT --to-source " + natAddress(s.to(), s.port());
        }
        if (t instanceof Target.Redirect) {
            return " -j REDIRECT" + ((Target.Redirect) t).port().map(p -> " --to-ports " + p.nft()).orElse("");
        }
        // a target only a snapshot can hold: written back as iptables-save printed it
        String text = Names.oneLine("target", ((Target.Unsupported) t).text().strip());
        return text.startsWith("-j ") || text.startsWith("-g ") ? " " + text : " -j " + text;
    }

    /** "172.17.0.2:2368", "[fd00::2]:80-90": the port range uses '-' in NAT targets. */
    static String natAddress(dev.anyloop.net.Ip ip, Optional<PortRange> port) {
        String a = ip.isV4() ? ip.toString() : port.isPresent() ? "[" + ip + "]" : ip.toString();
        return a + port.map(p -> ":" + p.nft()).orElse("");
    }

    private static String ports(List<PortRange> ranges) {
        if (ranges.isEmpty()) throw new IllegalArgumentException("a port match needs at least one port");
        if (ranges.size() > 15) throw new IllegalArgumentException("multiport takes at most 15 ports, not " + ranges.size());
        return ranges.stream().map(PortRange::toString).collect(Collectors.joining(","));
    }

    private static String neg(Match m) { return m.negated() ? " !" : ""; }

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

    /** A rule's matches sorted by kind; two of one kind cannot be written as one iptables rule. */
    static final class Parts {
        Optional<Match.Source> src = Optional.empty();
        Optional<Match.Destination> dst = Optional.empty();
        Optional<Match.InInterface> in = Optional.empty();
        Optional<Match.OutInterface> out = Optional.empty();
        Optional<Match.Protocol> proto = Optional.empty();
        Optional<Match.SrcPorts> sports = Optional.empty();
        Optional<Match.DstPorts> dports = Optional.empty();
        Optional<Match.IcmpType> icmp = Optional.empty();
        Optional<Match.ConnState> state = Optional.empty();
        Optional<Match.AddrType> srcType = Optional.empty();
        Optional<Match.AddrType> dstType = Optional.empty();
        final List<Match.Unsupported> unsupported = new ArrayList<>();

        static Parts of(Rule r) {
            Parts p = new Parts();
            for (Match m : r.matches()) {
                if (m instanceof Match.Source) p.src = once(p.src, (Match.Source) m, "-s");
                else if (m instanceof Match.Destination) p.dst = once(p.dst, (Match.Destination) m, "-d");
                else if (m instanceof Match.InInterface) p.in = once(p.in, (Match.InInterface) m, "-i");
                else if (m instanceof Match.OutInterface) p.out = once(p.out, (Match.OutInterface) m, "-o");
                else if (m instanceof Match.Protocol) p.proto = once(p.proto, (Match.Protocol) m, "-p");
                else if (m instanceof Match.SrcPorts) p.sports = once(p.sports, (Match.SrcPorts) m, "source port");
                else if (m instanceof Match.DstPorts) p.dports = once(p.dports, (Match.DstPorts) m, "destination port");
                else if (m instanceof Match.IcmpType) p.icmp = once(p.icmp, (Match.IcmpType) m, "ICMP type");
                else if (m instanceof Match.ConnState) p.state = once(p.state, (Match.ConnState) m, "conntrack state");
                else if (m instanceof Match.AddrType && ((Match.AddrType) m).source()) p.srcType = once(p.srcType, (Match.AddrType) m, "--src-type");
                else if (m instanceof Match.AddrType) p.dstType = once(p.dstType, (Match.AddrType) m, "--dst-type");
                else p.unsupported.add((Match.Unsupported) m);
            }
            return p;
        }

        private static <M extends Match> Optional<M> once(Optional<M> had, M m, String what) {
            if (had.isPresent()) throw new IllegalArgumentException("two " + what + " matches in one rule");
            return Optional.of(m);
        }

        /** The protocol a port match belongs to: -p must name it, and not negated. */
        String portProtocol() {
            String p = proto.filter(m -> !m.negated()).map(Match.Protocol::name).orElse("");
            if (!List.of("tcp", "udp", "sctp", "udplite", "dccp").contains(p)) {
                throw new IllegalArgumentException("a port match needs -p tcp, udp, sctp, udplite or dccp, not '"
                        + proto.map(m -> (m.negated() ? "! " : "") + m.name()).orElse("none") + "'");
            }
            return p;
        }

        void requireProtocol(String want, String what) {
            String p = proto.filter(m -> !m.negated()).map(Match.Protocol::name).orElse("");
            boolean ok = p.equals(want) || (want.equals("ipv6-icmp") && (p.equals("icmpv6") || p.equals("58")))
                    || (want.equals("icmp") && p.equals("1"));
            if (!ok) throw new IllegalArgumentException(what + " needs -p " + want + ", not '" + (p.isEmpty() ? "none" : p) + "'");
        }
    }
}
