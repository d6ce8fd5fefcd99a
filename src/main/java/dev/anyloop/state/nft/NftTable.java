package dev.anyloop.state.nft;

import java.util.List;
import java.util.Optional;

/** One nftables table: its chains (base and regular) and its named sets and maps. */
public record NftTable(NftFamily family, String name, List<NftChain> chains, List<NftSet> sets) {
    public NftTable {
        chains = List.copyOf(chains);
        sets = List.copyOf(sets);
    }

    public Optional<NftChain> chain(String chain) {
        for (NftChain c : chains) if (c.name().equals(chain)) return Optional.of(c);
        return Optional.empty();
    }

    public Optional<NftSet> set(String set) {
        for (NftSet s : sets) if (s.name().equals(set)) return Optional.of(s);
        return Optional.empty();
    }

    /** "inet filter", as nft names a table. */
    @Override
    public String toString() { return family.word() + " " + name; }
}
