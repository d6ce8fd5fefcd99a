package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code ss -Hlntu} (optionally with {@code -p}) into listeners. What ss prints for the local address:
 * <ul>
 *   <li>{@code 0.0.0.0:22} the IPv4 wildcard; {@code 10.53.0.1:53} one address;</li>
 *   <li>{@code *:80} the IPv6 wildcard of a dual-stack socket (IPV6_V6ONLY off, so it takes IPv4 too) and
 *       {@code [::]:81} the IPv6 wildcard with IPV6_V6ONLY on: ss prints "*" exactly when the socket is not
 *       v6only (it reads INET_DIAG_SKV6ONLY);</li>
 *   <li>{@code ADDR%DEV:PORT} a socket bound to a device (SO_BINDTODEVICE), e.g. {@code *%va0:82};</li>
 *   <li>{@code [::ffff:10.53.0.1]:445} an IPv6 socket bound to a v4-mapped address, which only ever receives
 *       IPv4 packets to 10.53.0.1: read as that IPv4 address.</li>
 * </ul>
 */
public final class SsParser {
    private static final Pattern USERS = Pattern.compile("users:\\(\\(\"((?:[^\"\\\\]|\\\\.)*)\"");

    private SsParser() { }

    public static List<Listener> parse(String file, String text) throws SnapshotException {
        List<Listener> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            out.add(listener(file, i + 1, line));
        }
        return out;
    }

    private static Listener listener(String file, int n, String line) throws SnapshotException {
        String[] w = line.split("\\s+");
        int i = 0;
        Proto proto;
        // ss prints the Netid column only when more than one socket kind is asked for (-t and -u together)
        if (w[0].equals("tcp") || w[0].equals("udp")) {
            proto = Proto.parse(w[0]);
            i = 1;
        } else if (w[0].equals("LISTEN")) {
            proto = Proto.TCP;
        } else if (w[0].equals("UNCONN")) {
            proto = Proto.UDP;
        } else {
            throw SnapshotException.atLine(file, n, "expected 'tcp' or 'udp' (or the state LISTEN/UNCONN), found '" + w[0] + "'");
        }
        if (w.length < i + 5) {
            throw SnapshotException.atLine(file, n, "expected NETID STATE RECV-Q SEND-Q LOCAL PEER, found '" + line + "'");
        }
        String state = w[i];
        if (!state.equals("LISTEN") && !state.equals("UNCONN")) {
            throw SnapshotException.atLine(file, n, "expected state LISTEN or UNCONN (ss -l), found '" + state + "'");
        }
        if (!w[i + 1].matches("\\d+") || !w[i + 2].matches("\\d+")) {
            throw SnapshotException.atLine(file, n, "expected numeric Recv-Q and Send-Q, found '" + w[i + 1] + " " + w[i + 2] + "'");
        }
        String local = w[i + 3];
        int colon = local.lastIndexOf(':');
        if (colon < 0) throw SnapshotException.atLine(file, n, "expected ADDR:PORT, found '" + local + "'");
        String portText = local.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
            if (port < 0 || port > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw SnapshotException.atLine(file, n, "expected a port number 0-65535 after ':' in '" + local + "', found '" + portText + "'");
        }
        String addr = local.substring(0, colon);
        Optional<String> dev = Optional.empty();
        int pct = addr.lastIndexOf('%');
        if (pct >= 0 && addr.indexOf(']', pct) < 0) {
            dev = Optional.of(addr.substring(pct + 1));
            addr = addr.substring(0, pct);
        }
        boolean v6only = false;
        Ip ip;
        if (addr.equals("*")) {
            ip = Ip.zero(Family.V6);
        } else {
            boolean bracketed = addr.startsWith("[") && addr.endsWith("]");
            String bare = bracketed ? addr.substring(1, addr.length() - 1) : addr;
            Optional<Ip> parsed = Ip.tryParse(bare);
            if (parsed.isEmpty() || (parsed.get().family() == Family.V6) != bracketed) {
                throw SnapshotException.atLine(file, n, "expected '*', an IPv4 address or '[IPv6]' before ':" + portText
                        + "', found '" + addr + "'");
            }
            ip = parsed.get();
            if (ip.family() == Family.V6 && ip.isZero()) v6only = true;
            if (ip.family() == Family.V6 && ip.hi() == 0 && (ip.lo() >>> 32) == 0xffffL) ip = Ip.v4(ip.lo());
        }
        String process = "";
        Matcher m = USERS.matcher(line);
        if (m.find()) process = m.group(1);
        return new Listener(proto, ip, port, v6only, process, dev);
    }
}
