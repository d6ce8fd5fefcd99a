package dev.anyloop.graph;

import dev.anyloop.graph.Drawing.Box;
import dev.anyloop.graph.Drawing.Fold;
import dev.anyloop.graph.Drawing.Line;
import dev.anyloop.graph.Drawing.Point;
import dev.anyloop.graph.Topology.Attachment;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.RoutedPath;
import dev.anyloop.graph.Topology.SegmentNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Lays a {@link Topology} out with the Eclipse Layout Kernel's layered algorithm (Sugiyama style: layers top
 * to bottom, crossings minimised, orthogonal edges). Hosts and segments are nodes; an attachment is an edge
 * pointing away from the most connected router, so the picture reads as a tree from the core outwards;
 * routed paths are dashed edges from a router to the host its route goes through. No ELK type leaves this class.
 */
public final class Layout {
    /** The width of one character of the monospace font the SVG uses at {@link #FONT} px (DejaVu Sans Mono: 0.602 em). */
    static final double CHAR = 7.3;
    static final double FONT = 12;
    static final double LINE = 16;
    static final double LABEL_CHAR = 6.1;
    static final double LABEL_LINE = 13;

    private Layout() { }

    /** Every host drawn. */
    public static Drawing of(Topology t) { return of(t, Set.of()); }

