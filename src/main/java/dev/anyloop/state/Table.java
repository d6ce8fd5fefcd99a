package dev.anyloop.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One netfilter table (filter, nat, mangle, raw) and its chains in declaration order. */
public record Table(String name, List<Chain> chains) {
    /** Built-in chains of each table, in the order iptables-save prints them. */
    public static final Map<String, List<String>> BUILTIN = Map.of(
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "raw", List.of("PREROUTING", "OUTPUT"));

    public Table {
        chains = List.copyOf(chains);
        Map<String, Chain> seen = new LinkedHashMap<>();
        for (Chain c : chains) {
            if (seen.put(c.name(), c) != null) throw new IllegalArgumentException("chain " + c.name() + " appears twice in table " + name);
        }
    }

    public Optional<Chain> chain(String chain) {
        for (Chain c : chains) if (c.name().equals(chain)) return Optional.of(c);
        return Optional.empty();
    }

    /** A table holding just its built-in chains, empty, with ACCEPT policies. */
    public static Table empty(String name) {
        List<String> names = BUILTIN.get(name);
        if (names == null) throw new IllegalArgumentException("unknown netfilter table '" + name + "'");
        return new Table(name, names.stream().map(n -> Chain.builtin(n, new Target.Accept(), List.of())).toList());
    }
}
