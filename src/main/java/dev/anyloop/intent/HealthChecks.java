package dev.anyloop.intent;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * The checks of {@code health:} that need the whole file: every probe path has a source address, and no probe
 * source collides with an address or prefix the network already uses (a probe source is a /32 or /128 on a
 * router's lo; one inside a segment or on another host would steal that address's traffic).
 */
final class HealthChecks {
    private final Intent intent;
    private final Problems problems;

    HealthChecks(Intent intent, Problems problems) {
        this.intent = intent;
        this.problems = problems;
    }

    void run() {
        if (intent.health().isEmpty() || problems.broken("health/probe-sources")) return;
        HealthDef h = intent.health().get();
        for (Family f : Family.values()) {
            List<ProbePairs.Pair> pairs = ProbePairs.of(intent).stream().filter(p -> p.family() == f).toList();
            Optional<Prefix> pool = h.probeSources(f);
            if (pool.isEmpty()) {
                if (!pairs.isEmpty()) {
                    ProbePairs.Pair p = pairs.get(0);
                    problems.at("health", "health: probe-sources: no " + label(f) + " prefix, but router " + p.router() + " probes "
                            + label(f) + " services on " + p.host() + " (" + pairs.size() + " probe path" + (pairs.size() == 1 ? "" : "s")
                            + " need an address each)");
                }
                continue;
            }
            String at = "health/probe-sources[" + h.probeSources().indexOf(pool.get()) + "]";
            long usable = usable(pool.get());
            if (pairs.size() > usable) {
                problems.at(at, "health: probe-sources: " + pool.get() + " has " + usable + " usable address" + (usable == 1 ? "" : "es")
                        + " but " + pairs.size() + " probe paths need one each");
            }
            collision(pool.get()).ifPresent(what -> problems.at(at, "health: probe-sources: " + pool.get() + " collides with "
                    + what + ": probe sources must be addresses nothing else in the network uses"));
        }
    }

    static String label(Family f) { return f == Family.V4 ? "IPv4" : "IPv6"; }

    /** Addresses after the network address; the network address itself is never handed out. */
    private static long usable(Prefix p) {
        int free = p.family().bits() - p.length();
        return free >= 62 ? Long.MAX_VALUE : (1L << free) - 1;
    }

    /** The first address or prefix in use that overlaps {@code pool}, described. */
    private Optional<String> collision(Prefix pool) {
        for (var s : intent.segments().values()) {
            for (Prefix p : s.prefixes()) if (p.overlaps(pool)) return Optional.of("segment " + s.name() + "'s prefix " + p);
        }
        for (HostDef host : intent.hosts().values()) {
            for (InterfaceDef i : host.interfaces().values()) {
                for (InterfaceAddress a : i.addresses()) {
                    if (pool.contains(a.ip())) return Optional.of("host " + host.name() + " interface " + i.name() + " address " + a.ip());
                }
                for (Ip g : i.gateways()) if (pool.contains(g)) return Optional.of("host " + host.name() + "'s gateway " + g);
            }
            for (InterfaceAddress a : host.loopbacks()) {
                if (pool.contains(a.ip())) return Optional.of("host " + host.name() + "'s loopback " + a.ip());
            }
            for (RouteDef r : host.routes()) {
                if (r.to().length() > 0 && r.to().overlaps(pool)) return Optional.of("host " + host.name() + "'s route to " + r.to());
            }
        }
        for (ServiceDef s : intent.services().values()) {
            for (Ip x : s.addresses()) if (pool.contains(x)) return Optional.of("service " + s.name() + "'s address " + x);
        }
        for (SourceDef s : intent.sources()) {
            if (pool.contains(s.from())) return Optional.of("the source address " + s.from() + " of host " + s.host());
            if (s.to().length() > 0 && s.to().overlaps(pool)) return Optional.of("source-addresses' prefix " + s.to() + " of host " + s.host());
        }
        return Optional.empty();
    }
}
