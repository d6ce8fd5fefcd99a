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
 * addrtype}); any other extension, or an option of these it does not model, becomes a
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
            default:
                // --tcp-flags, --syn, --tcp-option
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

    private static Match unsupported(String head, Opt o) { return new Match.Unsupported(head + " " + o.text()); }
}
