package dev.anyloop.graph;

import java.util.List;
import java.util.Optional;

/**
 * A {@link Topology} with coordinates (pixels, origin top left), as {@link Layout} computed them: one box per
 * host and segment (same order as the topology's lists, {@code Optional.empty()} for a host folded away),
 * one polyline per attachment and per router and next host that routes service addresses, and a box per fold ("+N hosts" standing for a segment's
 * folded leaf hosts).
 */
public record Drawing(Topology topology, double width, double height, List<Optional<Box>> hosts, List<Box> segments,
                      List<Optional<Line>> attachments, List<Route> routes, List<Fold> folds) {
    public Drawing {
        hosts = List.copyOf(hosts);
        segments = List.copyOf(segments);
        attachments = List.copyOf(attachments);
        routes = List.copyOf(routes);
        folds = List.copyOf(folds);
    }

    /** A rectangle. */
    public record Box(double x, double y, double width, double height) { }

    /** A point. */
    public record Point(double x, double y) { }

    /** An edge as ELK routed it: its points from source to target, and where its label goes. */
    public record Line(List<Point> points, Optional<Box> label) {
        public Line { points = List.copyOf(points); }
    }

    /** The routed paths from {@code router} through {@code via}, drawn as one dashed edge labelled with each of them. */
    public record Route(String router, String via, List<Topology.RoutedPath> paths, Line line) {
        public Route { paths = List.copyOf(paths); }

        /** The label's lines, one per service address routed this way. */
        public List<String> lines() { return paths.stream().map(Topology.RoutedPath::text).toList(); }

        /** The best rank among them: 1 when some address takes this way first. */
        public int rank() { return paths.stream().mapToInt(Topology.RoutedPath::rank).min().orElse(1); }
    }

    /** {@code hosts} leaf hosts of {@code segment}, drawn as one box with the edge that joins it. */
    public record Fold(String segment, List<String> hosts, Box box, Line line) {
        public Fold { hosts = List.copyOf(hosts); }

        public String text() { return "+" + hosts.size() + " hosts"; }
    }
}
