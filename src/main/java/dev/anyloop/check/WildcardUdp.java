package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * T6: a warning for every {@code bind: any} service with a UDP port, once per service address. A datagram
 * socket on the wildcard answers from the source address of the route back to the client unless the daemon
 * replies with IP_PKTINFO, and a service address on lo is never that address, so a client's connected socket
 * drops the answer (the simulator models the plain-sendto case; see sim.AnswerSource).
 */
final class WildcardUdp {
    private WildcardUdp() { }

    static List<Finding> check(Intent intent) {
        List<Finding> out = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) {
            if (s.bind() != Intent.Bind.ANY) continue;
            List<PortDef> udp = s.ports().stream().filter(p -> p.proto() == Proto.UDP).toList();
            if (udp.isEmpty()) continue;
            for (Ip x : s.addresses()) {
                out.add(new Finding("T6", Finding.Kind.NOTE, s.name() + " (line " + s.pos().line() + "): " + udp + " bound to the wildcard "
                        + "(bind: any) answers a query to " + x + " from the source address of the route back, unless the daemon "
                        + "replies with IP_PKTINFO (dnsmasq, unbound and chronyd do): a client's connected socket drops that answer; "
                        + "bind: address binds " + x + " itself", Optional.empty()));
            }
        }
        return out;
    }
}
