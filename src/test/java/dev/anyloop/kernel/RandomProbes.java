package dev.anyloop.kernel;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random probes over a generated network: from any host (routers included) to any target (loopbacks,
 * interface addresses, DNAT'ed addresses, an unused address per LAN), ICMP echo, TCP to a port that
 * something listens on or is DNAT'ed there (mostly), UDP to DNS or the echo port; some bound to a
 * loopback source address.
 */
final class RandomProbes {
    private RandomProbes() { }

    static List<KernelProbe> plan(RandomNetwork.Generated g, Network live, int count) {
        Random r = new Random(g.seed() * 31 + 7);
        List<String> hosts = List.copyOf(live.hosts().keySet());
        Set<KernelProbe> out = new LinkedHashSet<>();
        for (int tries = 0; out.size() < count && tries < count * 5; tries++) {
            String from = hosts.get(r.nextInt(hosts.size()));
            Ip dst = g.targets().get(r.nextInt(g.targets().size()));
            DeviceState d = live.host(from).orElseThrow();
            Optional<Ip> src = Optional.empty();
            if (r.nextInt(100) < 15) {
                List<Ip> lbs = d.addresses().stream().filter(a -> a.dev().equals("lo") && a.address().family() == dst.family()
                        && !a.address().ip().isLoopback()).map(a -> a.address().ip()).toList();
                if (!lbs.isEmpty()) src = Optional.of(lbs.get(r.nextInt(lbs.size())));
            }
            int k = r.nextInt(100);
            if (k < 35) {
                out.add(new KernelProbe(from, src, dst, Proto.ICMP, 0));
            } else if (k < 78) {
                out.add(new KernelProbe(from, src, dst, Proto.TCP, port(r, live, g.dnatPorts(), dst, Proto.TCP)));
            } else {
                out.add(new KernelProbe(from, src, dst, Proto.UDP, port(r, live, g.dnatPorts(), dst, Proto.UDP)));
            }
        }
        return List.copyOf(out);
    }

    /** Mostly a port that is open at {@code dst} somewhere in the network, else a usual one. */
    private static int port(Random r, Network live, Map<Ip, Set<Integer>> dnat, Ip dst, Proto p) {
        List<Integer> open = new ArrayList<>();
        for (DeviceState d : live.hosts().values()) {
            boolean owns = d.hasAddress(dst);
            for (Listener l : d.listeners()) {
                if (l.proto() != p || (p == Proto.UDP && l.port() != 53 && l.port() != 7)) continue;
                if (l.address().equals(dst) || (owns && l.address().isZero() && (l.address().family() == dst.family()
                        || (l.address().family() == Family.V6 && !l.v6only())))) open.add(l.port());
            }
        }
        for (int x : dnat.getOrDefault(dst, Set.of())) {
            if (p == Proto.TCP && x > 0) open.add(x);
            if (p == Proto.UDP && x == -53) open.add(53);
        }
        if (!open.isEmpty() && r.nextInt(100) < 85) return open.get(r.nextInt(open.size()));
        if (p == Proto.UDP) return r.nextBoolean() ? 53 : 7;
        int[] usual = {22, 80, 443, 8080, 2222};
        return usual[r.nextInt(usual.length)];
    }
}
