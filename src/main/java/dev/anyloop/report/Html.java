package dev.anyloop.report;

import dev.anyloop.graph.Markup;

/**
 * A small HTML writer: every text and attribute value goes through {@link Markup#escape}, so names and comments
 * from the network cannot become markup. {@link #trusted} is only for anyloop's own SVG, which escapes itself.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(1 << 16);

    /** {@code <tag a="v" ...>}, attributes as name, value pairs. */
    Html open(String tag, String... attrs) {
        sb.append('<').append(tag);
        for (int i = 0; i + 1 < attrs.length; i += 2) {
            sb.append(' ').append(attrs[i]).append("=\"").append(Markup.escape(attrs[i + 1])).append('"');
        }
        sb.append('>');
        return this;
    }

    Html close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    Html text(String s) {
        sb.append(Markup.escape(s));
        return this;
    }

    /** {@code <tag attrs>text</tag>}. */
    Html el(String tag, String text, String... attrs) { return open(tag, attrs).text(text).close(tag); }

    Html nl() {
        sb.append('\n');
        return this;
    }

    /** Markup anyloop generated and escaped itself (the SVG, the CSP meta tag, the inline CSS and script). */
    Html trusted(String markup) {
        sb.append(markup);
        return this;
    }

    @Override
    public String toString() { return sb.toString(); }
}
