package dev.anyloop.intent;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code anyloop watch} needs a probe path: each forwarding host R (a router), each host H it routes a
 * checked service to directly (they share a segment, R does not serve the service itself), each family the
 * service uses. Every pair gets its own probe source (allocated in this order from the health: section's
 * probe-sources prefix, one address each) and its own routing table, so a probe from that source reaches H and
 * nothing else whatever the main table says (docs/network-yaml.md, "health").
 */
public final class ProbePairs {
    /** Probe tables are {@code TABLE_BASE + n}, their rules have priority {@code TABLE_BASE + n}: before main (32766). */
    public static final int TABLE_BASE = 7700;

    private ProbePairs() { }

    /**
     * One probe path: router {@code router} probes host {@code host} over {@code family} from {@code source},
     * looking it up in {@code table} (rule priority {@code table} too), reaching it via {@code via} out of
     * {@code dev}; {@code hostDev} is the host's interface on that segment.
     */
    public record Pair(String router, String host, Family family, Ip source, int table, Ip via, String dev, String hostDev,
                       Ip routerAddress) { }

    /** Every probe pair, routers in file order, hosts in file order; empty without a health: section. */
    public static List<Pair> of(Intent intent) {
        if (intent.health().isEmpty()) return List.of();
        HealthDef health = intent.health().get();
        List<Pair> out = new ArrayList<>();
        int[] used = new int[Family.values().length];
        for (HostDef r : intent.hosts().values()) {
            if (!r.forwarding()) continue;
            int table = TABLE_BASE;
            for (HostDef h : intent.hosts().values()) {
                if (h == r) continue;
                boolean any = false;
                for (Family f : Family.values()) {
                    Optional<Link> link = link(r, h, f);
                    if (link.isEmpty() || !checked(intent, health, r, h, f)) continue;
                    if (!any) table++;
                    any = true;
                    Optional<Prefix> pool = health.probeSources(f);
                    int n = ++used[f.ordinal()];
                    // without a prefix of this family the validator has reported it; a stand-in keeps the count
                    Ip source = pool.map(p -> nth(p, n)).orElse(f == Family.V4 ? Ip.parse("0.0.0.0") : Ip.parse("::"));
                    out.add(new Pair(r.name(), h.name(), f, source, table, link.get().via, link.get().dev, link.get().hostDev,
                            link.get().routerAddress));
                }
            }
        }
        return out;
    }

    /** How many addresses of family {@code f} the pairs take (the validator compares it with the prefix). */
    public static int needed(Intent intent, Family f) { return (int) of(intent).stream().filter(p -> p.family() == f).count(); }

    /** The pairs router {@code router} probes from. */
    public static List<Pair> of(Intent intent, String router) {
        return of(intent).stream().filter(p -> p.router().equals(router)).toList();
    }

    /** True when {@code h} carries a checked service of family {@code f} that {@code r} routes (does not serve). */
    private static boolean checked(Intent intent, HealthDef health, HostDef r, HostDef h, Family f) {
        for (ServiceDef s : intent.services().values()) {
            if (!s.hosts().contains(h.name()) || s.hosts().contains(r.name()) || health.check(s.name()).isEmpty()) continue;
            // announced over BGP instead of static routes: the router has no route of its own to withdraw; the
            // server's watch withdraws its announcement (docs/watch.md, "BGP servers")
            if (intent.bgp().replacesStatic(s.name())) continue;
            if (s.addresses().stream().anyMatch(x -> x.family() == f)) return true;
        }
        return false;
    }

    private record Link(Ip via, String dev, String hostDev, Ip routerAddress) { }

    /** The first segment (router's interface order) where h has an address of family f: as ServiceRoutes picks it. */
    private static Optional<Link> link(HostDef r, HostDef h, Family f) {
        for (InterfaceDef ri : r.interfaces().values()) {
            for (InterfaceDef hi : h.interfaces().values()) {
                if (!hi.segment().equals(ri.segment())) continue;
                Optional<InterfaceAddress> mine = ri.addresses().stream().filter(a -> a.family() == f).findFirst();
                for (InterfaceAddress a : hi.addresses()) {
                    if (a.family() == f && mine.isPresent()) return Optional.of(new Link(a.ip(), ri.name(), hi.name(), mine.get().ip()));
                }
            }
        }
        return Optional.empty();
    }

    /** The n-th address of {@code p} (1 = the first after the network address), past its end when p is too small. */
    static Ip nth(Prefix p, int n) { return p.network().plus(n); }
}
