package dev.anyloop.intent;

import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.Publish;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two services on one host that would need sockets Linux cannot open side by side: a wildcard socket ({@code bind:
 * any}, 0.0.0.0:80) holds its port on every address of its family, so a second socket on X:80, or a second wildcard,
 * fails bind() with EADDRINUSE (inet_csk_bind_conflict for TCP, udp_lib_lport_inuse for UDP, as servers open them:
 * without SO_REUSEPORT); and two services sharing an address cannot both have port 80 of it. A Docker-published port
 * is DNAT'ed before any socket of the host sees it, so it only clashes with another service's use of the same address.
 */
final class SocketConflicts {
    private final Intent intent;
    private final Problems problems;

    SocketConflicts(Intent intent, Problems problems) {
        this.intent = intent;
        this.problems = problems;
    }

    /** One socket (or range of them) a service needs on a host; {@code address} empty for the wildcard. */
    private record Bound(ServiceDef service, PortDef port, Optional<Ip> address, Family family, boolean docker, String at) {
        String socket(int n) {
            String a = address.map(ip -> ip.isV4() ? ip.toString() : "[" + ip + "]").orElse(family == Family.V4 ? "0.0.0.0" : "[::]");
            return a + ":" + n;
        }
    }

    void run() {
        for (String host : intent.hosts().keySet()) {
            List<Bound> seen = new ArrayList<>();
            for (ServiceDef s : intent.services().values()) {
                if (!s.hosts().contains(host)) continue;
                for (Bound b : bound(s)) {
                    for (Bound o : seen) {
                        if (o.service() == s || o.family() != b.family() || !o.port().overlaps(b.port())) continue;
                        Optional<String> why = conflict(o, b, host);
                        if (why.isPresent()) {
                            problems.at(b.at(), "service " + s.name() + ": " + b.port() + " on host " + host + ": " + why.get());
                            break;
                        }
                    }
                    seen.add(b);
                }
            }
        }
    }

    private static Optional<String> conflict(Bound o, Bound b, String host) {
        int n = Math.max(o.port().port(), b.port().port());
        String other = "service " + o.service().name() + "'s ";
        if (o.docker() || b.docker()) {
            if (o.address().isEmpty() || b.address().isEmpty() || !o.address().equals(b.address())) return Optional.empty();
            return Optional.of((o.docker() ? "Docker already publishes " + o.socket(n) + " for service " + o.service().name()
                    : other + "socket " + o.socket(n) + " already takes it") + ": give one of them another port");
        }
        if (o.address().isPresent() && b.address().isPresent()) {
            if (!o.address().equals(b.address())) return Optional.empty();
            return Optional.of(other + "socket " + o.socket(n) + " already takes it (two services on one address need"
                    + " different ports)");
        }
        String fam = b.family() == Family.V4 ? "IPv4" : "IPv6";
        if (o.address().isEmpty() && b.address().isEmpty()) {
            return Optional.of("service " + o.service().name() + " (bind: any) already opens " + o.socket(n) + ", and this service's "
                    + "bind: any needs the same socket (bind fails with EADDRINUSE): use another port, or bind both to their own addresses");
        }
        Bound wild = o.address().isEmpty() ? o : b, specific = o.address().isEmpty() ? b : o;
        String wildName = wild == b ? "this service's" : "service " + wild.service().name() + "'s";
        String specName = specific == b ? "this service's" : "service " + specific.service().name() + "'s";
        return Optional.of(wildName + " bind: any socket " + wild.socket(n) + " holds port " + n + " on every " + fam
                + " address of host " + host + ", so Linux cannot also open " + specName + " " + specific.socket(n)
                + " (bind fails with EADDRINUSE): bind both to their own addresses, or use another port");
    }

    private List<Bound> bound(ServiceDef s) {
        List<Bound> out = new ArrayList<>();
        if (s.docker().isPresent()) {
            for (Publish p : s.docker().get().publish()) {
                int k = indexOf(s, p.proto(), p.hostPort());
                PortDef port = new PortDef(p.proto(), p.hostPort());
                for (Ip x : s.addresses()) {
                    if (x.isV4()) out.add(new Bound(s, port, Optional.of(x), x.family(), true, at(s, k)));
                }
            }
            return out;
        }
        for (int k = 0; k < s.ports().size(); k++) {
            PortDef p = s.ports().get(k);
            if (s.bind() == Bind.ANY) {
                for (Family f : Family.values()) {
                    if (s.addresses().stream().anyMatch(x -> x.family() == f)) out.add(new Bound(s, p, Optional.empty(), f, false, at(s, k)));
                }
            } else {
                for (Ip x : s.addresses()) out.add(new Bound(s, p, Optional.of(x), x.family(), false, at(s, k)));
            }
        }
        return out;
    }

    private static int indexOf(ServiceDef s, dev.anyloop.net.Proto proto, int port) {
        for (int k = 0; k < s.ports().size(); k++) if (s.ports().get(k).contains(proto, port)) return k;
        return -1;
    }

    private static String at(ServiceDef s, int k) {
        return "services/" + s.name() + (k < 0 ? "/docker" : "/ports[" + k + "]");
    }
}
