package dev.anyloop.state.nft;

import java.util.List;
import java.util.Optional;

/** One nftables rule: its statements in order (matches, then counters, verdicts, NAT ...), comment and handle. */
public record NftRule(List<NftStatement> statements, Optional<String> comment, long handle) {
    public NftRule {
        statements = List.copyOf(statements);
    }

    public static NftRule of(NftStatement... statements) { return new NftRule(List.of(statements), Optional.empty(), 0); }

    /** The rule as {@code nft list} spells it (close enough to compare and to read in a trace). */
    public String text() { return NftText.rule(this); }
}
