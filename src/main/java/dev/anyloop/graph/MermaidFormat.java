package dev.anyloop.graph;

import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.SegmentNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link Drawing} -> a Mermaid flowchart (GitHub and most wikis render it). Mermaid lays the chart out itself:
 * ELK's positions have no place in its syntax. Nodes get generated ids (h0, s0, f0); every label is quoted,
 * with Mermaid's entity codes for the characters its parser or its HTML labels would take as syntax.
 */
public final class MermaidFormat {
    private MermaidFormat() { }

    public static String render(Drawing d) {
        Topology t = d.topology();
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < t.segments().size(); i++) {
            SegmentNode s = t.segments().get(i);
            List<String> lines = new ArrayList<>(List.of(s.name()));
            if (!s.prefixes().isEmpty()) lines.add(s.prefixes().stream().map(Object::toString).collect(Collectors.joining(" ")));
            ids.put("segment:" + s.name(), "s" + i);
            sb.append("  s").append(i).append("([").append(label(lines)).append("])\n");
        }
        for (int i = 0; i < t.hosts().size(); i++) {
            if (d.hosts().get(i).isEmpty()) continue;
            Host h = t.hosts().get(i);
            List<String> lines = new ArrayList<>(List.of(h.name()));
            h.badges().forEach(b -> lines.add(b.text()));
            ids.put(h.name(), "h" + i);
            String shape = switch (h.role()) {
                case ROUTER -> "{{%s}}";
                case HOST -> "[%s]";
                case CONTAINER -> "[/%s/]";
            };
            sb.append("  h").append(i).append(String.format(shape, label(lines))).append('\n');
        }
        for (int i = 0; i < d.folds().size(); i++) {
            Drawing.Fold f = d.folds().get(i);
            sb.append("  f").append(i).append('[').append(label(List.of(f.text()))).append("]\n");
            sb.append("  ").append(ids.get("segment:" + f.segment())).append(" --- f").append(i).append('\n');
        }
        for (int i = 0; i < t.attachments().size(); i++) {
            if (d.attachments().get(i).isEmpty()) continue;
            Attachment a = t.attachments().get(i);
            String addrs = a.addresses().stream().map(Object::toString).collect(Collectors.joining(" "));
            sb.append("  ").append(ids.get(a.host())).append(" ---|").append(label(List.of(addrs.isEmpty() ? a.dev() : a.dev() + " " + addrs)))
                    .append("| ").append(ids.get("segment:" + a.segment())).append('\n');
        }
        for (Drawing.Route r : d.routes()) {
            sb.append("  ").append(ids.get(r.router())).append(" -.->|").append(label(r.lines())).append("| ").append(ids.get(r.via())).append('\n');
        }
        sb.append("  classDef router fill:#fef3c7,stroke:#b45309\n  classDef segment fill:#dbeafe,stroke:#1d4ed8\n");
        List<String> routers = new ArrayList<>();
        for (int i = 0; i < t.hosts().size(); i++) {
            if (d.hosts().get(i).isPresent() && t.hosts().get(i).role() == Topology.Role.ROUTER) routers.add("h" + i);
        }
        if (!routers.isEmpty()) sb.append("  class ").append(String.join(",", routers)).append(" router\n");
        if (!t.segments().isEmpty()) {
            sb.append("  class ").append(java.util.stream.IntStream.range(0, t.segments().size()).mapToObj(i -> "s" + i)
                    .collect(Collectors.joining(","))).append(" segment\n");
        }
        return sb.toString();
    }

    /** A quoted Mermaid label, lines joined by {@code <br>}. */
    private static String label(List<String> lines) {
        return lines.stream().map(MermaidFormat::escaped).collect(Collectors.joining("<br>", "\"", "\""));
    }

    /** Mermaid's entity codes (#quot; and friends, #35; for '#' itself) for everything its labels could read as markup. */
    static String escaped(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '#': sb.append("#35;"); break;
                case '"': sb.append("#quot;"); break;
                case '<': sb.append("#lt;"); break;
                case '>': sb.append("#gt;"); break;
                case '&': sb.append("#amp;"); break;
                case '|': sb.append("#124;"); break;
                case '`': sb.append("#96;"); break;
                case '\n': case '\r': sb.append(' '); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
