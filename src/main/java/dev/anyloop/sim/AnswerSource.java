package dev.anyloop.sim;

import dev.anyloop.net.Proto;
import dev.anyloop.state.Listener;
import java.util.Locale;
import java.util.Set;

/**
 * Where a UDP server's answer comes from. A datagram socket bound to the wildcard has no source address of its
 * own: an application that answers with plain sendto() (no IP_PKTINFO / IPV6_PKTINFO control message naming the
 * address the request came to) leaves the choice to udp_sendmsg, which takes the source of the route back to the
 * client (ip_route_connect: the route's src, else the egress device's primary address). Asked at a loopback
 * service address, that is another address, and the client's connected socket drops the answer (udp4_lib_lookup
 * matches the connected peer); the how-to's T6 argument against binding 0.0.0.0. TCP and bound sockets answer
 * from the address the request came to.
 */
final class AnswerSource {
    private AnswerSource() { }

    /**
     * Daemons that answer on a wildcard socket with IP_PKTINFO, as {@code ss -p} names their process: dnsmasq
     * (wildcard mode, its default), unbound ({@code interface-automatic}), chronyd (its NTP server socket).
     */
    static final Set<String> PKTINFO_DAEMONS = Set.of("dnsmasq", "unbound", "chronyd");

    /** True when {@code l}'s answers take the route's source address rather than the address that was asked. */
    static boolean fromRouteSource(Listener l) {
        return l.proto() == Proto.UDP && l.address().isZero() && !PKTINFO_DAEMONS.contains(l.process().toLowerCase(Locale.ROOT));
    }

    /** The trace's words for it. */
    static String why(Listener l) {
        return "udp socket " + Packet.hostPort(l.address(), l.port()) + (l.process().isEmpty() ? "" : " (" + l.process() + ")")
                + " is bound to the wildcard and does not use IP_PKTINFO: the kernel answers from the source address of the route back";
    }
}
