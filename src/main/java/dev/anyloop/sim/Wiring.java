package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which interfaces share an L2 segment, and which of them may answer ARP / neighbour discovery for
 * an address. With arp_ignore 0 (Linux's default) a host answers ARP on any interface for any of
 * its addresses (weak host), so a /32 on lo is reachable on-link; with arp_ignore >= 1, and always
 * for IPv6 neighbour discovery, only for addresses on the receiving interface.
 */
final class Wiring {
    /** One interface of one host on a segment. */
    record Port(HostModel host, String dev) { }

    private record Key(String host, String dev) { }

    /** A segment compiled: its ports, and per address the ports that might answer for it. */
    private static final class Seg {
        final String name;
        final List<Port> ports = new ArrayList<>();
        final Map<Ip, List<Port>> owners = new HashMap<>();

        Seg(String name) { this.name = name; }
    }

    private final Map<Key, Seg> byPort = new HashMap<>();
    /** The same as byPort, per host by identity and then by device index: no string hashing per hop. */
    private final Map<HostModel, Seg[]> byHost = new IdentityHashMap<>();

    Wiring(Network n, Map<String, HostModel> hosts) {
        for (Segment s : n.segments()) {
            Seg seg = new Seg(s.name());
            for (Segment.Port p : s.ports()) {
                HostModel h = hosts.get(p.host());
                if (h == null) continue;
                Port port = new Port(h, p.dev());
                seg.ports.add(port);
                byPort.putIfAbsent(new Key(p.host(), p.dev()), seg);
                int i = h.devIndex(p.dev());
                if (i >= 0) {
                    Seg[] segs = byHost.computeIfAbsent(h, k -> new Seg[k.devices.size()]);
                    if (segs[i] == null) segs[i] = seg;
                }
                boolean anyDev = h.conf(p.dev()).arpIgnore() == 0;
                for (Address a : h.state.addresses()) {
                    boolean v4 = a.address().family() == Family.V4;
                    if (!v4 && !h.up(a.dev())) continue; // IPv4: a down device's address is still local
                    if (a.dev().equals(p.dev()) || (v4 && anyDev)) {
                        seg.owners.computeIfAbsent(a.address().ip(), k -> new ArrayList<>(2)).add(port);
                    }
                }
            }
            seg.owners.replaceAll((k, v) -> List.copyOf(v));
        }
    }

    private Seg seg(HostModel h, String dev) {
        Seg[] segs = byHost.get(h);
        int i = h.devIndex(dev);
        if (segs != null && i >= 0) return segs[i];
        return i >= 0 ? null : byPort.get(new Key(h.name, dev));
    }

    /** The segment name h:dev is attached to. */
    Optional<String> segmentName(HostModel h, String dev) {
        Seg s = seg(h, dev);
        return s == null ? Optional.empty() : Optional.of(s.name);
    }

    /** Ports on the segment of h:dev that hold {@code ip} (h:dev itself included: callers skip it). */
    List<Port> owners(HostModel h, String dev, Ip ip) {
        Seg s = seg(h, dev);
        if (s == null) return List.of();
        List<Port> o = s.owners.get(ip);
        return o == null ? List.of() : o;
    }

    /** The segment name host:dev is attached to. */
    Optional<String> segmentName(String host, String dev) {
        Seg s = byPort.get(new Key(host, dev));
        return s == null ? Optional.empty() : Optional.of(s.name);
    }

    /** Ports on the segment of host:dev, other than host:dev itself, that hold {@code ip}. */
    List<Port> owners(String host, String dev, Ip ip) {
        Seg s = byPort.get(new Key(host, dev));
        if (s == null) return List.of();
        List<Port> o = s.owners.get(ip);
        return o == null ? List.of() : o;
    }
}
