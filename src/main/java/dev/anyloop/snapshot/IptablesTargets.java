package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.snapshot.IptablesTokenizer.Token;
import dev.anyloop.state.RejectWith;
import dev.anyloop.state.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The targets anyloop models: ACCEPT, DROP, RETURN, REJECT, LOG, DNAT, SNAT, MASQUERADE, REDIRECT.
 * Any other target, or one of these with an option it does not model, is a {@link Target.Unsupported}.
 */
final class IptablesTargets {
    /** Options that only choose which port (or, with several addresses, which address) NAT picks: never who is reached. */
    private static final Set<String> NAT_FLAGS = Set.of("--random", "--random-fully", "--persistent");
    /** LOG options that change what is logged, not what happens to the packet. */
    private static final Set<String> LOG_DETAIL = Set.of("--log-level", "--log-tcp-sequence", "--log-tcp-options",
            "--log-ip-options", "--log-uid", "--log-macdecode");

    private final IptablesRuleParser rule;
    private final Family family;

    IptablesTargets(IptablesRuleParser rule, Family family) {
        this.rule = rule;
        this.family = family;
    }

    Target target(String name, List<Token> words, String text) throws SnapshotException {
        Map<String, Optional<String>> opts = options(words);
        if (opts == null) return new Target.Unsupported(text);
        switch (name) {
            case "ACCEPT": return opts.isEmpty() ? new Target.Accept() : new Target.Unsupported(text);
            case "DROP": return opts.isEmpty() ? new Target.Drop() : new Target.Unsupported(text);
            case "RETURN": return opts.isEmpty() ? new Target.Return() : new Target.Unsupported(text);
            case "REJECT": {
                if (!only(opts, Set.of("--reject-with"))) return new Target.Unsupported(text);
                // iptables-save always prints --reject-with; a hand-written rule without it gets the default
                return new Target.Reject(value(opts, "--reject-with").orElse(RejectWith.defaultWord(family)));
            }
            case "LOG": {
                Set<String> allowed = new java.util.HashSet<>(LOG_DETAIL);
                allowed.add("--log-prefix");
                if (!only(opts, allowed)) return new Target.Unsupported(text);
                return new Target.Log(value(opts, "--log-prefix").orElse(""));
            }
            case "DNAT": case "SNAT": {
                String key = name.equals("DNAT") ? "--to-destination" : "--to-source";
                if (!only(opts, union(NAT_FLAGS, key)) || value(opts, key).isEmpty()) return new Target.Unsupported(text);
                Optional<NatTo> to = natTo(value(opts, key).get());
                if (to.isEmpty()) return new Target.Unsupported(text);
                NatTo t = to.get();
                return name.equals("DNAT") ? new Target.Dnat(t.ip(), t.port()) : new Target.Snat(t.ip(), t.port());
            }
            case "MASQUERADE":
                // --to-ports only narrows the source port range; the address is the egress interface's either way
                if (!only(opts, union(NAT_FLAGS, "--to-ports"))) return new Target.Unsupported(text);
                if (value(opts, "--to-ports").isPresent()) rule.port(value(opts, "--to-ports").get());
                return new Target.Masquerade();
            case "REDIRECT": {
                if (!only(opts, union(NAT_FLAGS, "--to-ports"))) return new Target.Unsupported(text);
                Optional<String> p = value(opts, "--to-ports");
                return new Target.Redirect(p.isPresent() ? Optional.of(rule.port(p.get())) : Optional.empty());
            }
            default:
                return new Target.Unsupported(text);
        }
    }

    /** "--name [value]" pairs; null when the words do not have that shape (a target anyloop cannot read). */
    private static Map<String, Optional<String>> options(List<Token> words) {
        Map<String, Optional<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            Token t = words.get(i);
            if (!t.isOption() || out.containsKey(t.text())) return null;
            if (i + 1 < words.size() && (IptablesRuleParser.TAKES_VALUE.contains(t.text()) || !words.get(i + 1).isOption())) {
                out.put(t.text(), Optional.of(words.get(++i).text()));
            } else {
                out.put(t.text(), Optional.empty());
            }
        }
        return out;
    }

    private static boolean only(Map<String, Optional<String>> opts, Set<String> allowed) {
        return allowed.containsAll(opts.keySet());
    }

    private static Optional<String> value(Map<String, Optional<String>> opts, String key) {
        return opts.getOrDefault(key, Optional.empty());
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.add(b);
        return s;
    }

    /**
     * "ADDR", "ADDR:PORT", "ADDR:P1-P2"; IPv6 as "[ADDR]:PORT" or bare "ADDR". An address range
     * ("A-B") picks among several hosts and is not modelled: empty.
     */
    private record NatTo(Ip ip, Optional<PortRange> port) { }

    private Optional<NatTo> natTo(String s) throws SnapshotException {
        String addr = s;
        Optional<PortRange> port = Optional.empty();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw rule.error("expected ']' in '" + s + "'");
            addr = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) port = Optional.of(rule.port(rest.substring(1)));
            else if (!rest.isEmpty()) throw rule.error("expected ':PORT' after '[" + addr + "]', found '" + rest + "'");
        } else if (family == Family.V4 && s.contains(":")) {
            addr = s.substring(0, s.indexOf(':'));
            port = Optional.of(rule.port(s.substring(s.indexOf(':') + 1)));
        }
        if (addr.contains("-")) return Optional.empty();
        Optional<Ip> ip = Ip.tryParse(addr);
        if (ip.isEmpty() || ip.get().family() != family) {
            throw rule.error("expected an " + family.word() + " address to NAT to, found '" + s + "'");
        }
        return Optional.of(new NatTo(ip.get(), port));
    }
}
