package dev.anyloop.intent;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/** Name rules for hosts, segments, services and interfaces, and "did you mean" suggestions. */
public final class Names {
    private Names() { }

    /** Hosts and segments; 31 characters keeps derived names (chains, netns, files) within Linux limits. */
    static final int MAX_HOST = 31;
    /** Services become iptables chains "AL-PORTS-&lt;service&gt;"; xtables chain names hold at most 28 characters. */
    static final int MAX_SERVICE = 19;
    /** IFNAMSIZ is 16 bytes including the terminating NUL. */
    static final int MAX_IFNAME = 15;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern SAFE_IFNAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int MAX_DISTANCE = 2;

    /** Why {@code name} is not a valid host/segment/service/container name, if it is not. */
    static Optional<String> checkName(String kind, String name, int max) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of(kind + " name '" + name + "' is invalid: use a lower-case letter, then letters, digits or '-'");
        }
        if (name.length() > max) {
            return Optional.of(kind + " name '" + name + "' is " + name.length() + " characters long, over the limit of " + max);
        }
        return Optional.empty();
    }

    /**
     * Why Linux (or anyloop) would refuse {@code name} as an interface name: the kernel's dev_valid_name()
     * refuses empty names, names of IFNAMSIZ bytes or more, ".", "..", and any '/', ':' or whitespace;
     * anyloop also keeps to [A-Za-z0-9_.-] so the name is safe in every rendered file.
     */
    static Optional<String> checkInterface(String name) {
        String q = "interface name '" + name + "' ";
        if (name.isEmpty()) return Optional.of("interface name is empty");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IFNAME) {
            return Optional.of(q + "is " + bytes + " bytes long, over Linux's limit of " + MAX_IFNAME);
        }
        if (name.equals(".") || name.equals("..")) return Optional.of(q + "is refused by Linux");
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (c == '/') return Optional.of(q + "contains '/', which Linux refuses");
            if (c == ':') return Optional.of(q + "contains ':', which Linux refuses (it marks old-style alias labels)");
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of(q + "contains whitespace or a control character, which Linux refuses");
            }
        }
        if (!SAFE_IFNAME.matcher(name).matches()) {
            String bad = name.replaceAll("[A-Za-z0-9_.-]", "");
            return Optional.of(q + "contains '" + bad.codePoints().limit(1).collect(StringBuilder::new,
                    StringBuilder::appendCodePoint, StringBuilder::append)
                    + "': anyloop accepts only letters, digits, '_', '.' and '-'");
        }
        return Optional.empty();
    }

    /** The closest candidate within edit distance 2, if any; ties go to the first in iteration order. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String c : candidates) {
            if (Math.abs(word.length() - c.length()) > MAX_DISTANCE) continue; // cannot be close; skip the O(n*m) table
            int d = distance(word, c);
            if (d < bestDistance && d < Math.max(word.length(), c.length())) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " (did you mean 'x'?)" or nothing. */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** Optimal string alignment distance: Levenshtein plus swaps of two adjacent characters ("adrdess"). */
    static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }
}
