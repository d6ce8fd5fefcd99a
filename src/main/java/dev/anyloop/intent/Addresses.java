package dev.anyloop.intent;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses can be a routeable loopback (service or {@code loopbacks:}) address: unicast, global, and routed
 * by Linux. The kernel treats the others specially before any route is looked at (ip_route_input_slow's martian
 * checks, addrconf's scopes), so a route "via the service host" could never carry them.
 */
final class Addresses {
    private Addresses() { }

    /** A range and why the kernel does not route it. */
    private record Special(Prefix prefix, String why) { }

    private static final List<Special> SPECIAL = List.of(
            special("0.0.0.0/8", "0.0.0.0/8 is 'this network' (0.0.0.0 is the unspecified address); Linux never routes it"),
            special("127.0.0.0/8", "127.0.0.0/8 is loopback; Linux drops it as a martian on every interface but lo"),
            special("169.254.0.0/16", "169.254.0.0/16 is link-local: valid on one link only, never routed"),
            special("224.0.0.0/4", "224.0.0.0/4 is multicast, not an address of one host"),
            special("255.255.255.255/32", "255.255.255.255 is the limited broadcast address"),
            special("::/128", ":: is the unspecified address"),
            special("::1/128", "::1 is loopback; Linux drops it as a martian on every interface but lo"),
            special("::ffff:0:0/96", "::ffff:0:0/96 is IPv4-mapped IPv6: a socket's view of an IPv4 peer, never on the wire"),
            special("fe80::/10", "fe80::/10 is link-local: valid on one link only, never routed"),
            special("ff00::/8", "ff00::/8 is multicast, not an address of one host"));

    private static Special special(String p, String why) { return new Special(Prefix.parse(p), why); }

    /** Why {@code ip} cannot be a routed loopback address, if it cannot. */
    static Optional<String> whyNotRoutable(Ip ip) {
        for (Special s : SPECIAL) if (s.prefix().contains(ip)) return Optional.of(s.why());
        return Optional.empty();
    }

    /** Why {@code ip} cannot be an interface address: the unspecified, broadcast, multicast and loopback ranges. */
    static Optional<String> whyNotInterfaceAddress(Ip ip) {
        if (ip.isLinkLocal()) return Optional.empty(); // fe80::/64 and 169.254/16 are normal on an interface
        return whyNotRoutable(ip);
    }
}
