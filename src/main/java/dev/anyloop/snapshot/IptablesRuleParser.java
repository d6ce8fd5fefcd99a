package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.snapshot.IptablesTokenizer.Token;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the words of one {@code -A CHAIN ...} line into a {@link Rule}. The words are first cut into option
 * groups (an optional {@code !}, a rule option such as {@code -s}, {@code -p}, {@code -m NAME} or
 * {@code -j NAME}, and the words that belong to it); each group becomes typed matches, or one
 * {@link Match.Unsupported} / {@link Target.Unsupported} holding the group's text.
 */
final class IptablesRuleParser {
    private static final Set<String> RULE_OPTIONS = Set.of("-s", "--source", "--src", "-d", "--destination", "--dst",
            "-i", "--in-interface", "-o", "--out-interface", "-p", "--protocol", "-m", "--match", "-j", "--jump",
            "-g", "--goto", "-f", "--fragment", "-c", "--set-counters", "-4", "--ipv4", "-6", "--ipv6");

    private final String file;
    private final int line;
    private final Family family;
    private final Set<String> chains;

    IptablesRuleParser(String file, int line, Family family, Set<String> chains) {
        this.file = file;
        this.line = line;
        this.family = family;
        this.chains = chains;
    }

    /** A rule option and its words; {@code negated} is the {@code !} written in front of it. */
    private record Group(boolean negated, Token head, List<Token> args) {
        String text() {
            List<Token> all = new ArrayList<>();
            if (negated) all.add(new Token("!", false));
            all.add(head);
            all.addAll(args);
            return IptablesTokenizer.join(all);
        }
    }

    Rule parse(List<Token> words) throws SnapshotException {
        List<Match> matches = new ArrayList<>();
        Optional<String> comment = Optional.empty();
        Target target = null;
        for (Group g : groups(words)) {
            String h = g.head().text();
            if (target != null) throw error("expected the target to come last, found '" + g.text() + "' after it");
            switch (h) {
                case "-s": case "--source": case "--src":
                case "-d": case "--destination": case "--dst": {
                    Neg v = value(g);
                    Prefix p = prefix(v.text());
                    boolean source = h.equals("-s") || h.equals("--source") || h.equals("--src");
                    matches.add(source ? new Match.Source(p, v.negated()) : new Match.Destination(p, v.negated()));
                    break;
                }
                case "-i": case "--in-interface": {
                    Neg v = value(g);
                    matches.add(new Match.InInterface(v.text(), v.negated()));
                    break;
                }
                case "-o": case "--out-interface": {
                    Neg v = value(g);
                    matches.add(new Match.OutInterface(v.text(), v.negated()));
                    break;
                }
                case "-p": case "--protocol":
                    protocol(g, matches);
                    break;
                case "-m": case "--match": {
                    if (g.negated()) throw error("expected '!' before a match option, found it before '-m'");
                    if (g.args().isEmpty()) throw error("expected a match name after -m, found the end of the rule");
                    String module = g.args().get(0).text();
                    List<Token> opts = g.args().subList(1, g.args().size());
                    if (module.equals("comment")) {
                        comment = Optional.of(comment(g, opts));
                    } else {
                        new IptablesModules(this, family).match(module, opts, matches);
                    }
                    break;
                }
                case "-j": case "--jump": case "-g": case "--goto":
                    if (g.negated()) throw error("expected no '!' before " + h + ", found one");
                    target = target(g);
                    break;
                default:
                    // -f, -c, -4/-6: fragments and counters are not modelled
                    matches.add(new Match.Unsupported(g.text()));
            }
        }
        return new Rule(matches, target == null ? new Target.None() : target, comment);
    }

