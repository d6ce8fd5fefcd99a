package dev.anyloop.graph;

import static dev.anyloop.graph.Markup.escape;
import static dev.anyloop.graph.Markup.num;

import dev.anyloop.graph.Drawing.Box;
import dev.anyloop.graph.Drawing.Fold;
import dev.anyloop.graph.Drawing.Line;
import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Badge;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.SegmentNode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link Drawing} -> SVG. Presentation attributes only (no style attributes or elements), so the same markup
 * looks right as a standalone file and inline in the report under a strict Content-Security-Policy. Hosts are
 * {@code <g class="host" id="h-N" data-host="NAME">} (N the host's index), segments {@code s-N}, folds
 * {@code f-N}: the report's script finds them by these.
 */
public final class SvgFormat {
    private SvgFormat() { }

    static final String INK = "#1e293b";

    public static String render(Drawing d) {
        Topology t = d.topology();
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" viewBox=\"0 0 ").append(num(d.width())).append(' ')
                .append(num(d.height())).append("\" width=\"").append(num(d.width())).append("\" height=\"").append(num(d.height()))
                .append("\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"").append(num(Layout.FONT))
                .append("\" role=\"img\" aria-label=\"network: ").append(t.hosts().size()).append(" hosts, ")
                .append(t.segments().size()).append(" segments\">\n");
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
                + " orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c2410c\"/></marker></defs>\n");
        sb.append("<g class=\"links\">\n");
        for (int i = 0; i < t.attachments().size(); i++) {
            Optional<Line> l = d.attachments().get(i);
            if (l.isEmpty()) continue;
            Attachment a = t.attachments().get(i);
            String addrs = a.addresses().stream().map(Object::toString).collect(Collectors.joining(" "));
            line(sb, "link", l.get(), "#94a3b8", false, List.of(), a.host() + ":" + a.dev() + " " + addrs + " on " + a.segment());
        }
        for (Fold f : d.folds()) line(sb, "link", f.line(), "#94a3b8", false, List.of(), f.text() + " on " + f.segment());
        sb.append("</g>\n<g class=\"paths\">\n");
        for (Drawing.Route r : d.routes()) {
            String title = r.paths().stream().map(p -> p.router() + ": route to " + p.address() + " via " + p.gateway() + " ("
                    + p.via() + ") dev " + p.dev() + " metric " + Integer.toUnsignedString(p.metric())).collect(Collectors.joining("\n"));
            line(sb, "path rank-" + Math.min(r.rank(), 3), r.line(), r.rank() == 1 ? "#c2410c" : "#f59e0b", true, r.lines(), title);
        }
        sb.append("</g>\n");
        for (int i = 0; i < t.segments().size(); i++) segment(sb, i, t.segments().get(i), d.segments().get(i));
        for (int i = 0; i < t.hosts().size(); i++) {
            int idx = i;
            d.hosts().get(i).ifPresent(b -> host(sb, t, idx, t.hosts().get(idx), b));
        }
        for (int i = 0; i < d.folds().size(); i++) fold(sb, i, d.folds().get(i));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String cls, Line l, String stroke, boolean dashed, List<String> label, String title) {
        sb.append("<g class=\"").append(cls).append("\"><title>").append(escape(title)).append("</title><polyline points=\"")
                .append(l.points().stream().map(p -> num(p.x()) + "," + num(p.y())).collect(Collectors.joining(" ")))
                .append("\" fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(dashed ? "1.6" : "1.4").append('"');
        if (dashed) sb.append(" stroke-dasharray=\"6 3\" marker-end=\"url(#arrow)\"");
        sb.append("/>");
        if (!label.isEmpty() && l.label().isPresent()) {
            Box b = l.label().get();
            sb.append("<rect x=\"").append(num(b.x())).append("\" y=\"").append(num(b.y())).append("\" width=\"").append(num(b.width()))
                    .append("\" height=\"").append(num(b.height())).append("\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>");
            for (int k = 0; k < label.size(); k++) {
                sb.append("<text x=\"").append(num(b.x() + 2)).append("\" y=\"").append(num(b.y() + Layout.LABEL_LINE * (k + 1) - 3))
                        .append("\" font-size=\"10\" fill=\"#9a3412\">").append(escape(label.get(k))).append("</text>");
            }
        }
        sb.append("</g>\n");
    }

    private static void segment(StringBuilder sb, int i, SegmentNode s, Box b) {
        String prefixes = s.prefixes().stream().map(Object::toString).collect(Collectors.joining(" "));
        sb.append("<g class=\"segment\" id=\"s-").append(i).append("\" data-segment=\"").append(escape(s.name())).append("\"><title>segment ")
                .append(escape(s.name())).append(prefixes.isEmpty() ? "" : ": " + escape(prefixes)).append("</title>");
        rect(sb, b, 14, "#dbeafe", "#1d4ed8", false);
        text(sb, b.x() + 8, b.y() + 18, true, "#1e3a8a", s.name());
        sb.append("<text x=\"").append(num(b.x() + 8)).append("\" y=\"").append(num(b.y() + 18 + Layout.LABEL_LINE))
                .append("\" font-size=\"10\" fill=\"#1e40af\">").append(escape(prefixes)).append("</text>");
        sb.append("</g>\n");
    }

    private static void host(StringBuilder sb, Topology topology, int i, Host h, Box b) {
        sb.append("<g class=\"host ").append(h.role().word()).append("\" id=\"h-").append(i).append("\" data-host=\"").append(escape(h.name()))
                .append("\" tabindex=\"0\"><title>").append(h.role().word()).append(' ').append(escape(h.name()))
                .append(h.comment().map(c -> ": " + escape(c)).orElse("")).append("</title>");
        // a switch expression over the enum: a new role fails to compile here instead of drawing as something else
        String[] look = switch (h.role()) {
            case ROUTER -> new String[] {"#fef3c7", "#b45309"};
            case HOST -> new String[] {"#ffffff", "#475569"};
            case CONTAINER -> new String[] {"#f1f5f9", "#64748b"};
        };
        rect(sb, b, 4, look[0], look[1], h.role() == Topology.Role.CONTAINER);
        text(sb, b.x() + 8, b.y() + 18, true, INK, h.name());
        List<Badge> badges = h.badges();
        for (int k = 0; k < badges.size(); k++) {
            Badge bd = badges.get(k);
            double y = b.y() + 5 + Layout.LINE * (k + 1);
            sb.append("<g class=\"badge\"><rect x=\"").append(num(b.x() + 4)).append("\" y=\"").append(num(y + 1)).append("\" width=\"")
                    .append(num(8 + Layout.CHAR * bd.text().length())).append("\" height=\"").append(num(Layout.LINE - 2))
                    .append("\" rx=\"7\" fill=\"").append(bd.rank() == 1 ? "#dcfce7" : "#fef9c3").append("\" stroke=\"")
                    .append(bd.rank() == 1 ? "#16a34a" : "#ca8a04").append("\" stroke-width=\"0.8\"/>");
            text(sb, b.x() + 8, y + Layout.LINE - 3, false, bd.rank() == 1 ? "#14532d" : "#713f12", bd.text());
            sb.append("</g>");
        }
        List<String> ifs = Layout.interfaceLines(topology, h);
        double y0 = b.y() + 5 + Layout.LINE * (badges.size() + 1);
        for (int k = 0; k < ifs.size(); k++) {
            sb.append("<text class=\"iface\" x=\"").append(num(b.x() + 8)).append("\" y=\"").append(num(y0 + Layout.LABEL_LINE * (k + 1) - 3))
                    .append("\" font-size=\"10\" fill=\"#475569\">").append(escape(ifs.get(k))).append("</text>");
        }
        sb.append("</g>\n");
    }

    private static void fold(StringBuilder sb, int i, Fold f) {
        sb.append("<g class=\"fold\" id=\"f-").append(i).append("\" data-segment=\"").append(escape(f.segment())).append("\" tabindex=\"0\"><title>")
                .append(escape(f.text() + " on " + f.segment() + ": " + String.join(", ", f.hosts()))).append("</title>");
        rect(sb, f.box(), 4, "#f8fafc", "#64748b", true);
        text(sb, f.box().x() + 8, f.box().y() + 18, false, INK, f.text());
        sb.append("</g>\n");
    }

    private static void rect(StringBuilder sb, Box b, int rx, String fill, String stroke, boolean dashed) {
        sb.append("<rect x=\"").append(num(b.x())).append("\" y=\"").append(num(b.y())).append("\" width=\"").append(num(b.width()))
                .append("\" height=\"").append(num(b.height())).append("\" rx=\"").append(rx).append("\" fill=\"").append(fill)
                .append("\" stroke=\"").append(stroke).append("\" stroke-width=\"1.4\"").append(dashed ? " stroke-dasharray=\"4 2\"" : "")
                .append("/>");
    }

    private static void text(StringBuilder sb, double x, double y, boolean bold, String fill, String s) {
        sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"').append(bold ? " font-weight=\"bold\"" : "")
                .append(" fill=\"").append(fill).append("\">").append(escape(s)).append("</text>");
    }
}
