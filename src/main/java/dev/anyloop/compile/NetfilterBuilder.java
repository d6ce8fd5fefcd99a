package dev.anyloop.compile;

import dev.anyloop.net.Family;
import dev.anyloop.state.Chain;
import dev.anyloop.state.IptablesTable;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the rules the compiler's passes append, then freezes them into a {@link Netfilter}.
 * Lives only for the duration of one host's compilation; the result is immutable.
 */
final class NetfilterBuilder {
    private final Family family;
    private final Map<String, Map<String, List<Rule>>> tables = new HashMap<>();
    private final Map<String, Target> policies = new HashMap<>();
    /** Why each rule exists, by "table/chain" and position; null for rules that are not anyloop's own (Docker's). */
    private final Map<String, List<RuleOrigin>> origins = new HashMap<>();

    NetfilterBuilder(Family family) {
        this.family = family;
    }

    Family family() { return family; }

    /** Appends {@code rule} (one anyloop emulates, such as Docker's) to {@code table}/{@code chain}, creating the chain if needed. */
    NetfilterBuilder append(String table, String chain, Rule rule) {
        declare(table, chain).add(rule);
        origins.computeIfAbsent(table + "/" + chain, k -> new ArrayList<>()).add(null);
        return this;
    }

    /** Appends one of anyloop's own rules, commented with why it exists ({@link RuleOrigin#comment()}). */
    NetfilterBuilder append(String table, String chain, Rule rule, RuleOrigin why) {
        declare(table, chain).add(rule.withComment(why.comment()));
        origins.computeIfAbsent(table + "/" + chain, k -> new ArrayList<>()).add(why);
        return this;
    }

    /** Records the origin of every commented rule of {@code host} into {@code out}, keyed as {@link Provenance} reads them. */
    void origins(String host, Map<String, RuleOrigin> out) {
        origins.forEach((tc, list) -> {
            int slash = tc.indexOf('/');
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) != null) {
                    out.put(Provenance.key(host, family, tc.substring(0, slash), tc.substring(slash + 1), i + 1), list.get(i));
                }
            }
        });
    }

    /** Makes sure {@code chain} exists in {@code table}, even when it stays empty. */
    List<Rule> declare(String table, String chain) {
        Map<String, List<Rule>> chains = tables.computeIfAbsent(table, t -> {
            if (IptablesTable.of(t).isEmpty()) throw new IllegalArgumentException("unknown netfilter table '" + t + "'");
            return new LinkedHashMap<>();
        });
        return chains.computeIfAbsent(chain, c -> new ArrayList<>());
    }

    /** Sets a built-in chain's policy (ACCEPT unless something like Docker says DROP). */
    NetfilterBuilder policy(String table, String chain, Target policy) {
        if (!IptablesTable.builtinsOf(table).contains(chain)) {
            throw new IllegalArgumentException(table + "/" + chain + " is not a built-in chain, it has no policy");
        }
        declare(table, chain);
        policies.put(table + "/" + chain, policy);
        return this;
    }

    /**
     * The frozen tables: built-in chains first in iptables-save order, then user chains sorted by name
     * (as iptables-save lists them), so the same input always yields the same text.
     */
    Netfilter build() {
        if (tables.isEmpty()) return Netfilter.empty(family);
        List<Table> out = new ArrayList<>();
        for (IptablesTable kind : IptablesTable.values()) { // the order iptables-save prints tables in
            String name = kind.word();
            Map<String, List<Rule>> chains = tables.get(name);
            if (chains == null) continue;
            List<Chain> list = new ArrayList<>();
            for (String b : kind.builtinChains()) {
                Target policy = policies.getOrDefault(name + "/" + b, new Target.Accept());
                list.add(Chain.builtin(b, policy, chains.getOrDefault(b, List.of())));
            }
            Map<String, List<Rule>> user = new TreeMap<>();
            chains.forEach((c, rules) -> {
                if (!kind.hasBuiltin(c)) user.put(c, rules);
            });
            user.forEach((c, rules) -> list.add(Chain.user(c, rules)));
            out.add(new Table(name, list));
        }
        return new Netfilter(family, out);
    }
}
