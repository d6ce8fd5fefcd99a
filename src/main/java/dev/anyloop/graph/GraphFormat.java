package dev.anyloop.graph;

import java.util.Locale;

/** The formats {@code anyloop graph} writes. */
public enum GraphFormat {
    SVG, DOT, MERMAID, JSON;

    public String render(Drawing d) {
        return switch (this) {
            case SVG -> SvgFormat.render(d);
            case DOT -> DotFormat.render(d);
            case MERMAID -> MermaidFormat.render(d);
            case JSON -> JsonFormat.render(d);
        };
    }

    public String word() { return name().toLowerCase(Locale.ROOT); }
}
