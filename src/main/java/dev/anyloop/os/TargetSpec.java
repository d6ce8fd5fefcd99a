package dev.anyloop.os;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How anyloop reaches one host, as written in an inventory or after {@code --target HOST=}: {@code local}
 * (this machine), {@code netns:NAME} (a network namespace on this machine) or {@code ssh://user@host[:port]}
 * (a host reached over SSH; the user defaults to root, the port to 22). {@link #parse} rejects anything else
 * with the input and the reason.
 */
public record TargetSpec(Kind kind, String namespace, String user, String host, int port) {
    /** The three ways of reaching a host. */
    public enum Kind { LOCAL, NETNS, SSH }

    /** A user name as useradd accepts it (and no shell metacharacter). */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}\\$?");
    /** A DNS name (RFC 1123 labels) or an IPv4 address. */
    private static final Pattern NAME = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern SSH = Pattern.compile("ssh://(?:([^@/]*)@)?(\\[[^\\]/]*\\]|[^:/\\[\\]@]*)(?::([^/]*))?/?");
    private static final String FORMS = "local, netns:NAME or ssh://user@host[:port]";

    public TargetSpec {
        if (kind == null) throw new IllegalArgumentException("no kind");
    }

    public static TargetSpec local() { return new TargetSpec(Kind.LOCAL, "", "", "", 0); }

    public static TargetSpec netns(String ns) { return new TargetSpec(Kind.NETNS, Netns.check(ns), "", "", 0); }

    public static TargetSpec ssh(String user, String host, int port) { return new TargetSpec(Kind.SSH, "", user, host, port); }

    /** Reads {@code local}, {@code netns:NAME} or {@code ssh://user@host[:port]}; throws with the input and the reason. */
    public static TargetSpec parse(String text) {
        String t = text.strip();
        if (t.equals("local")) return local();
        if (t.startsWith("netns:")) {
            String ns = t.substring("netns:".length());
            try {
                return netns(ns);
            } catch (IllegalArgumentException e) {
                throw bad(text, "the namespace name '" + ns + "' is not one 'ip netns' accepts ([A-Za-z0-9_.-], 1-200 characters)");
            }
        }
        int colon = t.indexOf(':');
        if (colon < 0) throw bad(text, "expected " + FORMS);
        String scheme = t.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("ssh")) throw bad(text, "unknown scheme '" + t.substring(0, colon) + "' (expected " + FORMS + ")");
        Matcher m = SSH.matcher("ssh" + t.substring(colon));
        if (!m.matches()) throw bad(text, "expected ssh://user@host[:port]");
        String user = m.group(1) == null ? "root" : m.group(1);
        if (!USER.matcher(user).matches()) throw bad(text, "'" + user + "' is not a user name");
        String host = m.group(2);
        if (host.isEmpty()) throw bad(text, "no host after ssh://");
        if (host.startsWith("[")) {
            String v6 = host.substring(1, host.length() - 1);
            Optional<Ip> ip = Ip.tryParse(v6);
            if (ip.isEmpty()) throw bad(text, "'" + v6 + "' in brackets is not an IPv6 address");
            if (ip.get().family() != Family.V6) throw bad(text, "only an IPv6 address goes in brackets");
            host = v6;
        } else if (!NAME.matcher(host).matches()) {
            throw bad(text, "'" + host + "' is not a host name or an IPv4 address (an IPv6 address goes in brackets: ssh://root@[fd00::1])");
        }
        int port = 22;
        if (m.group(3) != null) {
            if (m.group(3).indexOf(':') >= 0) throw bad(text, "an IPv6 address goes in brackets: ssh://user@[ADDRESS]:port");
            try {
                port = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                throw bad(text, "port '" + m.group(3) + "' is not a number");
            }
            if (port < 1 || port > 65535) throw bad(text, "port " + port + " is not in 1-65535");
        }
        return ssh(user, host, port);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("Invalid target '" + text + "': " + why);
    }

    /** The SSH host as known_hosts names it: {@code host}, or {@code [host]:port} off port 22. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override
    public String toString() {
        switch (kind) {
            case LOCAL: return "local";
            case NETNS: return "netns:" + namespace;
            case SSH: return "ssh://" + user + "@" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port);
            default: throw new IllegalStateException(kind.name());
        }
    }
}
