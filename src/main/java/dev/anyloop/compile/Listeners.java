package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Listener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sockets a service host opens: on the service address only (T6, bind address) or on the
 * wildcard (bind any). A Docker-published service listens inside its container, not here.
 */
final class Listeners {
    private Listeners() { }

    static List<Listener> of(Intent intent, String host) {
        List<Listener> out = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        for (ServiceDef s : intent.services().values()) {
            if (!s.hosts().contains(host) || s.docker().isPresent()) continue;
            for (PortDef p : s.ports()) {
                // a range is a socket on every port of it (validate bounds its width)
                for (int port = p.port(); port <= p.last(); port++) {
                    for (Ip a : bindAddresses(s)) {
                        // A second socket on the same address and port would fail with EADDRINUSE: keep the first
                        // (validate refuses intents that need two).
                        if (!taken.add(p.proto() + "/" + port + " " + a)) continue;
                        // A wildcard [::] socket is v6only here because the IPv4 wildcard is its own socket.
                        boolean v6only = a.family() == Family.V6 && a.isZero();
                        out.add(new Listener(p.proto(), a, port, v6only, s.name()));
                    }
                }
            }
        }
        return out;
    }

    private static List<Ip> bindAddresses(ServiceDef s) {
        if (s.bind() == Bind.ADDRESS) return s.addresses();
        Set<Ip> any = new LinkedHashSet<>();
        for (Ip x : s.addresses()) any.add(Ip.zero(x.family()));
        return List.copyOf(any);
    }
}
