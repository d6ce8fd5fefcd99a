package dev.anyloop.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one iptables-save line into words the way iptables-restore does: blanks separate, double quotes
 * group ({@code --comment "a b"}), and inside quotes a backslash escapes the next character
 * ({@code "telnet is \"old\""}).
 */
final class IptablesTokenizer {
    private IptablesTokenizer() { }

    /** One word and whether any of it was quoted (a quoted "-s" is text, never an option). */
    record Token(String text, boolean quoted) {
        boolean is(String s) { return !quoted && text.equals(s); }

        boolean isOption() { return !quoted && text.startsWith("-") && text.length() > 1; }

        /** The word as iptables-save would print it again. */
        String raw() {
            if (!quoted && !text.isEmpty() && text.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\t')) return text;
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** Splits {@code line}; a quote left open is an error with the column where it opened. */
    static List<Token> split(String file, int lineNo, String line) throws SnapshotException {
        List<Token> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false, quoted = false, inQuote = false;
        int quoteCol = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuote) {
                if (c == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    inQuote = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                inQuote = true;
                inWord = true;
                quoted = true;
                quoteCol = i + 1;
            } else if (c == ' ' || c == '\t') {
                if (inWord) out.add(new Token(cur.toString(), quoted));
                cur.setLength(0);
                inWord = false;
                quoted = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inQuote) {
            throw SnapshotException.atLine(file, lineNo, "expected a closing '\"' for the quote opened at column " + quoteCol
                    + ", found the end of the line");
        }
        if (inWord) out.add(new Token(cur.toString(), quoted));
        return out;
    }

    static String join(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(t.raw());
        }
        return sb.toString();
    }
}
