package dev.anyloop.graph;

/**
 * Escaping for the markup anyloop writes (SVG, HTML): every name and comment goes through here, so user
 * text always renders as text. One function serves text and quoted attribute values.
 */
public final class Markup {
    private Markup() { }

    /** {@code s} with &amp; &lt; &gt; &quot; &#39; escaped, and control characters other than tab and newline dropped. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default:
                    // XML 1.0 has no way to write most C0 controls, and HTML parsers treat them as errors
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') sb.append('\uFFFD');
                    else sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A coordinate: whole numbers without ".0", others with one decimal, so outputs stay short and stable. */
    public static String num(double v) { return rounded(v).toString(); }

    /** {@code v} to one decimal: a Long when whole, else a Double. */
    public static Number rounded(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? (Number) (tenths / 10) : (Number) (tenths / 10.0);
    }
}
