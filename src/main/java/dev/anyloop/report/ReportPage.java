package dev.anyloop.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.check.Finding;
import dev.anyloop.graph.Drawing;
import dev.anyloop.graph.Layout;
import dev.anyloop.graph.SvgFormat;
import dev.anyloop.graph.Topology;
import dev.anyloop.graph.TopologyBuilder;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.DeviceState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ReportInput} -> one self-contained HTML page: inline SVG, CSS and script, the per-host plans as a JSON
 * data block, and a Content-Security-Policy meta tag that allows nothing but that one style and that one
 * script (by their sha256), so the page fetches nothing and runs nothing else, even if a name got through.
 */
public final class ReportPage {
    /** Above this many hosts, a segment's leaf hosts fold into one "+N hosts" box (the host list still has them). */
    static final int FOLD_ABOVE_HOSTS = 60;
    /** ... for segments with more leaf hosts than this. */
    static final int FOLD_LEAVES = 10;

    static final String CSS = resource("report.css");
    static final String JS = resource("report.js");

    private ReportPage() { }

    public static String render(ReportInput in) {
        Topology t = TopologyBuilder.of(in.network(), in.intent());
        Drawing d = Layout.of(t, folded(t));
        Simulator sim = Simulator.of(in.network());
        List<String> clients = in.intent().map(i -> i.hosts().keySet().stream().filter(in.network().hosts()::containsKey).toList())
                .orElse(List.copyOf(in.network().hosts().keySet()));
        List<ServiceView> services = t.services().stream().map(s -> ServiceView.of(s, in.network(), sim, clients)).toList();

        Html h = new Html();
        h.trusted("<!DOCTYPE html>\n").open("html", "lang", "en").nl().open("head").nl();
        h.trusted("<meta charset=\"utf-8\">\n");
        h.trusted("<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp() + "\">\n");
        h.trusted("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.el("title", "anyloop report: " + in.title()).nl();
        h.open("style").trusted(CSS).close("style").nl().close("head").nl();
        h.open("body").nl();
        header(h, in, t, services);
        h.open("main").nl();
        topology(h, d);
        hosts(h, t);
        // a cell whose flow a failed check proved is marked, so the matrix shows where reality and intent differ
        Set<String> failed = new HashSet<>();
        in.findings().ifPresent(fs -> fs.stream().filter(Finding::failed).flatMap(f -> f.proof().stream())
                .forEach(rt -> failed.add(rt.flow().toString())));
        ServiceSection.render(h, services, t, failed);
        CheckSection.render(h, in.findings());
        if (!in.probes().isEmpty()) ProbeSection.render(h, in.probes());
        h.close("main").nl();
        h.trusted("<script type=\"application/json\" id=\"anyloop-data\">").trusted(data(in, t, services)).trusted("</script>\n");
        h.open("script").trusted(JS).close("script").nl();
        h.close("body").nl().close("html").nl();
        return h.toString();
    }

    /** The policy: nothing from anywhere (no fetch, no image, no font, no frame), but the page's own style and script. */
    static String csp() {
        return "default-src 'none'; style-src '" + sha256(CSS) + "'; script-src '" + sha256(JS) + "'; base-uri 'none'; form-action 'none'";
    }

    private static void header(Html h, ReportInput in, Topology t, List<ServiceView> services) {
        h.open("header").nl().el("h1", "anyloop report").el("p", in.title(), "class", "source");
        h.open("ul", "class", "summary");
        h.el("li", t.hosts().size() + " hosts");
        h.el("li", t.segments().size() + " segments");
        h.el("li", services.size() + " services");
        in.findings().ifPresent(fs -> {
            long pass = fs.stream().filter(f -> f.kind() == Finding.Kind.PASS).count();
            long fail = fs.stream().filter(Finding::failed).count();
            long note = fs.size() - pass - fail;
            h.el("li", pass + " checks passed", "class", "pass").el("li", fail + " failed", "class", fail > 0 ? "fail" : "pass")
                    .el("li", note + " notes", "class", note > 0 ? "note" : "");
        });
        if (!in.probes().isEmpty()) {
            long agree = in.probes().stream().filter(ProbeRow::agree).count();
            h.el("li", agree + "/" + in.probes().size() + " probes: kernel agrees", "class", agree == in.probes().size() ? "pass" : "fail");
        }
        h.close("ul").nl();
        h.open("nav").open("label", "for", "search").text("Search ").close("label")
                .trusted("<input id=\"search\" type=\"search\" placeholder=\"host, service, address\" autocomplete=\"off\">")
                .el("span", "", "id", "search-count", "class", "count");
        for (String[] link : new String[][] {{"#topology", "topology"}, {"#hosts", "hosts"}, {"#services", "services"}, {"#checks", "checks"}}) {
            h.el("a", link[1], "href", link[0]);
        }
        if (!in.probes().isEmpty()) h.el("a", "probes", "href", "#probes");
        h.close("nav").nl();
        h.el("p", "made by " + in.command(), "class", "made");
        for (String note : in.notes()) h.el("p", note, "class", "note");
        h.close("header").nl();
    }

    private static void topology(Html h, Drawing d) {
        h.open("section", "id", "topology").nl().el("h2", "Topology");
        h.el("p", "Click a host for its plan. Badges: service addresses, #1/2 = first of two in failover order. "
                + "Dashed: the routes forwarding hosts hold to service addresses (darker: the route the kernel picks).", "class", "hint");
        h.open("div", "class", "graph").nl().trusted(SvgFormat.render(d)).close("div").nl();
        h.trusted("<aside id=\"plan\" class=\"plan\" hidden tabindex=\"-1\" aria-live=\"polite\"></aside>\n");
        h.close("section").nl();
    }

    /** Every host, grouped by segment (collapsed above 30 hosts), each a button that opens its plan. */
    private static void hosts(Html h, Topology t) {
        h.open("section", "id", "hosts").nl().el("h2", "Hosts");
        Map<String, List<Integer>> bySegment = new LinkedHashMap<>();
        t.segments().forEach(s -> bySegment.put(s.name(), new ArrayList<>()));
        Set<Integer> attached = new HashSet<>();
        for (Topology.Attachment a : t.attachments()) {
            int i = t.indexOf(a.host());
            List<Integer> list = bySegment.get(a.segment());
            if (list != null && !list.contains(i)) list.add(i);
            attached.add(i);
        }
        List<Integer> loose = new ArrayList<>();
        for (int i = 0; i < t.hosts().size(); i++) if (!attached.contains(i)) loose.add(i);
        for (Topology.SegmentNode s : t.segments()) {
            String prefixes = String.join(" ", s.prefixes().stream().map(Object::toString).toList());
            hostGroup(h, t, "segment " + s.name() + (prefixes.isEmpty() ? "" : " · " + prefixes), s.name(), bySegment.get(s.name()));
        }
        if (!loose.isEmpty()) hostGroup(h, t, "on no segment (no interface with an address joins one)", "", loose);
        h.close("section").nl();
    }

    private static void hostGroup(Html h, Topology t, String title, String segment, List<Integer> hosts) {
        if (hosts.size() <= 30) h.open("details", "class", "group", "data-segment", segment, "open", "");
        else h.open("details", "class", "group", "data-segment", segment);
        h.open("summary").text(title + " · " + hosts.size() + (hosts.size() == 1 ? " host" : " hosts")).close("summary");
        h.open("ul", "class", "hostlist");
        for (int i : hosts) {
            Topology.Host host = t.hosts().get(i);
            h.open("li", "data-h-item", Integer.toString(i));
            h.el("button", host.name(), "type", "button", "class", "host-link " + host.role().word(), "data-h", Integer.toString(i));
            h.el("span", host.role().word(), "class", "role");
            for (Topology.Badge b : host.badges()) h.el("span", b.text(), "class", "badge rank-" + Math.min(b.rank(), 2));
            host.comment().ifPresent(c -> h.el("span", c, "class", "comment"));
            h.close("li");
        }
        h.close("ul").close("details").nl();
    }

    /** Leaf hosts of crowded segments, when the network is large. */
    static Set<String> folded(Topology t) {
        return t.hosts().size() <= FOLD_ABOVE_HOSTS ? Set.of() : Layout.leaves(t, FOLD_LEAVES);
    }

    /** The JSON the script reads: each host's plan, in the topology's host order (index = the SVG's h-N). */
    private static String data(ReportInput in, Topology t, List<ServiceView> services) {
        List<Object> hosts = new ArrayList<>();
        for (Topology.Host host : t.hosts()) {
            DeviceState d = in.network().hosts().get(host.name());
            Optional<Drift> drift = in.planned().map(p -> p.hosts().get(host.name()) == null ? null
                    : Drift.of(p.hosts().get(host.name()), Optional.of(d)));
            Map<String, Object> m = HostPlan.of(host, d, in.why().getOrDefault(host.name(), List.of()), drift).toJson();
            m.put("search", search(t, host));
            hosts.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hosts", hosts);
        doc.put("services", services.stream().map(s -> String.join(" ", s.service().name(),
                String.join(" ", s.service().addresses().stream().map(Object::toString).toList()), String.join(" ", s.service().hosts()))
                .toLowerCase(java.util.Locale.ROOT)).toList());
        try {
            return scriptSafe(new ObjectMapper().writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report's data", e);
        }
    }

    /** What the search box matches a host by: its name, comment, addresses and services. */
    private static String search(Topology t, Topology.Host host) {
        StringBuilder sb = new StringBuilder(host.name());
        host.comment().ifPresent(c -> sb.append(' ').append(c));
        for (Topology.Attachment a : t.attachmentsOf(host.name())) {
            sb.append(' ').append(a.segment());
            a.addresses().forEach(x -> sb.append(' ').append(x.ip()));
        }
        host.badges().forEach(b -> sb.append(' ').append(b.service()).append(' ').append(b.address()));
        return sb.toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * JSON that cannot end its script element or open a comment there: '<', '>' and '&' (which only occur
     * inside strings) become \\u escapes, as do U+2028/U+2029, which older parsers took for line ends.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    static String sha256(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
