package dev.anyloop.state.nft;

import dev.anyloop.net.Family;
import java.util.Locale;
import java.util.Optional;

/** An nftables table family: which packets its base chains see. */
public enum NftFamily {
    IP, IP6, INET, ARP, BRIDGE, NETDEV;

    public String word() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<NftFamily> of(String word) {
        for (NftFamily f : values()) if (f.word().equals(word)) return Optional.of(f);
        return Optional.empty();
    }

    /** True when this family's ip-stack hooks see packets of {@code f}: ip sees IPv4, ip6 IPv6, inet both. */
    public boolean covers(Family f) {
        return this == INET || (this == IP && f == Family.V4) || (this == IP6 && f == Family.V6);
    }
}
