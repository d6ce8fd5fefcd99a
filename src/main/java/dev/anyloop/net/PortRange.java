package dev.anyloop.net;

/** A closed range of TCP/UDP ports, {@code from..to}; a single port has {@code from == to}. */
public record PortRange(int from, int to) {
    public PortRange {
        if (from < 0 || from > 65535) throw new IllegalArgumentException("Invalid port " + from + ": not in 0-65535");
        if (to < 0 || to > 65535) throw new IllegalArgumentException("Invalid port " + to + ": not in 0-65535");
        if (from > to) throw new IllegalArgumentException("Invalid port range " + from + ":" + to + ": start is after end");
    }

    public static PortRange of(int port) { return new PortRange(port, port); }

    /** Parses "80", "1024:2048" (iptables) or "1024-2048" (nft). */
    public static PortRange parse(String s) {
        int sep = Math.max(s.indexOf(':'), s.indexOf('-'));
        try {
            if (sep < 0) return of(Integer.parseInt(s));
            String a = s.substring(0, sep), b = s.substring(sep + 1);
            return new PortRange(a.isEmpty() ? 0 : Integer.parseInt(a), b.isEmpty() ? 65535 : Integer.parseInt(b));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid port '" + s + "': not a number");
        }
    }

    public boolean contains(int port) { return port >= from && port <= to; }

    public boolean single() { return from == to; }

    /** iptables spelling: "80" or "1024:2048". */
    @Override
    public String toString() { return single() ? Integer.toString(from) : from + ":" + to; }

    /** nftables spelling: "80" or "1024-2048". */
    public String nft() { return single() ? Integer.toString(from) : from + "-" + to; }
}
