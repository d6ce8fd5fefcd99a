package dev.anyloop.bgp;

import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.net.Family;

/**
 * Names of the BIRD protocols anyloop renders, one place for bird.conf, birdc commands and traces. Host and
 * service names are {@code [a-z][a-z0-9-]*}; BIRD takes such a name as a quoted symbol ({@code 'r2.v4'}), and
 * the '.' cannot occur in a host or service name, so no two names collide. Under BIRD's 64-character limit:
 * a host name has at most 31 characters, a service name 19.
 */
public final class BirdNames {
    private BirdNames() { }

    /** "v4" or "v6". */
    public static String family(Family f) { return f == Family.V4 ? "v4" : "v6"; }

    /** {@code host}'s BGP protocol for {@code s}: the peer's name and family, "r2.v4", and "r2.v4.2" for a second shared segment. */
    public static String session(Session s, String host) {
        return s.peerOf(host).host() + "." + family(s.family()) + (s.index() > 1 ? "." + s.index() : "");
    }

    /** The static protocol that announces one service's addresses of one family: "announce.dns.v4". */
    public static String announce(String service, Family f) { return "announce." + service + "." + family(f); }

    /** The birdc pattern that matches both families' announce protocols of a service: "announce.dns.*". */
    public static String announcePattern(String service) { return "announce." + service + ".*"; }

    /** The birdc pattern that matches every announce protocol: "announce.*". */
    public static String announceAll() { return "announce.*"; }

    /** The kernel protocol of a family: "kernel.v4". */
    public static String kernel(Family f) { return "kernel." + family(f); }

    /** A symbol as BIRD's config and CLI read it: in apostrophes, since it holds '.' and '-'. */
    public static String quoted(String name) { return "'" + name + "'"; }
}
