package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.PortRange;
import dev.anyloop.snapshot.IptablesTokenizer.Token;
import dev.anyloop.state.IcmpTypes;
import dev.anyloop.state.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The match extensions anyloop models ({@code -m tcp, udp, icmp, icmp6, multiport, conntrack, state,
 * addrtype, set, iprange, owner, rpfilter, mark, limit}); any other extension, or an option of these it does not model, becomes a
 * {@link Match.Unsupported} holding its text.
 */
final class IptablesModules {
    private final IptablesRuleParser rule;
    private final Family family;

    IptablesModules(IptablesRuleParser rule, Family family) {
        this.rule = rule;
        this.family = family;
    }

    /** One option of an extension: {@code [!] --name values...}. */
    record Opt(boolean negated, String name, List<Token> values) {
        String value() { return values.get(0).text(); }

        String text() {
            List<Token> all = new ArrayList<>();
            if (negated) all.add(new Token("!", false));
            all.add(new Token(name, false));
            all.addAll(values);
            return IptablesTokenizer.join(all);
        }
    }

    void match(String module, List<Token> words, List<Match> out) throws SnapshotException {
        String head = "-m " + module;
        List<Opt> opts = options(head, words);
        switch (module) {
            case "tcp": case "udp":
                for (Opt o : opts) ports(head, o, out);
                break;
            case "icmp": case "icmp6":
                for (Opt o : opts) icmp(head, module, o, out);
                break;
            case "multiport":
                for (Opt o : opts) multiport(head, o, out);
                break;
            case "conntrack": case "state":
                for (Opt o : opts) {
                    if (o.name().equals(module.equals("state") ? "--state" : "--ctstate")) {
                        out.add(new Match.ConnState(IptablesRuleParser.words(one(head, o)), o.negated()));
                    } else {
                        out.add(unsupported(head, o));
                    }
                }
                break;
            case "addrtype":
                addrtype(head, words, opts, out);
                break;
            case "set":
                set(head, opts, out);
                break;
            case "iprange":
                for (Opt o : opts) iprange(head, o, out);
                break;
            case "owner":
                for (Opt o : opts) owner(head, o, out);
                break;
            case "rpfilter":
                rpfilter(head, words, opts, out);
                break;
            case "mark":
                for (Opt o : opts) {
                    if (o.name().equals("--mark")) out.add(mark(head, o));
                    else out.add(unsupported(head, o));
                }
                break;
            case "limit":
                // the bucket's state is not in a snapshot: a single probe passes while it has tokens (said in the trace)
                out.add(new Match.Limit(IptablesTokenizer.join(words)));
                break;
            default:
                out.add(new Match.Unsupported(words.isEmpty() ? head : head + " " + IptablesTokenizer.join(words)));
        }
    }

