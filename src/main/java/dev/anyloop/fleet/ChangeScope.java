package dev.anyloop.fleet;

import dev.anyloop.apply.Ownership;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Match;
import dev.anyloop.state.Network;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which queries a change can touch, so that the preview simulates only those: the destinations whose handling
 * differs anywhere. A route added, removed or changed affects lookups inside its prefix only (longest-prefix
 * match); an address on lo, a listener, an {@code AL-*} chain (entered only by a jump with {@code -d}) affect
 * packets to those addresses only. A round trip's packets have two destinations, the service address and the
 * client's own, so a query none of whose destinations lies in a changed prefix has the same verdict before and
 * after. Anything else that differs (interfaces, policy rules, sysctls, foreign chains, a jump without -d), or
 * any NAT in the network (a DNAT'ed packet changes destination on the way), makes the scope unknown: every query
 * is simulated.
 */
public final class ChangeScope {
    private ChangeScope() { }

    /** The changed destinations between {@code before} and {@code after}, or empty when the change cannot be bounded so. */
    public static Optional<List<Prefix>> of(Network before, Network after) {
        if (hasNat(before) || hasNat(after)) return Optional.empty();
        Set<Prefix> out = new LinkedHashSet<>();
        for (DeviceState a : after.hosts().values()) {
            Optional<DeviceState> b = before.host(a.host());
            if (b.isEmpty()) return Optional.empty();
            if (b.get() == a) continue;
            if (!host(b.get(), a, out)) return Optional.empty();
        }
        if (!before.hosts().keySet().equals(after.hosts().keySet())) return Optional.empty();
        return Optional.of(List.copyOf(out));
    }

    /** True when {@code q}'s service address or any address of its client lies in {@code scope}. */
    public static boolean touches(Query q, List<Prefix> scope, Network before, Network after) {
        if (in(q.address(), scope)) return true;
        for (Network n : List.of(before, after)) {
            Optional<DeviceState> c = n.host(q.client());
            if (c.isEmpty()) return true;
            for (Address a : c.get().addresses()) if (in(a.address().ip(), scope)) return true;
        }
        return false;
    }

    private static boolean in(Ip ip, List<Prefix> scope) {
        for (Prefix p : scope) if (p.contains(ip)) return true;
        return false;
    }

    private static boolean host(DeviceState b, DeviceState a, Set<Prefix> out) {
        if (!b.links().equals(a.links()) || !b.rules().equals(a.rules()) || !b.sysctls().equals(a.sysctls())) return false;
        for (Address x : symmetric(b.addresses(), a.addresses())) {
            if (!x.dev().equals(Ownership.LO)) return false;
            out.add(host(x.address().ip()));
        }
        for (dev.anyloop.state.Route r : symmetric(b.routes(), a.routes())) out.add(r.dst());
        for (Listener l : symmetric(b.listeners(), a.listeners())) {
            if (!l.address().isZero()) out.add(host(l.address()));
            else for (Address x : a.addresses()) out.add(host(x.address().ip()));
        }
        for (Family f : Family.values()) {
            if (!netfilter(b, a, f, out)) return false;
        }
        return true;
    }

    private static Prefix host(Ip ip) { return Prefix.parse(ip + "/" + ip.family().bits()); }

    private static <T> Set<T> symmetric(List<T> x, List<T> y) {
        Set<T> a = new LinkedHashSet<>(x);
        Set<T> b = new LinkedHashSet<>(y);
        Set<T> out = new LinkedHashSet<>(a);
        out.removeAll(b);
        b.removeAll(a);
        out.addAll(b);
        return out;
    }

    /** Differences in one family's tables, bounded to the -d of anyloop's jumps; false when a foreign rule differs. */
    private static boolean netfilter(DeviceState b, DeviceState a, Family f, Set<Prefix> out) {
        Map<String, List<Rule>> before = chains(b, f);
        Map<String, List<Rule>> after = chains(a, f);
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        Set<String> changedChains = new HashSet<>();
        for (String n : names) {
            List<Rule> x = before.getOrDefault(n, List.of());
            List<Rule> y = after.getOrDefault(n, List.of());
            if (x.equals(y) && before.containsKey(n) == after.containsKey(n)) continue;
            String chain = n.substring(n.indexOf(' ') + 1);
            if (Ownership.ownsChain(chain)) {
                changedChains.add(n);
                continue;
            }
            // a foreign chain may differ only in anyloop's jumps, each bounded by its -d
            List<Rule> fx = x.stream().filter(r -> !Ownership.ownsRule(r)).toList();
            List<Rule> fy = y.stream().filter(r -> !Ownership.ownsRule(r)).toList();
            if (!fx.equals(fy)) return false;
            for (Rule r : symmetric(x, y)) {
                Optional<Prefix> d = destination(r);
                if (d.isEmpty()) return false;
                out.add(d.get());
            }
        }
        if (changedChains.isEmpty()) return true;
        // a changed AL-* chain matters for the packets that reach it: those of the jumps into it, in either state
        for (Map<String, List<Rule>> m : List.of(before, after)) {
            for (Map.Entry<String, List<Rule>> e : m.entrySet()) {
                String table = e.getKey().substring(0, e.getKey().indexOf(' '));
                for (Rule r : e.getValue()) {
                    String target = r.target() instanceof Target.Jump ? ((Target.Jump) r.target()).chain()
                            : r.target() instanceof Target.Goto ? ((Target.Goto) r.target()).chain() : "";
                    if (!changedChains.contains(table + " " + target)) continue;
                    if (Ownership.ownsChain(e.getKey().substring(e.getKey().indexOf(' ') + 1))) continue; // chain to chain: the entry jump bounds it
                    Optional<Prefix> d = destination(r);
                    if (d.isEmpty()) return false;
                    out.add(d.get());
                }
            }
        }
        return true;
    }

    /** "TABLE CHAIN" -> rules. */
    private static Map<String, List<Rule>> chains(DeviceState d, Family f) {
        Map<String, List<Rule>> out = new LinkedHashMap<>();
        for (Table t : d.netfilter(f).tables()) {
            for (Chain c : t.chains()) {
                List<Rule> rules = new ArrayList<>(c.rules());
                // a built-in chain's policy is part of what it does
                c.policy().ifPresent(p -> rules.add(new Rule(List.of(), p, Optional.empty())));
                out.put(t.name() + " " + c.name(), rules);
            }
        }
        return out;
    }

    /** The rule's single, non-negated destination prefix, if it has one. */
    private static Optional<Prefix> destination(Rule r) {
        Optional<Prefix> d = Optional.empty();
        for (Match m : r.matches()) {
            if (m instanceof Match.Destination) {
                Match.Destination x = (Match.Destination) m;
                if (x.negated() || d.isPresent()) return Optional.empty();
                d = Optional.of(x.prefix());
            }
        }
        return d;
    }

    private static boolean hasNat(Network n) {
        for (DeviceState d : n.hosts().values()) {
            for (Family f : Family.values()) {
                for (Table t : d.netfilter(f).tables()) {
                    if (!t.name().equals("nat")) continue;
                    for (Chain c : t.chains()) if (!c.rules().isEmpty()) return true;
                }
            }
        }
        return false;
    }
}
