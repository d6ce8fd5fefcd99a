package dev.anyloop.graph;

import static dev.anyloop.graph.Markup.num;

import dev.anyloop.graph.Drawing.Box;
import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.SegmentNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link Drawing} -> Graphviz dot. Every node carries ELK's position ({@code pos="x,y!"}, points, y up as
 * Graphviz counts it), so {@code neato -n2 -Tsvg} draws anyloop's layout while {@code dot -Tsvg} lays it out anew.
 */
public final class DotFormat {
    private DotFormat() { }

    public static String render(Drawing d) {
        Topology t = d.topology();
        StringBuilder sb = new StringBuilder();
        sb.append("// anyloop graph: segments (ellipses), hosts (boxes; routers filled), service addresses on their hosts\n")
                .append("// in preference order, dashed: routes to service addresses. Positions from ELK: neato -n2 -Tsvg\n");
        sb.append("digraph network {\n  graph [bb=\"0,0,").append(num(d.width())).append(',').append(num(d.height()))
                .append("\"];\n  node [fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=8];\n");
        for (int i = 0; i < t.segments().size(); i++) {
            SegmentNode s = t.segments().get(i);
            List<String> lines = new ArrayList<>(List.of(s.name()));
            if (!s.prefixes().isEmpty()) lines.add(s.prefixes().stream().map(Object::toString).collect(Collectors.joining(" ")));
            sb.append("  ").append(quote("segment:" + s.name())).append(" [shape=ellipse, style=filled, fillcolor=\"#dbeafe\", label=")
                    .append(label(lines)).append(pos(d, d.segments().get(i))).append("];\n");
        }
        for (int i = 0; i < t.hosts().size(); i++) {
            Host h = t.hosts().get(i);
            Optional<Box> b = d.hosts().get(i);
            if (b.isEmpty()) continue;
            List<String> lines = new ArrayList<>(List.of(h.name()));
            h.badges().forEach(x -> lines.add(x.text()));
            String style = switch (h.role()) {
                case ROUTER -> "style=\"rounded,filled\", fillcolor=\"#fef3c7\"";
                case HOST -> "style=rounded";
                case CONTAINER -> "style=\"rounded,dashed\"";
            };
            sb.append("  ").append(quote(h.name())).append(" [shape=box, ").append(style).append(", label=").append(label(lines));
            h.comment().ifPresent(c -> sb.append(", tooltip=").append(quote(c)));
            sb.append(pos(d, b.get())).append("];\n");
        }
        for (int i = 0; i < d.folds().size(); i++) {
            Drawing.Fold f = d.folds().get(i);
            sb.append("  ").append(quote("fold:" + f.segment())).append(" [shape=box, style=dashed, label=").append(quote(f.text()))
                    .append(", tooltip=").append(quote(String.join(", ", f.hosts()))).append(pos(d, f.box())).append("];\n");
            sb.append("  ").append(quote("segment:" + f.segment())).append(" -> ").append(quote("fold:" + f.segment())).append(" [dir=none];\n");
        }
        for (int i = 0; i < t.attachments().size(); i++) {
            if (d.attachments().get(i).isEmpty()) continue;
            Attachment a = t.attachments().get(i);
            String addrs = a.addresses().stream().map(Object::toString).collect(Collectors.joining(" "));
            sb.append("  ").append(quote(a.host())).append(" -> ").append(quote("segment:" + a.segment())).append(" [dir=none, label=")
                    .append(quote(addrs.isEmpty() ? a.dev() : a.dev() + " " + addrs)).append("];\n");
        }
        for (Drawing.Route r : d.routes()) {
            sb.append("  ").append(quote(r.router())).append(" -> ").append(quote(r.via())).append(" [style=dashed, color=\"")
                    .append(r.rank() == 1 ? "#c2410c" : "#f59e0b").append("\", constraint=false, label=").append(label(r.lines())).append("];\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String pos(Drawing d, Box b) {
        // Graphviz's origin is bottom left and pos is the node's centre
        return ", pos=\"" + num(b.x() + b.width() / 2) + "," + num(d.height() - b.y() - b.height() / 2) + "!\"";
    }

    private static String label(List<String> lines) {
        return lines.stream().map(DotFormat::escaped).collect(Collectors.joining("\\n", "\"", "\""));
    }

    /** A dot string: quotes and backslashes escaped (so \N, \G and \l stay literal), line breaks written as \n. */
    static String quote(String s) { return "\"" + escaped(s) + "\""; }

    private static String escaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n");
    }
}
