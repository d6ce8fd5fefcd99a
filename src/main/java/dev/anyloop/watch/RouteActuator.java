package dev.anyloop.watch;

import dev.anyloop.net.Family;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.snapshot.IpAddrParser;
import dev.anyloop.snapshot.IpRouteParser;
import dev.anyloop.snapshot.IpRuleParser;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.state.Address;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The router side: an instance is in service while its main-table route (as the compiler made it) is there. Reads
 * the live routes, rules and lo addresses of the namespace this process runs in and checks each probe path against
 * them; withdraws and restores with {@code ip -batch} lines rendered by the same renderer as every other route.
 *
 * <p>Drains come from the apply engine's state file ({@link Recorded.Source}); the routes change through
 * {@code ip -batch}, not the engine: see docs/watch.md, "Routes and the apply engine".
 */
public final class RouteActuator implements Actuator {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final WatchPlan plan;
    private final CommandRunner runner;
    private final String where;
    private final Set<Family> families;
    private final Recorded.Source recorded;

    public RouteActuator(WatchPlan plan, CommandRunner runner, String where, Recorded.Source recorded) {
        this.plan = plan;
        this.runner = runner;
        this.where = where;
        this.recorded = recorded;
        Set<Family> f = new HashSet<>();
        for (WatchPlan.Item i : plan.items()) f.add(i.instance().address().family());
        this.families = Set.copyOf(f);
    }

    @Override
    public String describe() { return "routes of " + plan.router() + " (" + where + "), drains from the " + recorded.describe(); }

    @Override
    public Live read() {
        List<Route> routes = new ArrayList<>();
        List<PolicyRule> rules = new ArrayList<>();
        List<Address> lo = new ArrayList<>();
        try {
            for (Family f : families) {
                // one ip process per family and second: ip -json -batch prints one JSON array per command, one a line
                String v = f == Family.V6 ? "-6" : "-4";
                CommandRunner.Result r = runner.run(List.of("ip", v, "-json", "-batch", "-"),
                        Optional.of("route show table all\nrule show\naddress show dev lo\n"), TIMEOUT);
                List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
                if (!r.ok() || lines.size() != 3) {
                    throw new IllegalStateException("cannot read the live state: ip " + v + " -json -batch: " + r.err().strip());
                }
                routes.addAll(IpRouteParser.parse("ip route", lines.get(0), Optional.of(f)));
                rules.addAll(IpRuleParser.parse("ip rule", lines.get(1), f));
                lo.addAll(IpAddrParser.parse("ip addr", lines.get(2)).addresses());
            }
            // the record after the routes: a drain removes its routes before it saves its record (with a journal in
            // between), so routes without their route and a record without the drain never meet
            return live(routes, rules, lo, recorded.read());
        } catch (SnapshotException e) {
            throw new IllegalStateException("cannot read the live state: " + e.getMessage(), e);
        }
    }

    /** The live state from what the router holds (pure: tests feed it parsed snapshots). */
    Live live(List<Route> routes, List<PolicyRule> rules, List<Address> lo, Recorded rec) {
        // indexes, not a scan of every route per instance: 300 instances against 1,000 routes each second cost
        // most of the control thread's CPU
        Set<RouteKey> have = new HashSet<>();
        for (Route r : routes) have.add(RouteKey.of(r));
        Set<dev.anyloop.net.Ip> onLo = new HashSet<>();
        for (Address a : lo) onLo.add(a.address().ip());
        Set<RuleKey> lookups = new HashSet<>();
        for (PolicyRule r : rules) if (r.action() == PolicyRule.Action.LOOKUP) lookups.add(new RuleKey(r.priority(), r.from(), r.table()));
        Set<Instance> installed = new HashSet<>();
        Set<Instance> drained = new HashSet<>();
        Map<Instance, String> faults = new LinkedHashMap<>();
        for (WatchPlan.Item i : plan.items()) {
            if (have.contains(RouteKey.of(i.route()))) installed.add(i.instance());
            if (rec.drains(i.instance())) {
                // a drain withdraws the probe table's route to the host too (Drains.withdraws: every table): expected
                drained.add(i.instance());
                continue;
            }
            i.path().ifPresent(p -> {
                if (!onLo.contains(p.source())) {
                    faults.put(i.instance(), "probe source " + p.source() + " is not on lo");
                } else if (!lookups.contains(new RuleKey(p.rule().priority(), p.rule().from(), p.rule().table()))) {
                    faults.put(i.instance(), "no rule 'from " + p.source() + " lookup " + p.rule().table() + "'");
                } else if (!have.contains(RouteKey.of(p.tableRoute()))) {
                    faults.put(i.instance(), "table " + p.tableRoute().table() + " has no route " + p.tableRoute());
                }
            });
        }
        return new Live(installed, drained, faults, rec.changing());
    }

    /** What {@link #same} compares, as a hash key. */
    private record RouteKey(Object type, Object dst, int table, long metric, int hops, Object via, Object dev) {
        static RouteKey of(Route r) {
            // a route without next hops (local, blackhole) has no first one
            if (r.nexthops().isEmpty()) return new RouteKey(r.type(), r.dst(), r.table(), r.metric(), 0, null, null);
            var first = r.nexthops().get(0);
            return new RouteKey(r.type(), r.dst(), r.table(), r.metric(), r.nexthops().size(), first.via(), first.dev());
        }
    }

    /** A lookup rule's identity as a probe path needs it. */
    private record RuleKey(long priority, Object from, long table) { }

    /** The same route as far as the kernel's identity goes: type, destination, table, metric, next hops. */
    static boolean same(Route live, Route wanted) { return RouteKey.of(live).equals(RouteKey.of(wanted)); }

    @Override
    public Map<Change, String> apply(List<Change> changes) {
        Map<Change, String> failed = new HashMap<>();
        if (changes.isEmpty()) return failed;
        Map<Change, String> lines = new LinkedHashMap<>();
        for (Change c : changes) lines.put(c, line(c));
        CommandRunner.Result all = runner.run(List.of("ip", "-batch", "-"), Optional.of(String.join("\n", lines.values()) + "\n"), TIMEOUT);
        if (all.ok()) return failed;
        // one of them failed (ip -batch stops at the first error): find out which, one line each
        for (Map.Entry<Change, String> e : lines.entrySet()) {
            CommandRunner.Result one = runner.run(List.of("ip", "-batch", "-"), Optional.of(e.getValue() + "\n"), TIMEOUT);
            if (!one.ok() && !(e.getKey().kind() == Change.Kind.WITHDRAW && one.err().contains("No such process"))) {
                failed.put(e.getKey(), "ip " + e.getValue() + ": " + one.err().strip());
            }
        }
        return failed;
    }

    /** {@code route replace ...} or {@code route del ...} of the instance's route, as IpBatchRenderer writes it. */
    String line(Change c) {
        Route r = plan.items().stream().filter(i -> i.instance().equals(c.instance())).findFirst().orElseThrow().route();
        return (c.kind() == Change.Kind.RESTORE ? "route replace " : "route del ") + IpBatchRenderer.route(r);
    }

}
