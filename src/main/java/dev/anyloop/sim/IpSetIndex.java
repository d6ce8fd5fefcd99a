package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import dev.anyloop.net.Proto;
import dev.anyloop.state.IpSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One ipset compiled for {@code -m set} lookups: the types whose dimensions are addresses ({@code ip}, {@code net})
 * and ports ({@code port}), and {@code list:set} over those. A one-dimension address set is a {@link PrefixTrie}
 * (longest prefix first, as the hash:net types test their cidrs from the most specific down, so a {@code nomatch}
 * element carves a hole out of a larger net); a set of several dimensions is scanned, most specific element first.
 * Anything else (hash:mac, hash:ip,mark, counters ...) leaves the index {@link #unknown}.
 */
final class IpSetIndex {
    /** What a lookup found. */
    enum Found { NO, YES, NOMATCH }

    private final IpSet set;
    private final Family family;
    private final List<Dim> dims = new ArrayList<>();
    private final PrefixTrie<Boolean> single = new PrefixTrie<>();
    /** Elements of a set of several dimensions, most specific first; parts are Prefix or PortSpec. */
    private final List<Object[]> tuples = new ArrayList<>();
    private final List<Boolean> tupleNomatch = new ArrayList<>();
    /** list:set: its member sets. */
    private final List<IpSetIndex> members = new ArrayList<>();
    /** Why this set cannot be looked up, or null. */
    final String unknown;

    private enum Dim { ADDR, PORT }

    /** A port dimension's value: the protocol number (-1 for any) and a port or ICMP type range. */
    private record PortSpec(int proto, int lo, int hi) {
        boolean matches(int p, int port) { return (proto < 0 || proto == p) && port >= lo && port <= hi; }
    }

    private IpSetIndex(IpSet set, IpSet.Sets all, int depth) {
        this.set = set;
        this.family = set.family();
        this.unknown = compile(all, depth);
    }

    /** {@code set} compiled; {@code all} holds the sets a list:set names. */
    static IpSetIndex of(IpSet set, IpSet.Sets all) { return new IpSetIndex(set, all, 0); }

    private String compile(IpSet.Sets all, int depth) {
        if (set.method().equals("list")) {
            if (depth > 0) return "list:set " + set.name() + " inside another list:set";
            for (IpSet.Member m : set.members()) {
                String name = m.parts().get(0);
                var s = all.get(name);
                if (s.isEmpty()) return "list:set " + set.name() + " names set " + name + ", which is not in ipset.txt";
                IpSetIndex i = new IpSetIndex(s.get(), all, depth + 1);
                if (i.unknown != null) return i.unknown;
                members.add(i);
            }
            return null;
        }
        for (String d : set.dimensions()) {
            switch (d) {
                case "ip": case "net": dims.add(Dim.ADDR); break;
                case "port": dims.add(Dim.PORT); break;
                default: return "ipset " + set.name() + " of type " + set.type() + " is not modelled (only ip, net and port dimensions)";
            }
        }
        List<Object[]> parsed = new ArrayList<>();
        for (IpSet.Member m : set.members()) {
            if (m.parts().size() != dims.size()) return "ipset " + set.name() + " element '" + m + "' does not have " + dims.size() + " parts";
            Object[] parts = new Object[dims.size()];
            for (int i = 0; i < parts.length; i++) {
                Object p = dims.get(i) == Dim.ADDR ? prefix(m.parts().get(i)) : port(m.parts().get(i));
                if (p == null) return "ipset " + set.name() + " element '" + m + "' is not one anyloop reads";
                parts[i] = p;
            }
            if (dims.size() == 1 && dims.get(0) == Dim.ADDR) {
                for (Prefix p : covering(parts[0])) single.put(p, m.nomatch());
            } else {
                parsed.add(parts);
                tupleNomatch.add(m.nomatch());
            }
        }
        // most specific first: the longer address prefix of the first address dimension wins, as mtype_test_cidrs tries it first
        Integer[] order = new Integer[parsed.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(specificity(parsed.get(b)), specificity(parsed.get(a))));
        List<Boolean> nm = new ArrayList<>(tupleNomatch);
        tupleNomatch.clear();
        for (Integer i : order) {
            tuples.add(parsed.get(i));
            tupleNomatch.add(nm.get(i));
        }
        return null;
    }

    private static int specificity(Object[] parts) {
        int s = 0;
        for (Object p : parts) if (p instanceof List<?> l && !l.isEmpty()) s = s * 256 + ((Prefix) l.get(0)).length();
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Prefix> covering(Object part) { return (List<Prefix>) part; }

    /** "10.0.0.0/24", "10.0.0.1", "10.0.0.1-10.0.0.9" as the prefixes that cover it; null when unreadable or of the other family. */
    private List<Prefix> prefix(String s) {
        int dash = s.indexOf('-');
        if (dash > 0) {
            var a = Ip.tryParse(s.substring(0, dash));
            var b = Ip.tryParse(s.substring(dash + 1));
            if (a.isEmpty() || b.isEmpty() || a.get().family() != family || b.get().family() != family) return null;
            return NftMatch.cover(a.get(), b.get());
        }
        var p = s.contains("/") ? Prefix.tryParse(s) : Ip.tryParse(s).map(Prefix::host);
        return p.isEmpty() || p.get().family() != family ? null : List.of(p.get());
    }

    /** "tcp:80", "udp:53-54", "80" (tcp), "icmp:8/0" as ipset save writes a port part; null when unreadable. */
    private static PortSpec port(String s) {
        String proto = "tcp";
        String v = s;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            proto = s.substring(0, colon).toLowerCase(Locale.ROOT);
            v = s.substring(colon + 1);
        }
        int num;
        switch (proto) {
            case "tcp": num = 6; break;
            case "udp": num = 17; break;
            case "icmp": num = 1; break;
            case "icmpv6": num = 58; break;
            default: return null;
        }
        try {
            if (num == 1 || num == 58) {
                // type/code: the simulator's echo packets carry code 0
                String[] tc = v.split("/");
                if (tc.length != 2 || !tc[1].equals("0")) return null;
                int t = Integer.parseInt(tc[0]);
                return new PortSpec(num, t, t);
            }
            String[] ab = v.split("-");
            return new PortSpec(num, Integer.parseInt(ab[0]), Integer.parseInt(ab[ab.length - 1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Tests the packet's fields named by {@code flags} (src or dst per dimension). As ip_set_test: fewer flags than the
     * set has dimensions, or a packet of the other family, is no match.
     */
    Found lookup(Packet p, List<String> flags) {
        if (!members.isEmpty() || set.method().equals("list")) {
            for (IpSetIndex m : members) {
                Found f = m.lookup(p, flags);
                if (f != Found.NO) return f;
            }
            return Found.NO;
        }
        if (flags.size() < dims.size() || p.family() != family) return Found.NO;
        if (dims.size() == 1 && dims.get(0) == Dim.ADDR) {
            Boolean nomatch = single.lookupOrDefault(src(flags, 0) ? p.src() : p.dst(), null);
            return nomatch == null ? Found.NO : nomatch ? Found.NOMATCH : Found.YES;
        }
        for (int e = 0; e < tuples.size(); e++) {
            Object[] parts = tuples.get(e);
            boolean all = true;
            for (int i = 0; i < parts.length && all; i++) {
                boolean s = src(flags, i);
                if (dims.get(i) == Dim.ADDR) {
                    Ip a = s ? p.src() : p.dst();
                    boolean in = false;
                    for (Prefix x : covering(parts[i])) in |= x.contains(a);
                    all = in;
                } else {
                    all = ((PortSpec) parts[i]).matches(protoNumber(p), p.proto() == Proto.ICMP ? p.icmpType() : s ? p.sport() : p.dport());
                }
            }
            if (all) return tupleNomatch.get(e) ? Found.NOMATCH : Found.YES;
        }
        return Found.NO;
    }

    private static boolean src(List<String> flags, int i) { return flags.get(i).equals("src"); }

    private static int protoNumber(Packet p) {
        if (p.proto() == Proto.TCP) return 6;
        if (p.proto() == Proto.UDP) return 17;
        return p.family() == Family.V4 ? 1 : 58;
    }
}
