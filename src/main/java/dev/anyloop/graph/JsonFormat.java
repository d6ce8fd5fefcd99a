package dev.anyloop.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.graph.Drawing.Box;
import dev.anyloop.graph.Drawing.Line;
import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Badge;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.RoutedPath;
import dev.anyloop.graph.Topology.SegmentNode;
import dev.anyloop.graph.Topology.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Drawing} -> one JSON document: the topology (hosts with their badges and interfaces, segments,
 * services, routed paths) with ELK's boxes and edge points, for tools that draw it their own way.
 */
public final class JsonFormat {
    private JsonFormat() { }

    public static String render(Drawing d) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree(d)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the graph as JSON", e);
        }
    }

    /** The document as maps and lists, in a stable key order. */
    public static Map<String, Object> tree(Drawing d) {
        Topology t = d.topology();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", round(d.width()));
        m.put("height", round(d.height()));
        List<Object> hosts = new ArrayList<>();
        for (int i = 0; i < t.hosts().size(); i++) {
            Host h = t.hosts().get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", h.name());
            o.put("role", h.role().word());
            h.comment().ifPresent(c -> o.put("comment", c));
            o.put("badges", h.badges().stream().map(JsonFormat::badge).toList());
            List<Object> ifs = new ArrayList<>();
            for (Attachment a : t.attachmentsOf(h.name())) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("dev", a.dev());
                x.put("segment", a.segment());
                x.put("addresses", a.addresses().stream().map(Object::toString).toList());
                ifs.add(x);
            }
            o.put("interfaces", ifs);
            d.hosts().get(i).ifPresentOrElse(b -> o.put("box", box(b)), () -> o.put("folded", true));
            hosts.add(o);
        }
        m.put("hosts", hosts);
        List<Object> segs = new ArrayList<>();
        for (int i = 0; i < t.segments().size(); i++) {
            SegmentNode s = t.segments().get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", s.name());
            o.put("prefixes", s.prefixes().stream().map(Object::toString).toList());
            o.put("box", box(d.segments().get(i)));
            segs.add(o);
        }
        m.put("segments", segs);
        List<Object> links = new ArrayList<>();
        for (int i = 0; i < t.attachments().size(); i++) {
            Attachment a = t.attachments().get(i);
            Optional<Line> l = d.attachments().get(i);
            if (l.isEmpty()) continue;
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("host", a.host());
            o.put("dev", a.dev());
            o.put("segment", a.segment());
            o.put("points", points(l.get()));
            links.add(o);
        }
        m.put("links", links);
        List<Object> services = new ArrayList<>();
        for (Service s : t.services()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", s.name());
            o.put("declared", s.declared());
            s.comment().ifPresent(c -> o.put("comment", c));
            o.put("addresses", s.addresses().stream().map(Object::toString).toList());
            o.put("hosts", s.hosts());
            o.put("ports", s.ports().stream().map(Object::toString).toList());
            services.add(o);
        }
        m.put("services", services);
        List<Object> paths = new ArrayList<>();
        for (Drawing.Route r : d.routes()) {
            for (RoutedPath p : r.paths()) paths.add(path(p, r.line()));
        }
        m.put("paths", paths);
        List<Object> folds = new ArrayList<>();
        for (Drawing.Fold f : d.folds()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("segment", f.segment());
            o.put("hosts", f.hosts());
            o.put("box", box(f.box()));
            folds.add(o);
        }
        if (!folds.isEmpty()) m.put("folds", folds);
        return m;
    }

    private static Map<String, Object> path(RoutedPath p, Line line) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("router", p.router());
        o.put("address", p.address().toString());
        o.put("prefix", p.prefix().toString());
        o.put("via", p.via());
        o.put("gateway", p.gateway().toString());
        o.put("dev", p.dev());
        o.put("metric", Integer.toUnsignedLong(p.metric()));
        o.put("rank", p.rank());
        o.put("points", points(line));
        return o;
    }

    private static Map<String, Object> badge(Badge b) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("service", b.service());
        o.put("address", b.address().toString());
        o.put("rank", b.rank());
        o.put("of", b.of());
        return o;
    }

    private static Map<String, Object> box(Box b) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("x", round(b.x()));
        o.put("y", round(b.y()));
        o.put("width", round(b.width()));
        o.put("height", round(b.height()));
        return o;
    }

    private static List<Object> points(Line l) {
        return l.points().stream().map(p -> (Object) List.of(round(p.x()), round(p.y()))).toList();
    }

    private static Number round(double v) { return Markup.rounded(v); }
}
