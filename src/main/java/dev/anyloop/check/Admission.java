package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a service's {@code allow:} admits, as the prefixes each entry stands for (a segment its prefixes, an interface
 * the prefixes of its segment, a source itself), so a check can say which entry admits a source address, or that none
 * does. Built once per service: a check asks it for every client.
 */
final class Admission {
    private record Covered(Prefix prefix, AllowEntry entry) { }

    private final Intent intent;
    private final AllowDef allow;
    private final List<Covered> covered = new ArrayList<>();

    Admission(Intent intent, AllowDef allow) {
        this.intent = intent;
        this.allow = allow;
        for (AllowEntry e : allow.entries()) {
            switch (e.kind()) {
                case SOURCE:
                    covered.add(new Covered(e.prefix().orElseThrow(), e));
                    break;
                case SEGMENT:
                    segmentPrefixes(e.value()).forEach(p -> covered.add(new Covered(p, e)));
                    break;
                case INTERFACE:
                    Intent.IfaceRef r = e.iface().orElseThrow();
                    HostDef h = intent.hosts().get(r.host());
                    InterfaceDef i = h == null ? null : h.interfaces().get(r.iface());
                    if (i != null) segmentPrefixes(i.segment()).forEach(p -> covered.add(new Covered(p, e)));
                    break;
                default:
                    throw new IllegalStateException("allow entry kind " + e.kind());
            }
        }
    }

    boolean anyone() { return allow.anyone(); }

    /** The first entry (file order) that admits traffic from {@code src}. */
    Optional<AllowEntry> entryFor(Ip src) {
        for (Covered c : covered) if (c.prefix().contains(src)) return Optional.of(c.entry());
        return Optional.empty();
    }

    boolean admits(Ip src) { return anyone() || entryFor(src).isPresent(); }

    /** True when the intent lets {@code client} reach the service: one of its interfaces is in what allow: covers. */
    boolean admitsClient(String client) {
        if (anyone()) return true;
        HostDef h = intent.hosts().get(client);
        for (InterfaceDef i : h.interfaces().values()) {
            if (allow.segments().contains(i.segment())) return true;
            for (InterfaceAddress a : i.addresses()) if (entryFor(a.ip()).isPresent()) return true;
        }
        return false;
    }

    /** "admitted by allow: segments lan (network.yaml:51:18)", or why nothing admits {@code src}. */
    String explain(Optional<Ip> src, String client) {
        if (anyone()) return "anyone may";
        String who = src.map(a -> "source " + a).orElse(client);
        Optional<AllowEntry> e = src.flatMap(this::entryFor);
        if (e.isPresent()) return who + " is allowed by allow: " + e.get().label() + at(e.get());
        if (src.isEmpty() && admitsClient(client)) return who + " is allowed";
        return who + " is not in allow (" + String.join(", ", allow.entries().stream().map(AllowEntry::label).toList()) + ")";
    }

    private static String at(AllowEntry e) { return e.pos().line() > 0 ? " (" + e.pos() + ")" : ""; }

    private List<Prefix> segmentPrefixes(String name) {
        SegmentDef s = intent.segments().get(name);
        return s == null ? List.of() : s.prefixes();
    }
}
