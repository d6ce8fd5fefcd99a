package dev.anyloop.snapshot;

import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads links.txt: "hostA ifA hostB ifB" per line, '#' starts a comment; each line is one point-to-point cable. */
public final class LinksParser {
    private LinksParser() { }

    /** One cable between two interfaces. */
    public record Cable(Segment.Port a, Segment.Port b) { }

    /** Parses and checks every name against {@code hosts}: an unknown host or interface is an error with its line. */
    public static List<Cable> parse(String file, String text, Map<String, DeviceState> hosts) throws SnapshotException {
        List<Cable> out = new ArrayList<>();
        Map<Segment.Port, Integer> used = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] w = line.split("\\s+");
            if (w.length != 4) {
                throw SnapshotException.atLine(file, n, "expected 'hostA ifA hostB ifB', found " + w.length + " words: '" + line + "'");
            }
            Segment.Port a = port(file, n, w[0], w[1], hosts);
            Segment.Port b = port(file, n, w[2], w[3], hosts);
            if (a.equals(b)) throw SnapshotException.atLine(file, n, "expected two different interfaces, found " + a + " twice");
            for (Segment.Port p : List.of(a, b)) {
                Integer before = used.putIfAbsent(p, n);
                if (before != null) {
                    throw SnapshotException.atLine(file, n, p + " is already cabled at line " + before
                            + " (a point-to-point link has one peer; a shared segment needs no links.txt line)");
                }
            }
            out.add(new Cable(a, b));
        }
        return out;
    }

    private static Segment.Port port(String file, int n, String host, String dev, Map<String, DeviceState> hosts)
            throws SnapshotException {
        DeviceState d = hosts.get(host);
        if (d == null) {
            throw SnapshotException.atLine(file, n, "expected a host of this snapshot (" + String.join(", ", hosts.keySet())
                    + "), found '" + host + "'");
        }
        if (d.link(dev).isEmpty()) {
            throw SnapshotException.atLine(file, n, "expected an interface of " + host + " ("
                    + String.join(", ", d.links().stream().map(l -> l.name()).toList()) + "), found '" + dev + "'");
        }
        if (dev.equals("lo")) throw SnapshotException.atLine(file, n, "expected a cabled interface, found " + host + ":lo");
        return new Segment.Port(host, dev);
    }
}
