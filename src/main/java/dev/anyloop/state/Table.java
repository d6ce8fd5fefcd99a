package dev.anyloop.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One netfilter table (filter, nat, mangle, raw) and its chains in declaration order. */
public record Table(String name, List<Chain> chains) {
    /** Built-in chains of each table, in the order iptables-save prints them: a view of {@link IptablesTable}. */
    public static final Map<String, List<String>> BUILTIN = builtins();

    private static Map<String, List<String>> builtins() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (IptablesTable t : IptablesTable.values()) m.put(t.word(), t.builtinChains());
        return java.util.Collections.unmodifiableMap(m);
    }

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
        List<String> names = IptablesTable.of(name).map(IptablesTable::builtinChains)
                .orElseThrow(() -> new IllegalArgumentException("unknown netfilter table '" + name + "'"));
        return new Table(name, names.stream().map(n -> Chain.builtin(n, new Target.Accept(), List.of())).toList());
    }
}
