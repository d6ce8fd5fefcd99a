package dev.anyloop.kernel;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Probes for a bundled example: every query {@code anyloop check} derives (failover checks aside: they
 * simulate a network with a host gone), then every host to every address by ICMP echo and to each
 * port something listens on at that address.
 */
final class ExampleProbes {
    private ExampleProbes() { }

    static List<KernelProbe> plan(Intent intent, Network compiled, Network live) {
        Set<KernelProbe> out = new LinkedHashSet<>();
        for (Finding f : Checker.run(intent, compiled)) {
            if (f.technique().equals("T7") || f.proof().isEmpty()) continue;
            Flow fl = f.proof().get().flow();
            if (live.host(fl.from()).isEmpty() || answeredByWildcardUdp(live, fl.dst(), fl.proto(), fl.port())) continue;
            out.add(new KernelProbe(fl.from(), fl.src(), fl.dst(), fl.proto(), fl.proto() == Proto.ICMP ? 0 : fl.port()));
        }
        for (String from : live.hosts().keySet()) {
            for (DeviceState owner : live.hosts().values()) {
                for (Address a : owner.addresses()) {
                    Ip dst = a.address().ip();
                    if (dst.isLoopback() || dst.isLinkLocal() || a.scope() != Address.Scope.GLOBAL) continue;
                    out.add(new KernelProbe(from, java.util.Optional.empty(), dst, Proto.ICMP, 0));
                    for (Listener l : owner.listeners()) {
                        boolean at = l.address().equals(dst) || (l.address().isZero() && (l.address().family() == dst.family()
                                || (l.address().family() == Family.V6 && !l.v6only())));
                        // a UDP socket on the wildcard answers from the address routing picks: only DNS (dnsmasq) gets it right
                        if (l.proto() == Proto.UDP && l.address().isZero() && l.port() != 53) continue;
                        if (at) out.add(new KernelProbe(from, java.util.Optional.empty(), dst, l.proto(), l.port()));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * True when a UDP service other than DNS on the wildcard would answer {@code dst}: the lab's socat
     * replies from the address routing picks, which the client's connected socket refuses, while the
     * simulator (like ntpd, chrony or dnsmasq, which answer from the address asked) has the reply come
     * from {@code dst}. A lab limit, not the simulator's: left out.
     */
    static boolean answeredByWildcardUdp(Network live, Ip dst, Proto p, int port) {
        if (p != Proto.UDP || port == 53) return false;
        for (DeviceState d : live.hosts().values()) {
            if (!d.hasAddress(dst)) continue;
            for (Listener l : d.listeners()) if (l.proto() == Proto.UDP && l.port() == port && l.address().isZero()) return true;
        }
        return false;
    }
}
