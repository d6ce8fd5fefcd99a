package dev.anyloop.intent;

import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Things Linux would accept that cannot do what they say: a service address of a family its host has no interface
 * address of, an {@code allow:} that admits no source of an address's family, a service host that routers reach
 * only through a host that does not forward. Each is a warning with the position of the value; nothing is refused.
 */
final class Warnings {
    private final Intent intent;
    private final Problems problems;
    private final ServicePaths paths;
    private final List<Diagnostic> out = new ArrayList<>();

    Warnings(Intent intent, Problems problems, ServicePaths paths) {
        this.intent = intent;
        this.problems = problems;
        this.paths = paths;
    }

    List<Diagnostic> all() {
        for (ServiceDef s : intent.services().values()) {
            familiesOfHosts(s);
            familiesOfAllow(s);
        }
        blockedPaths();
        return out;
    }

    private void warn(String path, String message) { out.add(new Diagnostic(problems.where(path), message)); }

    /** A v6 service address on hosts without IPv6 (or v4 without IPv4): nothing of that family reaches them. */
    private void familiesOfHosts(ServiceDef s) {
        for (int k = 0; k < s.addresses().size(); k++) {
            Ip x = s.addresses().get(k);
            List<String> without = new ArrayList<>();
            for (String h : s.hosts()) {
                HostDef hd = intent.hosts().get(h);
                if (hd != null && !hd.interfaces().isEmpty() && !speaks(hd, x.family())) without.add(h);
            }
            if (!without.isEmpty()) {
                warn("services/" + s.name() + "/addresses[" + k + "]", "service " + s.name() + ": address " + x + " is "
                        + word(x.family()) + ", but host" + (without.size() > 1 ? "s " : " ") + String.join(", ", without)
                        + (without.size() > 1 ? " have" : " has") + " no " + word(x.family())
                        + " address on any interface: no packet of that family can reach it there");
            }
        }
    }

    /** allow: lists only sources of the other family: nobody may reach the address. */
    private void familiesOfAllow(ServiceDef s) {
        if (s.allow().anyone()) return;
        for (Family f : Family.values()) {
            List<Ip> xs = s.addresses().stream().filter(x -> x.family() == f).toList();
            if (xs.isEmpty() || s.allow().entries().stream().anyMatch(e -> admits(e, f))) continue;
            warn("services/" + s.name() + "/allow", "service " + s.name() + ": allow admits no " + word(f) + " source ("
                    + String.join(", ", s.allow().entries().stream().map(AllowEntry::label).toList()) + "), so no client may reach "
                    + String.join(", ", xs.stream().map(Ip::toString).toList()));
        }
    }

    private boolean admits(AllowEntry e, Family f) {
        switch (e.kind()) {
            case SOURCE:
                return e.prefix().map(p -> p.family() == f).orElse(false);
            case SEGMENT:
                return segmentHas(e.value(), f);
            case INTERFACE:
                return e.iface().map(r -> {
                    HostDef h = intent.hosts().get(r.host());
                    InterfaceDef i = h == null ? null : h.interfaces().get(r.iface());
                    return i == null || segmentHas(i.segment(), f);
                }).orElse(true);
            default:
                throw new IllegalStateException("allow entry kind " + e.kind());
        }
    }

    private boolean segmentHas(String segment, Family f) {
        SegmentDef sd = intent.segments().get(segment);
        return sd == null || sd.prefixes().stream().anyMatch(p -> p.family() == f);
    }

    /** Routers that reach a service host only through a host with forwarding: false, one warning per service host and blocker. */
    private void blockedPaths() {
        Map<List<String>, List<String>> routers = new LinkedHashMap<>();
        Map<List<String>, Integer> index = new LinkedHashMap<>();
        for (ServicePaths.Hop hop : paths.all()) {
            if (hop.blockedBy().isEmpty()) continue;
            List<String> key = List.of(hop.service(), hop.target(), hop.blockedBy().get());
            List<String> list = routers.computeIfAbsent(key, k -> new ArrayList<>());
            if (!list.contains(hop.router())) list.add(hop.router());
            index.put(key, hop.index());
        }
        routers.forEach((key, rs) -> warn("services/" + key.get(0) + "/hosts[" + index.get(key) + "]", "service " + key.get(0)
                + ": " + (rs.size() > 1 ? "routers " : "router ") + String.join(", ", rs) + " reach" + (rs.size() > 1 ? "" : "es")
                + " service host " + key.get(1) + " only through host " + key.get(2) + ", which has forwarding: false;"
                + " the routes anyloop derives there end at " + key.get(2) + " (FORWARDING_DISABLED)"));
    }

    private static boolean speaks(HostDef h, Family f) {
        return h.interfaces().values().stream().flatMap(i -> i.addresses().stream())
                .anyMatch(a -> a.family() == f && !a.ip().isLinkLocal());
    }

    private static String word(Family f) { return f == Family.V4 ? "IPv4" : "IPv6"; }
}
