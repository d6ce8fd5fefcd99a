package dev.anyloop.net;

/** The transport a probe or service uses; ICMP means ICMP echo (ICMPv6 echo for IPv6). */
public enum Proto {
    TCP, UDP, ICMP;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Proto parse(String s) {
        for (Proto p : values()) if (p.word().equals(s)) return p;
        throw new IllegalArgumentException("Invalid protocol '" + s + "': expected tcp, udp or icmp");
    }
}
