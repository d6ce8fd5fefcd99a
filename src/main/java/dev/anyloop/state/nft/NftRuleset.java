package dev.anyloop.state.nft;

import java.util.List;
import java.util.Optional;

/** What {@code nft -j list ruleset} shows: every table of every family, in listing order. */
public record NftRuleset(List<NftTable> tables) {
    public NftRuleset {
        tables = List.copyOf(tables);
    }

    public static NftRuleset empty() { return new NftRuleset(List.of()); }

    public boolean isEmpty() { return tables.isEmpty(); }

    public Optional<NftTable> table(NftFamily family, String name) {
        for (NftTable t : tables) if (t.family() == family && t.name().equals(name)) return Optional.of(t);
        return Optional.empty();
    }

    /** The ruleset without table {@code family name}. */
    public NftRuleset without(NftFamily family, String name) {
        return new NftRuleset(tables.stream().filter(t -> !(t.family() == family && t.name().equals(name))).toList());
    }
}
