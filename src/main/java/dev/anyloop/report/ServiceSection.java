package dev.anyloop.report;

import dev.anyloop.graph.Topology;
import java.util.List;
import java.util.Optional;

/** The services: addresses, hosts in failover order with the routes to them, the client x port matrix, the failover table. */
final class ServiceSection {
    /** A service's block starts collapsed when its matrix has more rows than this. */
    static final int OPEN_ROWS = 40;

    private ServiceSection() { }

    static void render(Html h, List<ServiceView> services, Topology t) {
        h.open("section", "id", "services").nl().el("h2", "Services");
        if (services.isEmpty()) {
            h.el("p", "This network has no services: network.yaml declares none, or, for a snapshot, no host holds a global "
                    + "address on a loopback or dummy device.", "class", "empty");
        }
        for (int i = 0; i < services.size(); i++) service(h, i, services.get(i), t);
        h.close("section").nl();
    }

    private static void service(Html h, int i, ServiceView v, Topology t) {
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
            h.open("li").el("button", host, "type", "button", "class", "host-link", "data-h", Integer.toString(index(t, host)));
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
            for (ServiceView.Row r : v.rows()) {
                h.open("tr").el("th", r.client());
                for (Optional<ServiceView.Cell> c : r.cells()) {
                    if (c.isEmpty()) h.el("td", "–", "class", "na", "title", "no address of this family");
                    else h.el("td", c.get().reachable() ? "✓" : "✗", "class", c.get().reachable() ? "ok" : "no", "title", c.get().detail());
                }
                h.close("tr");
            }
            h.close("tbody").close("table").close("div");
        }

        if (!v.failover().isEmpty()) {
            h.el("h3", "Failover: each host down in turn (its routes withdrawn)");
            h.open("table", "class", "failover").open("thead").open("tr").el("th", "down").el("th", "still reach it (answered by)")
                    .el("th", "lose it").close("tr").close("thead").open("tbody");
            for (ServiceView.FailoverRow f : v.failover()) {
                h.open("tr").el("th", f.down());
                h.el("td", f.reached().isEmpty() ? "nobody" : String.join("\n", f.reached()), "class", f.reached().isEmpty() ? "no" : "ok");
                h.el("td", f.lost().isEmpty() ? "nobody" : String.join("\n", f.lost()), "class", f.lost().isEmpty() ? "ok" : "no");
                h.close("tr");
            }
            h.close("tbody").close("table");
        }
        h.close("details").nl();
    }

    private static int index(Topology t, String host) {
        for (int i = 0; i < t.hosts().size(); i++) if (t.hosts().get(i).name().equals(host)) return i;
        return -1;
    }
}
