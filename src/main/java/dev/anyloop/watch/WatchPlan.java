package dev.anyloop.watch;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.intent.HealthDef.DampingDef;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code anyloop watch --host ROUTER} watches, derived from the compiled network (pure): every instance the
 * router routes to a neighbouring service host, its main-table route (what is withdrawn and restored), its check, and
 * the probe path the check must take (the probe source on lo, the rule, the table route), all as the compiler made
 * them, so watch, apply and the lab read the same objects.
 */
public record WatchPlan(String router, List<Item> items, DampingDef damping) {
    public WatchPlan { items = List.copyOf(items); }

    /** One instance: its route on the router and, when checked, how. */
    public record Item(Instance instance, Route route, Optional<CheckSpec> check, Optional<ProbePath> path) {
        /**
         * Where the checks leave from: the probe path's source on a router. A checked item without a probe path is a
         * host checking its own service ({@link ServerPlan}): from the service address to itself, which the kernel
         * delivers over lo (a local destination) and which fails to bind, a fault, when the address is not there.
         */
        public Ip source() { return path.map(ProbePath::source).orElse(instance.address()); }
    }

    /** The probe path of one instance on the router: its source on lo, the rule that picks its table, its table route. */
    public record ProbePath(Ip source, PolicyRule rule, Route tableRoute) { }

    /** Thrown for a router watch cannot work on: the message says why (exit 2). */
    public static final class NothingToWatch extends IllegalArgumentException {
        NothingToWatch(String m) { super(m); }
    }

    public static WatchPlan of(Intent intent, Network network, String router) {
        HostDef r = intent.hosts().get(router);
        if (r == null) {
            throw new NothingToWatch("host '" + router + "' is not defined in " + intent.file()
                    + dev.anyloop.intent.Names.didYouMean(router, intent.hosts().keySet()));
        }
        if (!r.forwarding()) throw new NothingToWatch("host " + router + " does not forward (forwarding: false): it routes no service to watch");
        if (intent.health().isEmpty()) {
            throw new NothingToWatch(intent.file() + " has no health: section: it says what to check and where the probes leave from (docs/watch.md)");
        }
        DeviceState d = network.host(router).orElseThrow();
        List<ProbePairs.Pair> pairs = ProbePairs.of(intent, router);
        List<Item> items = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) {
            if (s.hosts().contains(router)) continue;
            Optional<CheckSpec> check = intent.health().get().check(s.name());
            for (int rank = 0; rank < s.hosts().size(); rank++) {
                HostDef h = intent.hosts().get(s.hosts().get(rank));
                Set<Ip> hostAddresses = h.interfaces().values().stream().flatMap(i -> i.addresses().stream())
                        .map(InterfaceAddress::ip).collect(Collectors.toSet());
                for (Ip x : s.addresses()) {
                    Optional<Route> route = d.routes().stream().filter(rt -> rt.table() == Route.TABLE_MAIN && rt.ownedByAnyloop()
                            && rt.dst().equals(Prefix.host(x)) && rt.nexthops().size() == 1
                            && rt.nexthops().get(0).via().map(hostAddresses::contains).orElse(false)).findFirst();
                    if (route.isEmpty()) continue; // not a neighbour of this router: another router's to watch
                    Instance inst = new Instance(s.name(), x, h.name(), rank);
                    Optional<ProbePairs.Pair> pair = pairs.stream().filter(p -> p.host().equals(h.name()) && p.family() == x.family()).findFirst();
                    Optional<ProbePath> path = pair.filter(p -> check.isPresent()).map(p -> path(d, p, x));
                    items.add(new Item(inst, route.get(), path.isPresent() ? check : Optional.empty(), path));
                }
            }
        }
        if (items.isEmpty()) throw new NothingToWatch("router " + router + " routes no service to a host it shares a segment with: nothing to watch");
        return new WatchPlan(router, items, intent.health().get().damping());
    }

    private static ProbePath path(DeviceState d, ProbePairs.Pair p, Ip x) {
        PolicyRule rule = d.rules().stream().filter(r -> r.priority() == p.table() && r.from().equals(Optional.of(Prefix.host(p.source()))))
                .findFirst().orElseThrow(() -> new IllegalStateException("compiler made no rule for probe source " + p.source()));
        Route tr = d.routes().stream().filter(r -> r.table() == p.table() && r.dst().equals(Prefix.host(x))).findFirst()
                .orElseThrow(() -> new IllegalStateException("compiler made no route to " + x + " in table " + p.table()));
        return new ProbePath(p.source(), rule, tr);
    }

    /** The checked items. */
    public List<Item> checked() { return items.stream().filter(i -> i.check().isPresent()).toList(); }
}
