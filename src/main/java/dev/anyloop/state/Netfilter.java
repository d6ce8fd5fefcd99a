package dev.anyloop.state;

import dev.anyloop.net.Family;
import java.util.List;
import java.util.Optional;

/** The netfilter (iptables or ip6tables) tables of one family on one host. */
public record Netfilter(Family family, List<Table> tables) {
    public Netfilter {
        tables = List.copyOf(tables);
    }

    /** No rules at all: what a fresh namespace has (every policy ACCEPT). */
    public static Netfilter empty(Family f) { return new Netfilter(f, List.of()); }

    public Optional<Table> table(String name) {
        for (Table t : tables) if (t.name().equals(name)) return Optional.of(t);
        return Optional.empty();
    }

    public Optional<Chain> chain(String table, String chain) { return table(table).flatMap(t -> t.chain(chain)); }

    public boolean isEmpty() { return tables.stream().allMatch(t -> t.chains().stream().allMatch(c -> c.rules().isEmpty()
            && c.policy().map(p -> p instanceof Target.Accept).orElse(true))); }
}
