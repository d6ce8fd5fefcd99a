package dev.anyloop.lab;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Listener;
import java.util.List;
import java.util.Optional;

/** Reads {@code ss -Hlntu} lines and says whether a listener is really there. */
final class Sockets {
    private Sockets() { }

    /** One listening socket as ss shows it; {@code address} is empty for a wildcard ("*", 0.0.0.0, [::]). */
    record Socket(Proto proto, Optional<Ip> address, int port) { }

    /** "udp UNCONN 0 0 10.53.0.1%lo:53 0.0.0.0:*" -> udp 10.53.0.1:53. */
    static Optional<Socket> parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5) return Optional.empty();
        Proto p;
        if (f[0].equals("tcp")) p = Proto.TCP;
        else if (f[0].equals("udp")) p = Proto.UDP;
        else return Optional.empty();
        String local = f[4];
        int colon = local.lastIndexOf(':');
        if (colon < 0) return Optional.empty();
        int port;
        try {
            port = Integer.parseInt(local.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String a = local.substring(0, colon);
        int pct = a.indexOf('%');
        if (pct >= 0) a = a.substring(0, pct);
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        if (a.equals("*")) return Optional.of(new Socket(p, Optional.empty(), port));
        Optional<Ip> ip = Ip.tryParse(a);
        if (ip.isEmpty()) return Optional.empty();
        return Optional.of(new Socket(p, ip.get().isZero() ? Optional.empty() : ip, port));
    }

    /** True when some socket in {@code ssLines} is the one {@code l} declares. */
    static boolean present(Listener l, List<String> ssLines) {
        for (String line : ssLines) {
            Optional<Socket> s = parse(line);
            if (s.isEmpty() || s.get().proto() != l.proto() || s.get().port() != l.port()) continue;
            if (l.address().isZero() ? s.get().address().isEmpty() : s.get().address().equals(Optional.of(l.address()))) return true;
        }
        return false;
    }
}
