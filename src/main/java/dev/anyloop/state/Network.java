package dev.anyloop.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every host's {@link DeviceState} and the segments that join their interfaces. */
public record Network(Map<String, DeviceState> hosts, List<Segment> segments) {
    public Network {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        segments = List.copyOf(segments);
    }

    public Optional<DeviceState> host(String name) { return Optional.ofNullable(hosts.get(name)); }

    /** The segment that host:dev is attached to, if any. */
    public Optional<Segment> segmentOf(String host, String dev) {
        for (Segment s : segments) if (s.has(host, dev)) return Optional.of(s);
        return Optional.empty();
    }

    /** A copy with one host replaced (or added). */
    public Network with(DeviceState d) {
        Map<String, DeviceState> m = new LinkedHashMap<>(hosts);
        m.put(d.host(), d);
        return new Network(m, segments);
    }

    /** A copy without {@code host}: its interfaces leave every segment (the host is down). */
    public Network without(String host) {
        Map<String, DeviceState> m = new LinkedHashMap<>(hosts);
        m.remove(host);
        List<Segment> segs = segments.stream()
                .map(s -> new Segment(s.name(), s.ports().stream().filter(p -> !p.host().equals(host)).toList()))
                .toList();
        return new Network(m, segs);
    }
}
