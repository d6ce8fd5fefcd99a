package dev.anyloop.net;

import java.util.Optional;

/**
 * An immutable IPv4 or IPv6 address in canonical form.
 *
 * <p>IPv4 lives in the low 32 bits of {@code lo}; IPv6 is {@code hi:lo}. Parsing is strict: no
 * leading zeros in IPv4 octets (Linux's inet_aton would read them as octal), no zone ids.
 */
public final class Ip implements Comparable<Ip> {
    private final Family family;
    private final long hi;
    private final long lo;

    private Ip(Family family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    public static Ip v4(int value) { return new Ip(Family.V4, 0, value & 0xffffffffL); }

    public static Ip v4(long value) { return new Ip(Family.V4, 0, value & 0xffffffffL); }

    public static Ip v6(long hi, long lo) { return new Ip(Family.V6, hi, lo); }

    /** The all-zero address of a family: 0.0.0.0 or ::. */
    public static Ip zero(Family f) { return new Ip(f, 0, 0); }

    /** Parses an IPv4 or IPv6 address; throws with the input and the reason. */
    public static Ip parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("Invalid IP address '': empty");
        if (text.indexOf(':') >= 0) return parseV6(text);
        long v = v4OrMinus(text);
        return v >= 0 ? new Ip(Family.V4, 0, v) : parseV4(text);
    }

