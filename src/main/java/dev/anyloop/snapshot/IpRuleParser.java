package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code ip -json rule show} or {@code ip -6 -json rule show} into policy rules of one family. */
public final class IpRuleParser {
    private IpRuleParser() { }

    /** Fields that say how a rule is shown, not which packets it takes. */
    private static final Set<String> INFORMATIONAL = Set.of("flags");
    private static final Set<String> MODELLED = Set.of("priority", "not", "src", "srclen", "dst", "dstlen", "iif", "oif",
            "fwmark", "fwmask", "table", "action", "protocol", "suppress_prefixlen");

    public static List<PolicyRule> parse(String file, String json, Family family) throws SnapshotException {
        List<PolicyRule> out = new ArrayList<>();
        for (Json r : Json.parseArray(file, json)) out.add(rule(r, family));
        return out;
    }

    private static PolicyRule rule(Json r, Family family) throws SnapshotException {
        for (String k : r.keys()) {
            // a selector anyloop does not model (ipproto, dport, tos, uidrange, suppress_ifgroup, goto, ...)
            // changes which packets the rule takes; ignoring it would make every verdict past it a guess
            if (!MODELLED.contains(k) && !INFORMATIONAL.contains(k)) {
                throw r.require(k).error("expected only priority, not, src, dst, iif, oif, fwmark, table, action or suppress_prefixlen,"
                        + " found '" + k + "', a selector anyloop does not model");
            }
        }
        long priority = r.require("priority").asLong();
        if (priority < 0 || priority > 0xffffffffL) throw r.require("priority").error("expected 0-4294967295, found " + priority);
        boolean not = r.has("not");
        Optional<Prefix> from = prefix(r, "src", "srclen", family);
        Optional<Prefix> to = prefix(r, "dst", "dstlen", family);
        Optional<String> iif = r.optString("iif");
        Optional<String> oif = r.optString("oif");
        Optional<Long> fwmark = hex(r, "fwmark");
        long fwmask = hex(r, "fwmask").orElse(PolicyRule.FULL_MASK);

        PolicyRule.Action action = PolicyRule.Action.LOOKUP;
        int table = 0;
        Optional<String> act = r.optString("action");
        if (act.isPresent()) {
            switch (act.get()) {
                case "blackhole": action = PolicyRule.Action.BLACKHOLE; break;
                case "unreachable": action = PolicyRule.Action.UNREACHABLE; break;
                case "prohibit": action = PolicyRule.Action.PROHIBIT; break;
                default:
                    throw r.require("action").error("expected blackhole, unreachable or prohibit, found '" + act.get() + "'");
            }
        } else {
            String t = r.string("table");
            try {
                table = Route.parseTable(t);
            } catch (IllegalArgumentException e) {
                throw r.require("table").error("expected main, local, default or a table number, found '" + t + "'");
            }
        }
        // who installed it (ip leaves "protocol" out for unspec); anyloop's own rules carry 77 or its name
        String proto = r.optString("protocol").orElse(PolicyRule.PROTO_UNSPEC);
        long suppress = r.optLong("suppress_prefixlen").orElse(-1L);
        if (suppress < -1 || suppress > family.bits()) {
            throw r.require("suppress_prefixlen").error("expected a prefix length 0-" + family.bits() + ", found " + suppress);
        }
        return new PolicyRule(family, (int) priority, not, from, to, iif, oif, fwmark, action, table, fwmask, proto, (int) suppress);
    }

    /** "src": "all" means any; "src": "10.0.0.0", "srclen": 8 a prefix; a host prefix comes without a length. */
    private static Optional<Prefix> prefix(Json r, String key, String lenKey, Family family) throws SnapshotException {
        Optional<Json> a = r.field(key);
        if (a.isEmpty()) return Optional.empty();
        String s = a.get().asString();
        if (s.equals("all")) return Optional.empty();
        Ip ip = a.get().asIp();
        if (ip.family() != family) throw a.get().error("expected an " + family.word() + " address, found '" + s + "'");
        long len = r.optLong(lenKey).orElse((long) family.bits());
        if (len < 0 || len > family.bits()) throw r.require(lenKey).error("expected 0-" + family.bits() + ", found " + len);
        return Optional.of(Prefix.containing(ip, (int) len));
    }

    private static Optional<Long> hex(Json r, String key) throws SnapshotException {
        Optional<Json> v = r.field(key);
        if (v.isEmpty()) return Optional.empty();
        String s = v.get().asString();
        try {
            long n = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            if (n < 0 || n > 0xffffffffL) throw new NumberFormatException();
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw v.get().error("expected a 32-bit number such as 0x7, found '" + s + "'");
        }
    }
}
