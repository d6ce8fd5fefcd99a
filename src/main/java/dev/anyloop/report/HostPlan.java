package dev.anyloop.report;

import dev.anyloop.graph.Topology;
import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the report shows when a host is clicked: why it holds what it holds (from network.yaml), its drift from
 * the plan (snapshot + network.yaml), then its addresses, routes, policy rules, sysctls, firewall (as
 * iptables-save prints it) and listening sockets. Sections are lists of lines; the page renders them as text.
 */
public record HostPlan(String name, String role, Optional<String> comment, List<Section> sections) {
    public HostPlan { sections = List.copyOf(sections); }

    /** A titled block of lines. */
    public record Section(String title, List<String> lines) {
        public Section { lines = List.copyOf(lines); }
    }

    public static HostPlan of(Topology.Host h, DeviceState d, List<String> why, Optional<Drift> drift) {
        List<Section> out = new ArrayList<>();
        if (!why.isEmpty()) out.add(new Section("what and why", why));
        drift.ifPresent(dr -> out.add(drift(dr)));
        out.add(new Section("interfaces and addresses", interfaces(d)));
        out.add(new Section("routes", routes(d)));
        if (!d.rules().equals(defaults())) {
            out.add(new Section("policy rules", d.rules().stream().map(PolicyRule::toString).toList()));
        }
        List<String> sysctls = d.sysctls().sorted().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList();
        if (!sysctls.isEmpty()) out.add(new Section("sysctls", sysctls));
        for (Family f : Family.values()) {
            if (d.netfilter(f).isEmpty()) continue;
            out.add(new Section(f == Family.V4 ? "iptables-save" : "ip6tables-save",
                    List.of(IptablesRenderer.render(d.netfilter(f)).split("\n"))));
        }
        out.add(new Section("listening sockets", d.listeners().isEmpty() ? List.of("(none)")
                : d.listeners().stream().map(Listener::toString).toList()));
        return new HostPlan(h.name(), h.role().word(), h.comment(), out);
    }

    private static List<PolicyRule> defaults() {
        List<PolicyRule> r = new ArrayList<>(PolicyRule.defaults(Family.V4));
        r.addAll(PolicyRule.defaults(Family.V6));
        return r;
    }

    private static Section drift(Drift d) {
        List<String> lines = new ArrayList<>();
        if (!d.inSnapshot()) lines.add("not in the snapshot: the plan has this host, the live network does not");
        else if (d.none()) lines.add("none: the live host holds what the plan gives it");
        d.missing().forEach(m -> lines.add("missing  " + m));
        d.extra().forEach(x -> lines.add("extra    " + x));
        return new Section("drift from the plan", lines);
    }

    private static List<String> interfaces(DeviceState d) {
        List<String> out = new ArrayList<>();
        for (Link l : d.links()) {
            String addrs = d.addressesOn(l.name()).stream()
                    .map(a -> a.address() + (a.scope() == Address.Scope.GLOBAL ? "" : " scope " + a.scope().word()))
                    .collect(Collectors.joining(", "));
            out.add(l.name() + " (" + l.kind().name().toLowerCase(java.util.Locale.ROOT) + (l.up() ? ", up" : ", DOWN") + ")"
                    + (addrs.isEmpty() ? "" : ": " + addrs));
        }
        if (out.isEmpty()) out.add("(no interfaces)");
        return out;
    }

    /** Every route but the local table's (the kernel's own entries for each address), whose count is given. */
    private static List<String> routes(DeviceState d) {
        List<String> out = new ArrayList<>();
        long local = 0;
        for (Route r : d.routes()) {
            if (r.table() == Route.TABLE_LOCAL) local++;
            else out.add(r.toString());
        }
        if (out.isEmpty()) out.add("(no routes)");
        if (local > 0) out.add("(+" + local + " routes of table local, not shown)");
        return out;
    }

    /** As a map for the page's JSON data. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("role", role);
        comment.ifPresent(c -> m.put("comment", c));
        m.put("sections", sections.stream().map(s -> Map.of("title", s.title(), "lines", s.lines())).toList());
        return m;
    }
}