    public static Optional<Ip> tryParse(String text) {
        if (text == null || text.isEmpty()) return Optional.empty();
        if (text.indexOf(':') < 0) {
            // snapshot parsers ask this of every word that may be an address: no exception for the ones that are not
            long v = v4OrMinus(text);
            return v >= 0 ? Optional.of(new Ip(Family.V4, 0, v)) : Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A dotted quad's value, or -1 where {@link #parseV4} refuses it (the same rules: four octets of one to three
     * decimal digits, no leading zero, none over 255), in one pass without allocating.
     */
    private static long v4OrMinus(String text) {
        long v = 0;
        int octets = 0, n = text.length(), i = 0;
        while (i <= n) {
            int start = i, o = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') o = o * 10 + (text.charAt(i++) - '0');
            int len = i - start;
            if (len == 0 || len > 3 || (len > 1 && text.charAt(start) == '0') || o > 255) return -1;
            v = (v << 8) | o;
            octets++;
            if (i == n) break;
            if (text.charAt(i) != '.' || octets == 4) return -1;
            i++;
        }
        return octets == 4 ? v : -1;
    }

    private static Ip parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw bad4(text, "expected four dot-separated octets, found " + parts.length);
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty()) throw bad4(text, "empty octet");
            if (p.length() > 3) throw bad4(text, "octet '" + p + "' is too long");
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') throw bad4(text, "'" + p + "' is not a decimal octet");
            }
            if (p.length() > 1 && p.charAt(0) == '0') throw bad4(text, "octet '" + p + "' has a leading zero");
            int o = Integer.parseInt(p);
            if (o > 255) throw bad4(text, "octet " + o + " is over 255");
            v = (v << 8) | o;
        }
        return new Ip(Family.V4, 0, v);
    }

    private static IllegalArgumentException bad4(String text, String why) {
        return new IllegalArgumentException("Invalid IPv4 address '" + text + "': " + why);
    }

    private static IllegalArgumentException bad6(String text, String why) {
        return new IllegalArgumentException("Invalid IPv6 address '" + text + "': " + why);
    }

    private static Ip parseV6(String text) {
        if (text.indexOf('%') >= 0) throw bad6(text, "zone ids are not allowed");
        int dbl = text.indexOf("::");
        if (dbl >= 0 && text.indexOf("::", dbl + 1) >= 0) throw bad6(text, "'::' appears more than once");
        String head = dbl >= 0 ? text.substring(0, dbl) : text;
        String tail = dbl >= 0 ? text.substring(dbl + 2) : "";
        int[] h = groups(text, head, dbl < 0);
        int[] t = groups(text, tail, true);
        int total = h.length + t.length;
        if (dbl < 0 && total != 8) throw bad6(text, "expected 8 groups, found " + total);
        if (dbl >= 0 && total > 7) throw bad6(text, "'::' must stand for at least one group");
        int[] all = new int[8];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(t, 0, all, 8 - t.length, t.length);
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) hi = (hi << 16) | all[i];
        for (int i = 4; i < 8; i++) lo = (lo << 16) | all[i];
        return new Ip(Family.V6, hi, lo);
    }

    /** Parses colon-separated hex groups; the last may be dotted IPv4 when {@code v4Allowed}. */
    private static int[] groups(String text, String part, boolean v4Allowed) {
        if (part.isEmpty()) return new int[0];
        String[] gs = part.split(":", -1);
        int n = gs.length;
        boolean v4 = v4Allowed && gs[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4 ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String g = gs[i];
            if (v4 && i == n - 1) {
                Ip x;
                try {
                    x = parseV4(g);
                } catch (IllegalArgumentException e) {
                    throw bad6(text, "embedded " + e.getMessage().substring(8));
                }
                out[i] = (int) (x.lo >>> 16);
                out[i + 1] = (int) (x.lo & 0xffff);
                continue;
            }
            if (g.isEmpty()) throw bad6(text, "empty group");
            if (g.length() > 4) throw bad6(text, "group '" + g + "' has more than 4 hex digits");
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) throw bad6(text, "'" + g + "' is not a hex group");
                v = (v << 4) | d;
            }
            out[i] = v;
        }
        return out;
    }

    public Family family() { return family; }

    public boolean isV4() { return family == Family.V4; }

    public long hi() { return hi; }

    public long lo() { return lo; }

    /** Bit {@code i} counted from the most significant (0) to the least significant. */
    public int bit(int i) {
        if (family == Family.V4) return (int) ((lo >>> (31 - i)) & 1);
        return i < 64 ? (int) ((hi >>> (63 - i)) & 1) : (int) ((lo >>> (127 - i)) & 1);
    }

    /** This address with every bit after the first {@code length} cleared. */
    public Ip masked(int length) {
        if (family == Family.V4) {
            long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
            return new Ip(family, 0, lo & mask);
        }
        long mh = length >= 64 ? -1L : (length == 0 ? 0 : -1L << (64 - length));
        long ml = length <= 64 ? 0 : (length == 128 ? -1L : -1L << (128 - length));
        return new Ip(family, hi & mh, lo & ml);
    }

    /** The address plus {@code n}, wrapping within the family. */
    public Ip plus(long n) {
        if (family == Family.V4) return v4(lo + n);
        long nlo = lo + n;
        long carry = Long.compareUnsigned(nlo, lo) < 0 ? 1 : 0;
        return v6(hi + carry, nlo);
    }

    /** 127.0.0.0/8 or ::1. */
    public boolean isLoopback() {
        return family == Family.V4 ? (lo >>> 24) == 127 : hi == 0 && lo == 1;
    }

    public boolean isZero() { return hi == 0 && lo == 0; }

    /** IPv6 link-local fe80::/10. */
    public boolean isLinkLocal() {
        return family == Family.V6 ? (hi >>> 54) == 0x3fa : (lo >>> 16) == 0xa9fe;
    }

    public boolean isMulticast() {
        return family == Family.V4 ? (lo >>> 28) == 0xe : (hi >>> 56) == 0xff;
    }

    @Override
    public int compareTo(Ip o) {
        int c = family.compareTo(o.family);
        if (c != 0) return c;
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ip && ((Ip) o).family == family && ((Ip) o).hi == hi && ((Ip) o).lo == lo;
    }

    @Override
    public int hashCode() {
        return (int) (hi ^ (hi >>> 32) ^ lo * 31 ^ (lo >>> 32)) + family.ordinal();
    }

    @Override
    public String toString() {
        if (family == Family.V4) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
        for (int i = 0; i < 4; i++) g[4 + i] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        if (hi == 0 && (lo >>> 32) == 0xffffL) return "::ffff:" + v4(lo);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
