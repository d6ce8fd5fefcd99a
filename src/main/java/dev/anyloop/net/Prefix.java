package dev.anyloop.net;

import java.util.Optional;

/**
 * An immutable, canonical IP prefix: a network address with no host bits set, and a length.
 *
 * <p>{@code Prefix.parse("10.0.0.5/24")} is refused because it names a host, not a network; use
 * {@link #containing(Ip, int)} to mean "the /24 that holds 10.0.0.5".
 */
public final class Prefix implements Comparable<Prefix> {
    private final Ip network;
    private final int length;

    private Prefix(Ip network, int length) {
        this.network = network;
        this.length = length;
    }

    /** The prefix of {@code length} bits that contains {@code ip}. */
    public static Prefix containing(Ip ip, int length) {
        checkLength(ip.toString() + "/" + length, ip.family(), length);
        return new Prefix(ip.masked(length), length);
    }

    /** A host prefix: /32 or /128. */
    public static Prefix host(Ip ip) { return new Prefix(ip, ip.family().bits()); }

    /** The default prefix of a family: 0.0.0.0/0 or ::/0. */
    public static Prefix any(Family f) { return new Prefix(Ip.zero(f), 0); }

    /** Parses "ADDR/LEN" (or a bare address, meaning a host prefix); rejects host bits set. */
    public static Prefix parse(String text) {
        if (text == null) throw new IllegalArgumentException("Invalid prefix 'null'");
        int slash = text.indexOf('/');
        if (slash < 0) return host(Ip.parse(text));
        Ip ip = Ip.parse(text.substring(0, slash));
        int len = parseLength(text, text.substring(slash + 1), ip.family());
        Ip net = ip.masked(len);
        if (!net.equals(ip)) {
            throw new IllegalArgumentException("Invalid prefix '" + text + "': host bits are set (the network is "
                    + net + "/" + len + ")");
        }
        return new Prefix(net, len);
    }

    public static Optional<Prefix> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static int parseLength(String whole, String lenText, Family f) {
        if (lenText.isEmpty() || lenText.length() > 3 || !lenText.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("Invalid prefix '" + whole + "': length '" + lenText + "' is not a number");
        }
        int len = Integer.parseInt(lenText);
        checkLength(whole, f, len);
        return len;
    }

    private static void checkLength(String whole, Family f, int len) {
        if (len < 0 || len > f.bits()) {
            throw new IllegalArgumentException("Invalid prefix '" + whole + "': length /" + len + " is over /"
                    + f.bits() + " for " + f.word());
        }
    }

    public Ip network() { return network; }

    public int length() { return length; }

    public Family family() { return network.family(); }

    public boolean isHost() { return length == network.family().bits(); }

    public boolean contains(Ip ip) {
        return ip.family() == family() && ip.masked(length).equals(network);
    }

    public boolean contains(Prefix p) {
        return p.family() == family() && p.length >= length && contains(p.network);
    }

    public boolean overlaps(Prefix p) { return contains(p) || p.contains(this); }

    @Override
    public int compareTo(Prefix o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix && ((Prefix) o).length == length && ((Prefix) o).network.equals(network);
    }

    @Override
    public int hashCode() { return network.hashCode() * 131 + length; }

    /** "10.0.0.0/24"; host prefixes keep their length ("10.1.1.1/32") so they read unambiguously. */
    @Override
    public String toString() { return network + "/" + length; }
}