    /** As {@link #of(Topology)}, with {@code folded} hosts (leaves of one segment each) drawn as one "+N hosts" box per segment. */
    public static Drawing of(Topology t, Set<String> folded) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 14.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));
        // several components (a host with no links) are packed side by side
        root.setProperty(CoreOptions.SEPARATE_CONNECTED_COMPONENTS, true);

        Map<String, ElkNode> hosts = new LinkedHashMap<>();
        for (Host h : t.hosts()) {
            if (folded.contains(h.name())) continue;
            hosts.put(h.name(), node(root, hostLines(h), interfaceLines(t, h)));
        }
        Map<String, ElkNode> segments = new LinkedHashMap<>();
        for (SegmentNode s : t.segments()) {
            segments.put(s.name(), node(root, List.of(s.name()), List.of(String.join(" ", s.prefixes().stream().map(Object::toString).toList()))));
        }
        Map<String, List<String>> folds = new LinkedHashMap<>();
        for (Attachment a : t.attachments()) {
            if (folded.contains(a.host())) folds.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(a.host());
        }
        Map<String, ElkNode> foldNodes = new LinkedHashMap<>();
        folds.forEach((seg, hs) -> foldNodes.put(seg, node(root, List.of("+" + hs.size() + " hosts"), List.of())));

        Map<ElkNode, Integer> order = discovery(t, hosts, segments);
        List<Optional<ElkEdge>> attachEdges = new ArrayList<>();
        for (Attachment a : t.attachments()) {
            ElkNode h = hosts.get(a.host());
            ElkNode s = segments.get(a.segment());
            if (h == null || s == null) {
                attachEdges.add(Optional.empty());
                continue;
            }
            boolean down = order.getOrDefault(h, 0) <= order.getOrDefault(s, 0);
            attachEdges.add(Optional.of(down ? ElkGraphUtil.createSimpleEdge(h, s) : ElkGraphUtil.createSimpleEdge(s, h)));
        }
        Map<String, ElkEdge> foldEdges = new LinkedHashMap<>();
        foldNodes.forEach((seg, n) -> foldEdges.put(seg, ElkGraphUtil.createSimpleEdge(segments.get(seg), n)));
        // one dashed edge per router and next host, labelled with every service address it routes that way
        Map<List<String>, List<RoutedPath>> byPair = new LinkedHashMap<>();
        for (RoutedPath p : t.paths()) {
            if (hosts.containsKey(p.router()) && hosts.containsKey(p.via())) {
                byPair.computeIfAbsent(List.of(p.router(), p.via()), k -> new ArrayList<>()).add(p);
            }
        }
        List<ElkEdge> pathEdges = new ArrayList<>();
        List<Drawing.Route> routes = new ArrayList<>();
        byPair.forEach((pair, ps) -> {
            ElkEdge e = ElkGraphUtil.createSimpleEdge(hosts.get(pair.get(0)), hosts.get(pair.get(1)));
            label(e, ps.stream().map(RoutedPath::text).toList());
            pathEdges.add(e);
            routes.add(new Drawing.Route(pair.get(0), pair.get(1), ps, null));
        });

        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        List<Optional<Box>> hostBoxes = t.hosts().stream().map(h -> Optional.ofNullable(hosts.get(h.name())).map(Layout::box)).toList();
        List<Box> segBoxes = t.segments().stream().map(s -> box(segments.get(s.name()))).toList();
        List<Optional<Line>> attachLines = attachEdges.stream().map(o -> o.map(Layout::line)).toList();
        List<Drawing.Route> drawnRoutes = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Drawing.Route r = routes.get(i);
            drawnRoutes.add(new Drawing.Route(r.router(), r.via(), r.paths(), line(pathEdges.get(i))));
        }
        List<Fold> foldList = new ArrayList<>();
        folds.forEach((seg, hs) -> foldList.add(new Fold(seg, hs, box(foldNodes.get(seg)), line(foldEdges.get(seg)))));
        return new Drawing(t, root.getWidth(), root.getHeight(), hostBoxes, segBoxes, attachLines, drawnRoutes, foldList);
    }

    /**
     * The leaf hosts (one attachment, not a router, no service address) of each segment that has more than
     * {@code max} of them: what {@link #of(Topology, Set)} can fold so that a segment of 99 desktops is one box.
     */
    public static Set<String> leaves(Topology t, int max) {
        Map<String, Integer> attachments = new HashMap<>();
        t.attachments().forEach(a -> attachments.merge(a.host(), 1, Integer::sum));
        Map<String, List<String>> leaves = new LinkedHashMap<>();
        for (Attachment a : t.attachments()) {
            Host host = t.host(a.host()).orElseThrow();
            if (attachments.get(a.host()) == 1 && host.role() != Topology.Role.ROUTER && host.badges().isEmpty()) {
                leaves.computeIfAbsent(a.segment(), k -> new ArrayList<>()).add(a.host());
            }
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        leaves.values().stream().filter(l -> l.size() > max).forEach(out::addAll);
        return out;
    }

    /** A host's box: its name, then its badges (big lines), then its interfaces (small lines). */
    static List<String> hostLines(Host h) {
        List<String> lines = new ArrayList<>(List.of(h.name()));
        h.badges().forEach(b -> lines.add(b.text()));
        return lines;
    }

    /** "eth1 192.168.1.1/24" for each interface on a segment: the small lines of a host's box. */
    static List<String> interfaceLines(Topology t, Host h) {
        return t.attachmentsOf(h.name()).stream().map(a -> a.dev() + (a.addresses().isEmpty() ? "" : " "
                + String.join(" ", a.addresses().stream().map(Object::toString).toList()))).toList();
    }

    private static ElkNode node(ElkNode root, List<String> big, List<String> small) {
        ElkNode n = ElkGraphUtil.createNode(root);
        double w = Math.max(big.stream().mapToDouble(s -> CHAR * s.length() + (big.indexOf(s) == 0 ? 0 : 8)).max().orElse(0),
                small.stream().mapToDouble(s -> LABEL_CHAR * s.length()).max().orElse(0));
        n.setWidth(Math.max(48, 16 + w));
        n.setHeight(10 + LINE * big.size() + LABEL_LINE * small.size());
        return n;
    }

    private static void label(ElkEdge e, List<String> lines) {
        ElkLabel l = ElkGraphUtil.createLabel(String.join("\n", lines), e);
        l.setWidth(4 + LABEL_CHAR * lines.stream().mapToInt(String::length).max().orElse(1));
        l.setHeight(LABEL_LINE * lines.size());
    }

    /**
     * Breadth-first discovery order over hosts and segments, from the router with the most attachments (then
     * the host with the most), so that attachment edges point away from the core.
     */
    private static Map<ElkNode, Integer> discovery(Topology t, Map<String, ElkNode> hosts, Map<String, ElkNode> segments) {
        Map<ElkNode, List<ElkNode>> adj = new HashMap<>();
        Map<String, Integer> degree = new HashMap<>();
        for (Attachment a : t.attachments()) {
            ElkNode h = hosts.get(a.host());
            ElkNode s = segments.get(a.segment());
            if (h == null || s == null) continue;
            adj.computeIfAbsent(h, k -> new ArrayList<>()).add(s);
            adj.computeIfAbsent(s, k -> new ArrayList<>()).add(h);
            degree.merge(a.host(), 1, Integer::sum);
        }
        List<Host> roots = new ArrayList<>(t.hosts().stream().filter(h -> hosts.containsKey(h.name())).toList());
        roots.sort(Comparator.comparing((Host h) -> h.role() != Topology.Role.ROUTER)
                .thenComparing(h -> -degree.getOrDefault(h.name(), 0)));
        Map<ElkNode, Integer> order = new HashMap<>();
        List<ElkNode> starts = new ArrayList<>(roots.stream().map(h -> hosts.get(h.name())).toList());
        starts.addAll(segments.values());
        for (ElkNode start : starts) {
            if (order.containsKey(start)) continue;
            Deque<ElkNode> queue = new ArrayDeque<>(List.of(start));
            order.put(start, order.size());
            while (!queue.isEmpty()) {
                for (ElkNode next : adj.getOrDefault(queue.poll(), List.of())) {
                    if (order.putIfAbsent(next, order.size()) == null) queue.add(next);
                }
            }
        }
        return order;
    }

    private static Box box(ElkNode n) { return new Box(n.getX(), n.getY(), n.getWidth(), n.getHeight()); }

    private static Line line(ElkEdge e) {
        List<Point> pts = new ArrayList<>();
        for (ElkEdgeSection s : e.getSections()) {
            pts.add(new Point(s.getStartX(), s.getStartY()));
            for (ElkBendPoint b : s.getBendPoints()) pts.add(new Point(b.getX(), b.getY()));
            pts.add(new Point(s.getEndX(), s.getEndY()));
        }
        Optional<Box> label = e.getLabels().stream().findFirst().map(l -> new Box(l.getX(), l.getY(), l.getWidth(), l.getHeight()));
        return new Line(pts, label);
    }
}
