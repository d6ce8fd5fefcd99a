package dev.anyloop.state;

import java.util.Locale;
import java.util.Optional;

/**
 * nft's standard priority names for the ip, ip6 and inet families and their numbers
 * (nft(8) "PRIORITY"); a base chain at "filter + 10" runs after one at "filter".
 */
public enum Priority {
    RAW(-300), MANGLE(-150), DSTNAT(-100), FILTER(0), SECURITY(50), SRCNAT(100);

    /** The priority conntrack registers at: raw chains run before it, mangle after. */
    public static final int CONNTRACK = -200;

    private final int value;

    Priority(int value) { this.value = value; }

    public int value() { return value; }

    public String nft() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Priority> ofNft(String word) {
        for (Priority p : values()) if (p.nft().equals(word)) return Optional.of(p);
        return Optional.empty();
    }

    /** "dstnat", "filter + 10", "-150" as a number. */
    public static Optional<Integer> parse(String text) {
        String t = text.strip();
        try {
            return Optional.of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            // a standard name, optionally plus or minus a number
        }
        String[] w = t.split("\\s+");
        Optional<Priority> base = ofNft(w[0]);
        if (base.isEmpty()) return Optional.empty();
        if (w.length == 1) return Optional.of(base.get().value);
        if (w.length != 3 || !(w[1].equals("+") || w[1].equals("-"))) return Optional.empty();
        try {
            int n = Integer.parseInt(w[2]);
            return Optional.of(base.get().value + (w[1].equals("+") ? n : -n));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
