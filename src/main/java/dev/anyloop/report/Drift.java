package dev.anyloop.report;

import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a live host (a snapshot) differs from its plan (compiled from network.yaml), for what DESIGN.md says
 * anyloop owns (addresses on lo, routes of its own proto, its AL-* chains and the jumps to them, its sysctls)
 * and what it expects (interface addresses). Each line names the object as iproute2 or iptables-save prints it.
 */
public record Drift(String host, boolean inSnapshot, List<String> missing, List<String> extra) {
    public Drift {
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
    }

    public boolean none() { return inSnapshot && missing.isEmpty() && extra.isEmpty(); }

    /** The drift of {@code planned} against {@code live} (empty when the snapshot has no such host). */
    public static Drift of(DeviceState planned, Optional<DeviceState> live) {
        if (live.isEmpty()) return new Drift(planned.host(), false, List.of(), List.of());
        DeviceState l = live.get();
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        compare(addresses(planned, true), addresses(l, true), "address", missing, extra);
        // interface addresses belong to the host's network manager: a missing one matters, an extra one does not
        compare(addresses(planned, false), addresses(l, false), "interface address (expected)", missing, new ArrayList<>());
        compare(routes(planned), routes(l), "route", missing, extra);
        for (Family f : Family.values()) {
            compare(chains(planned, f), chains(l, f), f == Family.V4 ? "iptables" : "ip6tables", missing, extra);
        }
        for (Map.Entry<String, String> e : planned.sysctls().sorted().entrySet()) {
            Optional<String> v = l.sysctls().get(e.getKey());
            if (!v.map(String::trim).equals(Optional.of(e.getValue().trim()))) {
                missing.add("sysctl " + e.getKey() + " = " + e.getValue() + " (live: " + v.orElse("not in sysctl.txt") + ")");
            }
        }
        return new Drift(planned.host(), true, missing, extra);
    }

    private static void compare(Set<String> planned, Set<String> live, String what, List<String> missing, List<String> extra) {
        for (String p : planned) if (!live.contains(p)) missing.add(what + " " + p);
        for (String x : live) if (!planned.contains(x)) extra.add(what + " " + x);
    }

    /** Addresses on lo (127/8 and ::1 aside) when {@code onLo}, else the global addresses of the other interfaces. */
    private static Set<String> addresses(DeviceState d, boolean onLo) {
        Set<String> out = new LinkedHashSet<>();
        for (Address a : d.addresses()) {
            if (a.dev().equals("lo") != onLo || a.address().ip().isLoopback() || a.scope() != Address.Scope.GLOBAL) continue;
            out.add(a.address() + " dev " + a.dev());
        }
        return out;
    }

    /** anyloop's routes: its protocol number, or the name rt_protos.d gives it. */
    private static Set<String> routes(DeviceState d) {
        Set<String> out = new LinkedHashSet<>();
        for (Route r : d.routes()) {
            if (r.ownedByAnyloop()) out.add(new Route(r.type(), r.dst(), r.table(), r.nexthops(), r.metric(), r.src(), Route.PROTO_ANYLOOP, r.scope()).toString());
        }
        return out;
    }

    /** The iptables-save lines of anyloop's chains and of the rules that jump to them. */
    private static Set<String> chains(DeviceState d, Family f) {
        Set<String> out = new LinkedHashSet<>();
        String table = "";
        for (String line : IptablesRenderer.render(d.netfilter(f)).split("\n")) {
            if (line.startsWith("*")) table = line.substring(1);
            boolean ours = line.startsWith(":AL-") || line.startsWith("-A AL-") || line.contains(" -j AL-") || line.contains(" -g AL-");
            // a chain declaration's counters ("- [0:0]") are not part of what anyloop set
            if (ours) out.add("-t " + table + " " + (line.startsWith(":") ? line.split(" ")[0] : line));
        }
        return out;
    }
}
