package dev.anyloop.net;

import java.util.Optional;

/** An address as configured on an interface: the address itself and its on-link prefix length ("10.0.0.5/24"). */
public final class InterfaceAddress implements Comparable<InterfaceAddress> {
    private final Ip ip;
    private final int length;

    private InterfaceAddress(Ip ip, int length) {
        this.ip = ip;
        this.length = length;
    }

    public static InterfaceAddress of(Ip ip, int length) {
        Prefix.containing(ip, length); // validates the length
        return new InterfaceAddress(ip, length);
    }

    /** Parses "ADDR/LEN"; a bare address means a host length (/32, /128). */
    public static InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            Ip ip = Ip.parse(text);
            return new InterfaceAddress(ip, ip.family().bits());
        }
        Ip ip = Ip.parse(text.substring(0, slash));
        return new InterfaceAddress(ip, Prefix.parseLength(text, text.substring(slash + 1), ip.family()));
    }

    public static Optional<InterfaceAddress> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Ip ip() { return ip; }

    public int length() { return length; }

    public Family family() { return ip.family(); }

    /** The connected network: 10.0.0.0/24 for 10.0.0.5/24. */
    public Prefix network() { return Prefix.containing(ip, length); }

    @Override
    public int compareTo(InterfaceAddress o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceAddress && ((InterfaceAddress) o).ip.equals(ip) && ((InterfaceAddress) o).length == length;
    }

    @Override
    public int hashCode() { return ip.hashCode() * 131 + length; }

    @Override
    public String toString() { return ip + "/" + length; }
}
