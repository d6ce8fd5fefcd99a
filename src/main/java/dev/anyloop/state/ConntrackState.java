package dev.anyloop.state;

import java.util.Locale;
import java.util.Optional;

/**
 * The words of {@code -m conntrack --ctstate} (and {@code -m state --state}), in the order libxt_conntrack
 * saves them. INVALID..UNTRACKED are the one state a packet has (nft {@code ct state}); SNAT and DNAT are
 * bits of the connection's status (nft {@code ct status}).
 */
public enum ConntrackState {
    INVALID(false), NEW(false), RELATED(false), ESTABLISHED(false), UNTRACKED(false), SNAT(true), DNAT(true);

    private final boolean status;

    ConntrackState(boolean status) { this.status = status; }

    /** True for SNAT and DNAT, which nft keeps in {@code ct status}, not {@code ct state}. */
    public boolean status() { return status; }

    /** The iptables word: NEW. */
    public String word() { return name(); }

    /** The nft word: new. */
    public String nft() { return name().toLowerCase(Locale.ROOT); }

    /** Reads an iptables or nft word, in any case. */
    public static Optional<ConntrackState> of(String word) {
        for (ConntrackState s : values()) if (s.name().equalsIgnoreCase(word)) return Optional.of(s);
        return Optional.empty();
    }
}