    private List<Opt> options(String head, List<Token> words) throws SnapshotException {
        List<Opt> out = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            boolean neg = false;
            if (words.get(i).is("!")) {
                neg = true;
                i++;
            }
            if (i >= words.size() || !words.get(i).isOption()) {
                String found = i >= words.size() ? "the end of the rule" : "'" + words.get(i).raw() + "'";
                throw rule.error("expected an option of '" + head + "' such as --dport, found " + found);
            }
            String name = words.get(i++).text();
            // the old form puts '!' after the option: "--dport ! 22"
            if (i + 1 < words.size() && words.get(i).is("!") && !words.get(i + 1).isOption()) {
                if (neg) throw rule.error("expected one '!' for " + name + ", found two");
                neg = true;
                i++;
            }
            List<Token> values = new ArrayList<>();
            while (i < words.size() && !words.get(i).isOption() && !words.get(i).is("!")) values.add(words.get(i++));
            out.add(new Opt(neg, name, values));
        }
        return out;
    }

    private String one(String head, Opt o) throws SnapshotException {
        if (o.values().size() != 1) {
            throw rule.error("expected one value after '" + head + " " + o.name() + "', found " + o.values().size()
                    + (o.values().isEmpty() ? "" : " ('" + IptablesTokenizer.join(o.values()) + "')"));
        }
        return o.value();
    }

    private void ports(String head, Opt o, List<Match> out) throws SnapshotException {
        switch (o.name()) {
            case "--dport": case "--destination-port":
                out.add(new Match.DstPorts(List.of(rule.port(one(head, o))), o.negated()));
                break;
            case "--sport": case "--source-port":
                out.add(new Match.SrcPorts(List.of(rule.port(one(head, o))), o.negated()));
                break;
            case "--tcp-flags":
                if (!head.equals("-m tcp")) {
                    out.add(unsupported(head, o));
                } else if (o.values().size() != 2) {
                    throw rule.error("expected '--tcp-flags MASK COMP', found '" + o.text() + "'");
                } else {
                    out.add(new Match.TcpFlags(tcpFlags(o.values().get(0).text()), tcpFlags(o.values().get(1).text()), o.negated()));
                }
                break;
            case "--syn":
                if (!head.equals("-m tcp") || !o.values().isEmpty()) {
                    out.add(unsupported(head, o));
                } else {
                    int fsra = Match.TcpFlag.FIN.bit | Match.TcpFlag.SYN.bit | Match.TcpFlag.RST.bit | Match.TcpFlag.ACK.bit;
                    out.add(new Match.TcpFlags(fsra, Match.TcpFlag.SYN.bit, o.negated()));
                }
                break;
            default:
                // --tcp-option, and udp's unknown options
                out.add(unsupported(head, o));
        }
    }

    private void icmp(String head, String module, Opt o, List<Match> out) throws SnapshotException {
        String expected = module.equals("icmp") ? "--icmp-type" : "--icmpv6-type";
        if (!o.name().equals(expected)) {
            out.add(unsupported(head, o));
            return;
        }
        Family f = module.equals("icmp") ? Family.V4 : Family.V6;
        Optional<int[]> t = IcmpTypes.parse(f, one(head, o));
        // a name missing from IcmpTypes (legacy iptables prints names, nf_tables numbers) is kept as text
        if (t.isEmpty() || t.get()[0] < 0 || t.get()[0] > 255) {
            out.add(unsupported(head, o));
        } else {
            out.add(new Match.IcmpType(t.get()[0], t.get()[1], o.negated()));
        }
    }

    private void multiport(String head, Opt o, List<Match> out) throws SnapshotException {
        String name = o.name();
        boolean dst = name.equals("--dports") || name.equals("--destination-ports");
        boolean src = name.equals("--sports") || name.equals("--source-ports");
        // --ports matches when the source OR the destination port is listed: two matches would mean AND
        if (!dst && !src) {
            out.add(unsupported(head, o));
            return;
        }
        List<PortRange> ranges = new ArrayList<>();
        for (String p : one(head, o).split(",", -1)) ranges.add(rule.port(p));
        out.add(dst ? new Match.DstPorts(ranges, o.negated()) : new Match.SrcPorts(ranges, o.negated()));
    }

    private void addrtype(String head, List<Token> words, List<Opt> opts, List<Match> out) throws SnapshotException {
        // --limit-iface-in/out narrows the address test to the packet's interface, which AddrType cannot say
        for (Opt o : opts) {
            if (!Set.of("--src-type", "--dst-type").contains(o.name()) || one(head, o).contains(",")) {
                out.add(new Match.Unsupported(head + " " + IptablesTokenizer.join(words)));
                return;
            }
        }
        for (Opt o : opts) {
            out.add(new Match.AddrType(o.name().equals("--src-type"), o.value().toUpperCase(java.util.Locale.ROOT), o.negated()));
        }
    }

    /** "FIN,SYN,RST,ACK", "ALL", "NONE" as iptables' tcp module reads them. */
    private int tcpFlags(String s) throws SnapshotException {
        int bits = 0;
        for (String w : s.split(",")) {
            String u = w.toUpperCase(java.util.Locale.ROOT);
            if (u.equals("ALL")) {
                for (Match.TcpFlag f : Match.TcpFlag.values()) bits |= f.bit;
            } else if (!u.equals("NONE")) {
                try {
                    bits |= Match.TcpFlag.valueOf(u).bit;
                } catch (IllegalArgumentException e) {
                    throw rule.error("expected TCP flags such as SYN,ACK, ALL or NONE, found '" + s + "'");
                }
            }
        }
        return bits;
    }

    private void set(String head, List<Opt> opts, List<Match> out) throws SnapshotException {
        boolean returnNomatch = opts.stream().anyMatch(o -> o.name().equals("--return-nomatch"));
        int sets = 0;
        for (Opt o : opts) {
            switch (o.name()) {
                case "--match-set": {
                    if (o.values().size() != 2) throw rule.error("expected '--match-set NAME src|dst[,...]', found '" + o.text() + "'");
                    List<String> flags = List.of(o.values().get(1).text().split(","));
                    if (flags.stream().anyMatch(f -> !f.equals("src") && !f.equals("dst"))) {
                        throw rule.error("expected set flags src or dst separated by commas, found '" + o.values().get(1).text() + "'");
                    }
                    out.add(new Match.InSet(o.values().get(0).text(), flags, returnNomatch, o.negated()));
                    sets++;
                    break;
                }
                case "--return-nomatch":
                    break;
                case "--update-counters": case "--update-subcounters":
                    // "! --update-counters" only stops counting: no condition
                    break;
                default:
                    // --packets-gt, --bytes-lt ...: conditions on the element's counters, which a snapshot lacks
                    out.add(unsupported(head, o));
            }
        }
        if (sets == 0) throw rule.error("expected '--match-set NAME FLAGS' in '" + head + "'");
    }

    private void iprange(String head, Opt o, List<Match> out) throws SnapshotException {
        boolean src = o.name().equals("--src-range");
        if (!src && !o.name().equals("--dst-range")) {
            out.add(unsupported(head, o));
            return;
        }
        String v = one(head, o);
        int dash = v.indexOf('-');
        Optional<dev.anyloop.net.Ip> a = dev.anyloop.net.Ip.tryParse(dash < 0 ? v : v.substring(0, dash));
        Optional<dev.anyloop.net.Ip> b = dash < 0 ? a : dev.anyloop.net.Ip.tryParse(v.substring(dash + 1));
        if (a.isEmpty() || b.isEmpty() || a.get().family() != family || b.get().family() != family) {
            throw rule.error("expected an " + family.word() + " range FROM-TO after " + o.name() + ", found '" + v + "'");
        }
        out.add(new Match.IpRange(src, a.get(), b.get(), o.negated()));
    }

    private void owner(String head, Opt o, List<Match> out) throws SnapshotException {
        for (Match.OwnerKind k : Match.OwnerKind.values()) {
            if (!k.option().equals(o.name())) continue;
            if (k == Match.OwnerKind.SOCKET_EXISTS) {
                if (!o.values().isEmpty()) throw rule.error("expected nothing after --socket-exists, found '" + o.text() + "'");
                out.add(new Match.Owner(k, 0, 0, o.negated()));
                return;
            }
            String v = one(head, o);
            // iptables-save prints numbers; a user name would need the host's passwd, which a snapshot lacks
            if (!v.matches("\\d{1,10}(-\\d{1,10})?")) {
                out.add(unsupported(head, o));
                return;
            }
            String[] ab = v.split("-");
            out.add(new Match.Owner(k, Long.parseLong(ab[0]), Long.parseLong(ab[ab.length - 1]), o.negated()));
            return;
        }
        // --suppl-groups widens --gid-owner to supplementary groups: unknown
        out.add(unsupported(head, o));
    }

    private void rpfilter(String head, List<Token> words, List<Opt> opts, List<Match> out) {
        boolean loose = false;
        boolean validMark = false;
        boolean acceptLocal = false;
        boolean invert = false;
        for (Opt o : opts) {
            if (o.negated() || !o.values().isEmpty()) {
                out.add(new Match.Unsupported(head + " " + IptablesTokenizer.join(words)));
                return;
            }
            switch (o.name()) {
                case "--loose": loose = true; break;
                case "--validmark": validMark = true; break;
                case "--accept-local": acceptLocal = true; break;
                case "--invert": invert = true; break;
                default:
                    out.add(new Match.Unsupported(head + " " + IptablesTokenizer.join(words)));
                    return;
            }
        }
        out.add(new Match.RpFilter(loose, validMark, acceptLocal, invert));
    }

    private Match mark(String head, Opt o) throws SnapshotException {
        String v = one(head, o);
        int slash = v.indexOf('/');
        long value = number(slash < 0 ? v : v.substring(0, slash), o);
        long mask = slash < 0 ? 0xffffffffL : number(v.substring(slash + 1), o);
        return new Match.Mark(value, mask, o.negated());
    }

    /** A 32-bit number in hex (0x..) or decimal, as iptables' mark options take it. */
    private long number(String s, Opt o) throws SnapshotException {
        try {
            long n = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (n < 0 || n > 0xffffffffL) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw rule.error("expected a 32-bit mark such as 0x1 or 0x1/0xff after " + o.name() + ", found '" + o.text() + "'");
        }
    }

    private static Match unsupported(String head, Opt o) { return new Match.Unsupported(head + " " + o.text()); }
}
