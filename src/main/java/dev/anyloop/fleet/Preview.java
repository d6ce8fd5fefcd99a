package dev.anyloop.fleet;

import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Verdict;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a rollout changes for the clients, before anything is touched: the live network and the desired one
 * simulated side by side, every query whose verdict differs ("cam -> 10.10.10.10 tcp/80 (web): reachable ->
 * DROPPED at router: filter FORWARD rule 1: ..."), and the queries reachable in both (the clients of services
 * that stay, which the rollout order must never cut off). A verdict differs when reachability does, or, both
 * unreachable, when what stops the packet (the verdict's kind or host) does. {@code simulated} says how many
 * queries were run: fewer than {@code queries} when {@link ChangeScope} bounds the change.
 */
public record Preview(List<Change> changes, List<Query> staying, int queries, int simulated) {
    /** One query whose verdict changes, with both round trips (traces included). */
    public record Change(Query query, RoundTrip before, RoundTrip after) {
        public String line() { return query + ": " + word(before) + " -> " + word(after); }

        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("client", query.client());
            m.put("address", query.address().toString());
            m.put("proto", query.proto().word());
            if (query.port() != 0) m.put("port", query.port());
            m.put("service", query.service());
            m.put("before", word(before));
            m.put("after", word(after));
            m.put("reachable_before", before.reachable());
            m.put("reachable_after", after.reachable());
            return m;
        }
    }

    public Preview {
        changes = List.copyOf(changes);
        staying = List.copyOf(staying);
    }

    /** "reachable", or "DROPPED at router: filter FORWARD rule 2: -A AL-FWD-web -j DROP". */
    static String word(RoundTrip rt) { return rt.reachable() ? "reachable" : rt.verdict().describe(); }

    /**
     * As {@link #of}, but only the queries the change can touch ({@link ChangeScope}); the others keep their verdict
     * and are not simulated. {@code desired} should share the DeviceState objects of the hosts that do not change.
     */
    public static Preview scoped(Network live, Network desired, List<Query> queries, int threads) {
        Simulator a = Simulator.of(live);
        Simulator b = a.derive(desired);
        Optional<List<dev.anyloop.net.Prefix>> scope = ChangeScope.of(live, desired);
        if (scope.isEmpty()) return of(a, b, queries, threads);
        List<Query> touched = queries.stream().filter(q -> ChangeScope.touches(q, scope.get(), live, desired)).toList();
        Preview p = of(a, b, touched, threads);
        return new Preview(p.changes, p.staying, queries.size(), touched.size());
    }

    /** Compares {@code live} and {@code desired} on every query, on {@code threads} threads; the changes in query order. */
    public static Preview of(Simulator live, Simulator desired, List<Query> queries, int threads) {
        int n = Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "anyloop-preview");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Optional<Object>>>> parts = new ArrayList<>();
            int chunk = Math.max(1, (queries.size() + n * 8 - 1) / (n * 8));
            for (int from = 0; from < queries.size(); from += chunk) {
                List<Query> slice = queries.subList(from, Math.min(queries.size(), from + chunk));
                parts.add(pool.submit(() -> compare(live, desired, slice)));
            }
            List<Change> changes = new ArrayList<>();
            List<Query> staying = new ArrayList<>();
            for (Future<List<Optional<Object>>> f : parts) {
                for (Optional<Object> o : f.get()) {
                    if (o.isEmpty()) continue;
                    if (o.get() instanceof Change) changes.add((Change) o.get());
                    else staying.add((Query) o.get());
                }
            }
            return new Preview(changes, staying, queries.size(), queries.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Per query: a Change, the Query itself when reachable in both, or nothing (unreachable both times, the same way). */
    private static List<Optional<Object>> compare(Simulator live, Simulator desired, List<Query> queries) {
        List<Optional<Object>> out = new ArrayList<>(queries.size());
        for (Query q : queries) {
            boolean a = live.reachable(q.flow());
            boolean b = desired.reachable(q.flow());
            if (a && b) {
                out.add(Optional.of(q));
                continue;
            }
            RoundTrip before = live.roundTrip(q.flow());
            RoundTrip after = desired.roundTrip(q.flow());
            if (a != b || !sameStop(before.verdict(), after.verdict())) out.add(Optional.of(new Change(q, before, after)));
            else out.add(Optional.empty());
        }
        return out;
    }

    private static boolean sameStop(Verdict x, Verdict y) {
        return x.kind().equals(y.kind()) && x.step().host().equals(y.step().host());
    }
}
