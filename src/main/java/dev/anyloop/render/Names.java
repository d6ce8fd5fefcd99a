package dev.anyloop.render;

import java.util.regex.Pattern;

/**
 * Checks on names and words a renderer writes unquoted into a line-based file, so that a strange
 * name from a snapshot can never split a line or add an argument.
 */
final class Names {
    private Names() { }

    /** Linux interface names (at most 15 bytes), with iptables' trailing {@code +} wildcard allowed. */
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}\\+?|\\+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:/-]+");

    static String iface(String name) {
        if (!IFACE.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid interface name '" + name + "': not a Linux interface name");
        }
        return name;
    }

    /** A bare word: a chain name, a protocol, a table. */
    static String token(String what, String s) {
        if (!TOKEN.matcher(s).matches()) throw new IllegalArgumentException("Invalid " + what + " '" + s + "': not a plain word");
        return s;
    }

    /** Free text (a comment, a log prefix) must fit on one line. */
    static String oneLine(String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("Invalid " + what + " '" + s.replaceAll("\\p{Cntrl}", "?")
                        + "': control characters cannot be written on one line");
            }
        }
        return s;
    }
}
