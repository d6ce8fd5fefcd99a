package dev.anyloop.cli;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads reachability queries, one a line: {@code FROM_HOST DEST_ADDR PROTO [PORT]}; '#' starts a comment. */
final class Queries {
    private Queries() { }

    /** Parses every line; all bad lines are reported as "FILE:LINE: reason" and nothing runs. */
    static List<Flow> parse(String file, List<String> lines, Network n, List<String> errors) {
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            try {
                String[] f = line.split("\\s+");
                out.add(flow(f, n));
            } catch (IllegalArgumentException e) {
                errors.add(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    static Flow flow(String[] f, Network n) {
        if (f.length < 3 || f.length > 4) {
            throw new IllegalArgumentException("expected 'FROM_HOST DEST_ADDR PROTO [PORT]', found " + f.length + " fields");
        }
        return flow(f[0], f[1], f[2], f.length == 4 ? Optional.of(f[3]) : Optional.empty(), n);
    }

    /**
     * The addresses {@code to} stands for: an address, or the name of a service of {@code intent} (its addresses of
     * the families {@code from} has an address of; every one of them when it has none).
     */
    static List<String> destinations(String to, Optional<dev.anyloop.intent.Intent> intent, String from, Network n) {
        if (Ip.tryParse(to).isPresent() || intent.isEmpty()) return List.of(to);
        var s = intent.get().services().get(to);
        if (s == null) {
            throw new IllegalArgumentException("'" + to + "' is neither an address nor a service of " + intent.get().file()
                    + Inputs.didYouMean(to, intent.get().services().keySet()));
        }
        var client = n.hosts().get(from);
        List<String> out = new ArrayList<>();
        for (Ip x : s.addresses()) {
            boolean speaks = client == null || client.addresses().stream().anyMatch(a -> !a.dev().equals("lo")
                    && a.address().family() == x.family() && !a.address().ip().isLinkLocal());
            if (speaks) out.add(x.toString());
        }
        return out.isEmpty() ? s.addresses().stream().map(Ip::toString).toList() : out;
    }

    static Flow flow(String from, String dst, String proto, Optional<String> port, Network n) {
        if (!n.hosts().containsKey(from)) {
            throw new IllegalArgumentException("unknown host '" + from + "'" + Inputs.didYouMean(from, n.hosts().keySet()));
        }
        Ip ip = Ip.parse(dst);
        if (n.hosts().values().stream().noneMatch(d -> d.hasAddress(ip))) {
            throw new IllegalArgumentException("no host has address " + ip);
        }
        // option words are lower case, as Linux tools spell them; TCP is read as tcp
        Proto p = Proto.parse(proto.toLowerCase(java.util.Locale.ROOT));
        int portNo = 0;
        if (p != Proto.ICMP) {
            if (port.isEmpty()) throw new IllegalArgumentException(p.word() + " needs a port");
            try {
                portNo = Integer.parseInt(port.get());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port '" + port.get() + "': not a number");
            }
        } else if (port.isPresent()) {
            throw new IllegalArgumentException("icmp takes no port, found '" + port.get() + "'");
        }
        return Flow.of(from, ip, p, portNo);
    }
}
