package dev.anyloop.fleet;

import dev.anyloop.intent.Intent;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service addresses and ports whose reachability a rollout may change: every address and port of every
 * service of network.yaml (ICMP echo where it says {@code ping: true}), and every other address on a live
 * host's lo (one a service that left network.yaml still holds), with the ports its host listens on there.
 * The queries are these from every host that holds none of them, before or after.
 */
public record Catalog(Map<Ip, Entry> entries) {
    /** One address: the service it belongs to ("" when none names it), its protocols and ports (port 0 for ICMP). */
    public record Entry(Ip address, String service, Set<Port> ports) { }

    /** A protocol and port; ICMP echo has port 0. */
    public record Port(Proto proto, int port) { }

    public Catalog {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** From the intent's services, then from {@code networks} (live and desired): lo addresses nobody declared. */
    public static Catalog of(Optional<Intent> intent, List<Network> networks) {
        Map<Ip, Entry> out = new LinkedHashMap<>();
        intent.ifPresent(in -> {
            for (Intent.ServiceDef s : in.services().values()) {
                Set<Port> ports = new LinkedHashSet<>();
                for (Intent.PortDef p : s.ports()) ports.add(new Port(p.proto(), p.port()));
                if (s.ping()) ports.add(new Port(Proto.ICMP, 0));
                for (Ip a : s.addresses()) out.putIfAbsent(a, new Entry(a, s.name(), ports));
            }
        });
        for (Network n : networks) {
            for (DeviceState d : n.hosts().values()) {
                for (Address a : d.addressesOn("lo")) {
                    Ip ip = a.address().ip();
                    if (ip.isLoopback() || a.scope() != Address.Scope.GLOBAL || out.containsKey(ip)) continue;
                    Set<Port> ports = new LinkedHashSet<>();
                    for (Listener l : d.listeners()) {
                        if (l.address().equals(ip) || (l.address().isZero() && l.address().family() == ip.family())) ports.add(new Port(l.proto(), l.port()));
                    }
                    if (!ports.isEmpty()) out.put(ip, new Entry(ip, "", ports));
                }
            }
        }
        return new Catalog(out);
    }

    /** Every (client, address, port): clients are the hosts of {@code networks} that hold the address in none of them. */
    public List<Query> queries(List<Network> networks) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Network n : networks) hosts.addAll(n.hosts().keySet());
        List<Query> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            for (String h : hosts) {
                if (holds(networks, h, e.address())) continue;
                for (Port p : e.ports()) out.add(new Query(h, e.address(), p.proto(), p.port(), e.service()));
            }
        }
        return out;
    }

    private static boolean holds(List<Network> networks, String host, Ip ip) {
        for (Network n : networks) {
            Optional<DeviceState> d = n.host(host);
            if (d.isPresent() && d.get().hasAddress(ip)) return true;
        }
        return false;
    }
}
