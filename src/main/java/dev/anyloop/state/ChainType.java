package dev.anyloop.state;

import java.util.Locale;
import java.util.Optional;

/**
 * An nftables base chain type. {@code nat} chains see only the first packet of a connection (the
 * NAT binding is then kept by conntrack); {@code route} chains (OUTPUT only) re-route a packet whose
 * mark or addresses they changed (ip_route_me_harder); {@code filter} chains see every packet.
 */
public enum ChainType {
    FILTER, NAT, ROUTE;

    public String nft() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ChainType> ofNft(String word) {
        for (ChainType t : values()) if (t.nft().equals(word)) return Optional.of(t);
        return Optional.empty();
    }
}