    /** Cuts the words into groups; a word before any rule option is an error. */
    private List<Group> groups(List<Token> words) throws SnapshotException {
        List<Group> out = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            boolean neg = false;
            if (words.get(i).is("!")) {
                neg = true;
                i++;
                if (i >= words.size()) throw error("expected an option after '!', found the end of the rule");
            }
            Token head = words.get(i);
            if (!isRuleOption(head)) {
                throw error("expected an option such as -s, -d, -i, -o, -p, -m or -j, found '" + head.raw() + "'");
            }
            i++;
            List<Token> args = new ArrayList<>();
            while (i < words.size() && (takesValue(args) || !isRuleOption(words.get(i))
                    && !(words.get(i).is("!") && i + 1 < words.size() && isRuleOption(words.get(i + 1))))) {
                if (words.get(i).is("!") && i + 1 == words.size()) {
                    throw error("expected an option after '!', found the end of the rule");
                }
                args.add(words.get(i++));
            }
            out.add(new Group(neg, head, args));
        }
        return out;
    }

    /**
     * Options whose value is the next word whatever it looks like: iptables-save quotes only words with characters
     * outside [A-Za-z0-9_-] (xtables_save_string), so a log prefix "-c" is written bare and is not the -c option.
     */
    static final Set<String> TAKES_VALUE = Set.of("--log-prefix", "--log-level", "--reject-with", "--to-destination",
            "--to-source", "--to-ports", "--comment");

    private static boolean takesValue(List<Token> args) {
        return !args.isEmpty() && !args.get(args.size() - 1).quoted() && TAKES_VALUE.contains(args.get(args.size() - 1).text());
    }

    private static boolean isRuleOption(Token t) { return !t.quoted() && RULE_OPTIONS.contains(t.text()); }

    /** A value and whether it was negated, by a {@code !} before the option or (old form) after it. */
    record Neg(String text, boolean negated) { }

    private Neg value(Group g) throws SnapshotException {
        List<Token> a = g.args();
        boolean neg = g.negated();
        int i = 0;
        if (!a.isEmpty() && a.get(0).is("!")) {
            if (neg) throw error("expected one '!' for " + g.head().text() + ", found two");
            neg = true;
            i = 1;
        }
        if (a.size() <= i) throw error("expected a value after " + g.head().text() + ", found the end of the rule");
        if (a.size() > i + 1) {
            throw error("expected one value after " + g.head().text() + ", found '" + IptablesTokenizer.join(a) + "'");
        }
        return new Neg(a.get(i).text(), neg);
    }

    private void protocol(Group g, List<Match> matches) throws SnapshotException {
        List<Token> a = g.args();
        boolean neg = g.negated();
        int i = 0;
        if (!a.isEmpty() && a.get(0).is("!")) {
            neg = true;
            i = 1;
        }
        if (a.size() <= i) throw error("expected a protocol after -p, found the end of the rule");
        String proto = protocolName(a.get(i).text());
        // "-p all" (or 0) is every protocol: no condition at all, and "! -p all" can never match
        if (proto.equals("all")) {
            if (neg) matches.add(new Match.Unsupported(g.text()));
        } else {
            matches.add(new Match.Protocol(proto, neg));
        }
        // "-p tcp --dport 22" without "-m tcp": iptables loads the protocol's match implicitly
        List<Token> rest = a.subList(i + 1, a.size());
        if (!rest.isEmpty()) {
            String module = proto.equals("ipv6-icmp") ? "icmp6" : proto;
            new IptablesModules(this, family).match(module, rest, matches);
        }
    }

    /** Canonical protocol word: tcp, udp, icmp, ipv6-icmp, all, another name as written, or a number. */
    static String protocolName(String p) {
        String s = p.toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "6": return "tcp";
            case "17": return "udp";
            case "1": return "icmp";
            case "58": case "icmpv6": case "icmp6": return "ipv6-icmp";
            case "0": return "all";
            default: return s;
        }
    }

    private String comment(Group g, List<Token> opts) throws SnapshotException {
        if (opts.size() != 2 || !opts.get(0).is("--comment")) {
            throw error("expected '-m comment --comment TEXT', found '" + g.text() + "'");
        }
        return opts.get(1).text();
    }

    private Target target(Group g) throws SnapshotException {
        String h = g.head().text();
        if (g.args().isEmpty()) throw error("expected a target after " + h + ", found the end of the rule");
        String name = g.args().get(0).text();
        List<Token> opts = g.args().subList(1, g.args().size());
        if (h.equals("-g") || h.equals("--goto")) {
            if (!chains.contains(name)) throw error("expected a declared chain after -g, found '" + name + "'");
            if (!opts.isEmpty()) throw error("expected nothing after '-g " + name + "', found '" + IptablesTokenizer.join(opts) + "'");
            return new Target.Goto(name);
        }
        if (chains.contains(name)) {
            if (!opts.isEmpty()) throw error("expected nothing after '-j " + name + "', found '" + IptablesTokenizer.join(opts) + "'");
            return new Target.Jump(name);
        }
        return new IptablesTargets(this, family).target(name, opts, g.text());
    }

    /** A port or range as iptables writes it: 22, 1024:65535, :1023, 1024: (1024-2048 for NAT targets). */
    PortRange port(String s) throws SnapshotException {
        if (!s.matches("\\d*[:-]?\\d*") || s.isEmpty() || s.equals(":") || s.equals("-")) {
            throw error("expected a port number or range such as 1024:2048, found '" + s + "'");
        }
        try {
            return PortRange.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** An address with an optional /LEN or /MASK; host bits are dropped as iptables itself does. */
    Prefix prefix(String s) throws SnapshotException {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Optional<Ip> ip = Ip.tryParse(addr);
        if (ip.isEmpty()) throw error("expected an address or ADDR/LEN, found '" + s + "'");
        if (ip.get().family() != family) {
            throw error("expected an " + family.word() + " address in " + (family == Family.V4 ? "iptables" : "ip6tables")
                    + " rules, found '" + s + "'");
        }
        if (slash < 0) return Prefix.host(ip.get());
        String len = s.substring(slash + 1);
        int n;
        if (len.matches("\\d{1,3}")) {
            n = Integer.parseInt(len);
        } else {
            n = maskLength(len);
        }
        if (n < 0 || n > family.bits()) throw error("expected a prefix length 0-" + family.bits() + ", found '" + s + "'");
        return Prefix.containing(ip.get(), n);
    }

    /** A dotted netmask (iptables-save prints one when it is not contiguous... which a Prefix cannot be). */
    private int maskLength(String mask) throws SnapshotException {
        Optional<Ip> m = Ip.tryParse(mask);
        if (m.isEmpty() || m.get().family() != family) throw error("expected a prefix length or netmask, found '" + mask + "'");
        int len = 0;
        while (len < family.bits() && m.get().bit(len) == 1) len++;
        if (!m.get().masked(len).equals(m.get())) {
            throw error("expected a contiguous netmask, found '" + mask + "' (non-contiguous masks are not modelled)");
        }
        return len;
    }

    /** Comma-separated states or types, upper case, in order and without repeats. */
    static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : s.split(",")) if (!w.isEmpty()) out.add(w.toUpperCase(java.util.Locale.ROOT));
        return out;
    }

    SnapshotException error(String reason) { return SnapshotException.atLine(file, line, reason); }
}
