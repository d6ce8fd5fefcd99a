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
        List<Seg> segs = new ArrayList<>();
        for (Segment s : n.segments()) segs.add(seg(s, hosts));
        index(segs);
    }

    private Wiring(List<Seg> segs) { index(segs); }

    /** One segment compiled: its ports, and which of them answer ARP/ND for which address. */
    private static Seg seg(Segment s, Map<String, HostModel> hosts) {
        Seg seg = new Seg(s.name());
        for (Segment.Port p : s.ports()) {
            HostModel h = hosts.get(p.host());
            if (h == null) continue;
            Port port = new Port(h, p.dev());
            seg.ports.add(port);
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
        return seg;
    }

    private void index(List<Seg> segs) {
        for (Seg seg : segs) {
            for (Port port : seg.ports) {
                HostModel h = port.host();
                byPort.putIfAbsent(new Key(h.name, port.dev()), seg);
                int i = h.devIndex(port.dev());
                if (i >= 0) {
                    Seg[] mine = byHost.computeIfAbsent(h, k -> new Seg[k.devices.size()]);
                    if (mine[i] == null) mine[i] = seg;
                }
            }
        }
    }

    /**
     * The wiring of {@code n}, a variant of {@code base}'s network whose hosts are {@code hosts}: a segment whose
     * ports are the same, on hosts that are either the same model or one with the same addresses, links and sysctls
     * (only its routes changed, as when a failover scenario withdraws them), keeps its answers to "who holds this
     * address", with the ports moved to the new models; any other segment is compiled again.
     */
    static Wiring derive(Wiring base, Network n, Map<String, HostModel> hosts) {
        Map<String, Seg> old = new java.util.HashMap<>();
        for (Seg seg : base.byPort.values()) old.putIfAbsent(seg.name, seg);
        List<Seg> segs = new ArrayList<>();
        for (Segment s : n.segments()) {
            Seg was = old.get(s.name());
            segs.add(was != null && reusable(was, s, hosts) ? moved(was, hosts) : seg(s, hosts));
        }
        return new Wiring(segs);
    }

    /** True when every port of {@code s} is the same as in {@code was}, on a host whose model answers ARP alike. */
    private static boolean reusable(Seg was, Segment s, Map<String, HostModel> hosts) {
        List<Port> mine = new ArrayList<>();
        for (Segment.Port p : s.ports()) if (hosts.containsKey(p.host())) mine.add(new Port(hosts.get(p.host()), p.dev()));
        if (mine.size() != was.ports.size()) return false;
        for (int i = 0; i < mine.size(); i++) {
            HostModel now = mine.get(i).host(), then = was.ports.get(i).host();
            if (!mine.get(i).dev().equals(was.ports.get(i).dev()) || !now.name.equals(then.name)) return false;
            if (now != then && !(now.state.addresses() == then.state.addresses() && now.state.links() == then.state.links()
                    && now.state.sysctls() == then.state.sysctls())) return false;
        }
        return true;
    }

    /** {@code was} with its ports on the models of {@code hosts}. */
    private static Seg moved(Seg was, Map<String, HostModel> hosts) {
        Map<Port, Port> to = new java.util.HashMap<>();
        Seg seg = new Seg(was.name);
        for (Port p : was.ports) {
            Port q = p.host() == hosts.get(p.host().name) ? p : new Port(hosts.get(p.host().name), p.dev());
            to.put(p, q);
            seg.ports.add(q);
        }
        boolean any = to.entrySet().stream().anyMatch(e -> e.getKey() != e.getValue());
        was.owners.forEach((ip, ports) -> {
            if (!any || ports.stream().allMatch(p -> to.get(p) == p)) {
                seg.owners.put(ip, ports);
            } else {
                seg.owners.put(ip, ports.stream().map(to::get).toList());
            }
        });
        return seg;
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
