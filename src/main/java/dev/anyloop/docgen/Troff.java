package dev.anyloop.docgen;

/**
 * Escaping for man(7) source: the one place that knows troff's special characters. Text is written one paragraph a
 * line, so only a leading '.' or '\'' (a request) and the backslash need care; non-ASCII characters become groff glyph
 * names (\[u2014]) so the page reads the same under any locale and groff prints no warning.
 */
final class Troff {
    private Troff() { }

    /** Prose: backslashes, leading control characters, non-ASCII; '-' stays a hyphen. */
    static String text(String s) {
        return lineStart(glyphs(s.replace("\\", "\\e"), false));
    }

    /** Literal text (option names, code): as {@link #text}, and '-' is a minus sign so that it copies as typed. */
    static String literal(String s) {
        return lineStart(glyphs(s.replace("\\", "\\e"), true));
    }

    /** A fragment of prose inside a line (the line's start is guarded where the line is assembled). */
    static String inlineText(String s) { return glyphs(s.replace("\\", "\\e"), false); }

    /** A bold literal fragment inside a line. */
    static String inlineBold(String s) { return "\\fB" + glyphs(s.replace("\\", "\\e"), true) + "\\fR"; }

    /** A bold literal inline: {@code \fB--from\fR}. */
    static String bold(String s) { return "\\fB" + literal(s) + "\\fR"; }

    /** An italic inline, for a parameter: {@code \fIHOST\fR}. */
    static String italic(String s) { return "\\fI" + literal(s) + "\\fR"; }

    /** A macro argument in double quotes ({@code .TH} fields): quotes inside become \(dq. */
    static String quoted(String s) { return "\"" + glyphs(s.replace("\\", "\\e"), true).replace("\"", "\\(dq") + "\""; }

    private static String lineStart(String s) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (sb.length() > 0) sb.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) sb.append("\\&");
            sb.append(line);
        }
        return sb.toString();
    }

    private static String glyphs(String s, boolean minus) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '-' && minus) {
                sb.append("\\-");
            } else if (c == '\t') {
                sb.append("        ");
            } else if (c < 0x80) {
                sb.appendCodePoint(c);
            } else {
                sb.append(String.format("\\[u%04X]", c));
            }
        });
        return sb.toString();
    }
}
