package dev.anyloop.state;

import java.util.Locale;
import java.util.Optional;

/**
 * The five netfilter hooks of the IPv4/IPv6 stack, in the order a forwarded packet meets them
 * (PREROUTING, FORWARD, POSTROUTING) or a local one (PREROUTING, INPUT; OUTPUT, POSTROUTING).
 */
public enum Hook {
    PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING;

    /** The iptables spelling of the built-in chain on this hook: PREROUTING. */
    public String chain() { return name(); }

    /** The nft spelling: {@code hook prerouting}. */
    public String nft() { return name().toLowerCase(Locale.ROOT); }

    /** Reads nft's hook word (prerouting, input, ...), case-insensitively. */
    public static Optional<Hook> ofNft(String word) {
        for (Hook h : values()) if (h.nft().equalsIgnoreCase(word)) return Optional.of(h);
        return Optional.empty();
    }
}
