package dev.anyloop.fleet;

import dev.anyloop.snapshot.LinksParser;
import dev.anyloop.snapshot.Segments;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network as it is: the live states read from the hosts, joined into segments as the snapshot reader joins a
 * snapshot folder (by overlapping prefixes), with the point-to-point links network.yaml names as links.txt cables
 * (a segment of exactly two interfaces, both on hosts that were read). A host that could not be read stands in
 * as planned, and {@link #assumed} says which.
 */
public record LiveNetwork(Network network, List<String> assumed, String linksTxt) {
    public LiveNetwork {
        assumed = List.copyOf(assumed);
    }

    /** {@code live} (by host) joined; every host of {@code planned} missing from it taken as planned. */
    public static LiveNetwork of(Map<String, DeviceState> live, Network planned) {
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        List<String> assumed = new ArrayList<>();
        for (DeviceState d : planned.hosts().values()) {
            DeviceState l = live.get(d.host());
            if (l != null) hosts.put(d.host(), l);
            else {
                hosts.put(d.host(), d);
                assumed.add(d.host());
            }
        }
        List<LinksParser.Cable> cables = cables(planned, live);
        StringBuilder links = new StringBuilder();
        for (LinksParser.Cable c : cables) {
            links.append(c.a().host()).append(' ').append(c.a().dev()).append(' ').append(c.b().host()).append(' ').append(c.b().dev()).append('\n');
        }
        return new LiveNetwork(new Network(hosts, Segments.build(hosts, cables)), assumed, links.toString());
    }

    /** network.yaml's two-interface segments whose both ends were read and have that interface. */
    static List<LinksParser.Cable> cables(Network planned, Map<String, DeviceState> live) {
        List<LinksParser.Cable> out = new ArrayList<>();
        for (Segment s : planned.segments()) {
            if (s.ports().size() != 2) continue;
            Segment.Port a = s.ports().get(0);
            Segment.Port b = s.ports().get(1);
            if (has(live, a) && has(live, b)) out.add(new LinksParser.Cable(a, b));
        }
        return out;
    }

    private static boolean has(Map<String, DeviceState> live, Segment.Port p) {
        DeviceState d = live.get(p.host());
        return d != null && d.link(p.dev()).isPresent();
    }
}
