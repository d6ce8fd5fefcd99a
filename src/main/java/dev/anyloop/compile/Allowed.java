package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code allow} as seen from one host: the allowed segments, the segments of interfaces
 * named on other hosts, explicit source prefixes and this host's own allowed interfaces.
 *
 * <p>An interface of another host ("router:eth1" seen from desktop) cannot be matched with {@code -i}
 * here, so it stands for the prefixes of its segment: the hosts whose packets enter router:eth1.
 */
record Allowed(List<String> segments, List<String> refSegments, List<Prefix> sources, List<String> interfaces) {
    Allowed {
        segments = List.copyOf(segments);
        refSegments = List.copyOf(refSegments);
        sources = List.copyOf(sources);
        interfaces = List.copyOf(interfaces);
    }

    static Allowed on(Intent intent, AllowDef allow, String host) {
        Set<String> segs = new LinkedHashSet<>();
        Set<String> ifaces = new LinkedHashSet<>();
        for (IfaceRef ref : allow.interfaces()) {
            if (ref.host().equals(host)) {
                ifaces.add(ref.iface());
                continue;
            }
            HostDef other = intent.hosts().get(ref.host());
            InterfaceDef i = other == null ? null : other.interfaces().get(ref.iface());
            if (i == null) throw new IllegalArgumentException("allow: interface " + ref + " is not defined");
            segs.add(i.segment());
        }
        return new Allowed(allow.segments(), List.copyOf(segs), allow.sources(), List.copyOf(ifaces));
    }

    /** The prefixes of family {@code f} of the allowed segments, in order. */
    List<Prefix> segmentPrefixes(Intent intent, Family f) { return prefixesOf(intent, segments, f); }

    /** The prefixes of family {@code f} of the segments behind interfaces named on other hosts. */
    List<Prefix> refPrefixes(Intent intent, Family f) { return prefixesOf(intent, refSegments, f); }

    /** Explicit sources of family {@code f}. */
    List<Prefix> sources(Family f) { return sources.stream().filter(p -> p.family() == f).toList(); }

    static List<Prefix> prefixesOf(Intent intent, List<String> segmentNames, Family f) {
        Set<Prefix> out = new LinkedHashSet<>();
        for (String name : segmentNames) {
            SegmentDef s = intent.segments().get(name);
            if (s == null) throw new IllegalArgumentException("allow: segment '" + name + "' is not defined");
            for (Prefix p : s.prefixes()) if (p.family() == f) out.add(p);
        }
        return new ArrayList<>(out);
    }
}
