package dev.anyloop.report;

import dev.anyloop.graph.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The services: addresses, hosts in failover order with the routes to them, the client x port matrix, the failover table. */
final class ServiceSection {
    /** A service's block starts collapsed when its matrix has more rows than this. */
    static final int OPEN_ROWS = 40;

    private ServiceSection() { }

    static void render(Html h, List<ServiceView> services, Topology t, Set<String> failedFlows) {
        h.open("section", "id", "services").nl().el("h2", "Services");
        if (services.isEmpty()) {
            h.el("p", "This network has no services: network.yaml declares none, or, for a snapshot, no host holds a global "
                    + "address on a loopback or dummy device.", "class", "empty");
        }
        for (int i = 0; i < services.size(); i++) service(h, i, services.get(i), t, failedFlows);
        h.close("section").nl();
    }

    private static void service(Html h, int i, ServiceView v, Topology t, Set<String> failedFlows) {
        Topology.Service s = v.service();
        String addrs = String.join(" ", s.addresses().stream().map(Object::toString).toList());
        if (v.rows().size() <= OPEN_ROWS) h.open("details", "class", "service", "id", "svc-" + i, "data-s", Integer.toString(i), "open", "");
        else h.open("details", "class", "service", "id", "svc-" + i, "data-s", Integer.toString(i));
        h.open("summary").el("span", s.name(), "class", "svc-name").text(" " + addrs);
        if (!s.ports().isEmpty()) h.text(" · " + String.join(" ", s.ports().stream().map(Object::toString).toList()));
        h.close("summary");
        s.comment().ifPresent(c -> h.el("p", c, "class", "comment"));
        if (!s.declared()) h.el("p", "Found in the snapshot: an address on a loopback or dummy device; ports: the sockets that accept it.", "class", "hint");

        h.el("h3", "Hosts in failover order").open("ol", "class", "order");
        for (String host : s.hosts()) {
            h.open("li");
            if (t.indexOf(host) >= 0) h.el("button", host, "type", "button", "class", "host-link", "data-h", Integer.toString(t.indexOf(host)));
            else h.el("span", host + " (not in this network)", "class", "absent");
            List<String> routes = t.paths().stream().filter(p -> p.via().equals(host) && s.addresses().contains(p.address()))
                    .map(p -> p.router() + ": " + p.address() + " via " + p.gateway() + " metric " + Integer.toUnsignedString(p.metric()))
                    .toList();
            if (!routes.isEmpty()) h.el("span", " — " + String.join("; ", routes), "class", "routes");
            h.close("li");
        }
        h.close("ol");

        h.el("h3", "Who reaches it (simulated round trips)");
        if (v.rows().isEmpty()) {
            h.el("p", "No client: every host of the network serves it.", "class", "empty");
        } else {
            h.open("div", "class", "scroll").open("table", "class", "matrix").open("thead").open("tr").el("th", "client");
            for (ServiceView.Column c : v.columns()) h.el("th", c.text());
            h.close("tr").close("thead").open("tbody");
            if (v.rows().size() <= OPEN_ROWS) {
                for (ServiceView.Row r : v.rows()) row(h, List.of(r.client()), r.cells(), failedFlows);
            } else {
                // one row per segment and outcome: 1,000 rows of ticks would hide the answer in the scrolling
                Map<List<String>, List<ServiceView.Row>> groups = new LinkedHashMap<>();
                for (ServiceView.Row r : v.rows()) groups.computeIfAbsent(groupKey(t, r, failedFlows), k -> new ArrayList<>()).add(r);
                groups.values().forEach(g -> row(h, g.stream().map(ServiceView.Row::client).toList(), g.get(0).cells(), failedFlows));
            }
            h.close("tbody").close("table").close("div");
        }

        if (!v.failover().isEmpty()) {
            h.el("h3", "Failover: each host down in turn (its routes withdrawn)");
            h.open("table", "class", "failover").open("thead").open("tr").el("th", "down").el("th", "still reach it (answered by)")
                    .el("th", "lose it").close("tr").close("thead").open("tbody");
            for (ServiceView.FailoverRow f : v.failover()) {
                h.open("tr").el("th", f.down());
                clients(h, f.reached(), f.reached().isEmpty() ? "no" : "ok");
                clients(h, f.lost(), f.lost().isEmpty() ? "ok" : "no");
                h.close("tr");
            }
            h.close("tbody").close("table");
        }
        h.close("details").nl();
    }

    /** A matrix row for one client, or for a group of clients with the same results (named in a collapsed list). */
    private static void row(Html h, List<String> clients, List<Optional<ServiceView.Cell>> cells, Set<String> failedFlows) {
        h.open("tr");
        if (clients.size() == 1) {
            h.el("th", clients.get(0));
        } else {
            h.open("th").open("details").el("summary", clients.size() + " clients like " + clients.get(0))
                    .el("div", String.join(" ", clients), "class", "members").close("details").close("th");
        }
        for (Optional<ServiceView.Cell> c : cells) {
            if (c.isEmpty()) {
                h.el("td", "–", "class", "na", "title", "no address of this family");
                continue;
            }
            // a group's members share each cell's outcome and its check's verdict (groupKey), so its first member speaks for all
            boolean failed = failedFlows.contains(c.get().flow());
            String cls = (c.get().reachable() ? "ok" : "no") + (failed ? " failed" : "");
            h.el("td", (c.get().reachable() ? "✓" : "✗") + (failed ? " !" : ""), "class", cls,
                    "title", (failed ? "a check FAILED here (see Checks): " : "") + c.get().detail());
        }
        h.close("tr");
    }

    /**
     * Clients group by their first segment and, cell by cell, reached or not, by whom or at which host it stopped,
     * and whether a check failed there.
     */
    private static List<String> groupKey(Topology t, ServiceView.Row r, Set<String> failedFlows) {
        List<String> key = new ArrayList<>();
        key.add(t.attachmentsOf(r.client()).stream().map(Topology.Attachment::segment).findFirst().orElse(""));
        for (Optional<ServiceView.Cell> c : r.cells()) {
            key.add(c.map(x -> x.reachable() + " " + x.detail().split(":")[0] + " " + failedFlows.contains(x.flow())).orElse("-"));
        }
        return key;
    }

    /** A failover cell: each "client: outcome" on its line, or above 20 of them, counted by outcome with the names folded. */
    private static void clients(Html h, List<String> entries, String cls) {
        if (entries.isEmpty()) {
            h.el("td", "nobody", "class", cls);
            return;
        }
        if (entries.size() <= 20) {
            h.el("td", String.join("\n", entries), "class", cls);
            return;
        }
        Map<String, List<String>> byOutcome = new LinkedHashMap<>();
        for (String e : entries) {
            int colon = e.indexOf(": ");
            byOutcome.computeIfAbsent(e.substring(colon + 2), k -> new ArrayList<>()).add(e.substring(0, colon));
        }
        h.open("td", "class", cls);
        byOutcome.forEach((outcome, who) -> h.open("details").el("summary", who.size() + " clients: " + outcome)
                .el("div", String.join(" ", who), "class", "members").close("details"));
        h.close("td");
    }
}
