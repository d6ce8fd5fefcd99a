package dev.anyloop.net;

/** Address family: IPv4 or IPv6, with its address width in bits. */
public enum Family {
    V4(32, "inet", "ip", "ipv4"),
    V6(128, "inet6", "ip6", "ipv6");

    private final int bits;
    private final String iproute;
    private final String nft;
    private final String word;

    Family(int bits, String iproute, String nft, String word) {
        this.bits = bits;
        this.iproute = iproute;
        this.nft = nft;
        this.word = word;
    }

    /** Address width in bits: 32 or 128. */
    public int bits() { return bits; }

    /** The family name iproute2 prints in {@code ip -json addr}: inet or inet6. */
    public String iproute() { return iproute; }

    /** The nftables payload keyword: ip or ip6. */
    public String nft() { return nft; }

    /** ipv4 or ipv6, as a person writes it. */
    public String word() { return word; }

    public static Family fromIproute(String s) {
        if ("inet".equals(s)) return V4;
        if ("inet6".equals(s)) return V6;
        throw new IllegalArgumentException("unknown address family '" + s + "' (expected inet or inet6)");
    }
}
