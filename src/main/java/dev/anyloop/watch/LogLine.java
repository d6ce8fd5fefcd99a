package dev.anyloop.watch;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** One event as one line: logfmt ({@code ts=... level=warn event=withdrawn service=dns ... reason="..."}) or JSON. */
public enum LogLine {
    LOGFMT, JSON;

    public String render(Instant ts, Event e) {
        StringBuilder sb = new StringBuilder();
        if (this == JSON) {
            sb.append("{\"ts\":\"").append(ts).append("\",\"level\":\"").append(level(e)).append("\",\"event\":");
            json(sb, e.event());
            for (Map.Entry<String, String> f : e.fields().entrySet()) {
                sb.append(',');
                json(sb, f.getKey());
                sb.append(':');
                json(sb, f.getValue());
            }
            return sb.append('}').toString();
        }
        sb.append("ts=").append(ts).append(" level=").append(level(e)).append(" event=").append(logfmt(e.event()));
        for (Map.Entry<String, String> f : e.fields().entrySet()) sb.append(' ').append(f.getKey()).append('=').append(logfmt(f.getValue()));
        return sb.toString();
    }

    private static String level(Event e) { return e.level().name().toLowerCase(Locale.ROOT); }

    /** A bare value when it holds no blank, quote or '='; otherwise quoted with \" and \\ escaped. */
    static String logfmt(String v) {
        boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\');
        if (plain) return v;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c < ' ') sb.append(' ');
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    static void json(StringBuilder sb, String v) {
        sb.append('"');
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }
}
