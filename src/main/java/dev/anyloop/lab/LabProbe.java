package dev.anyloop.lab;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.check.Checker;
import dev.anyloop.check.Failover;
import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code anyloop lab probe}: every query {@code check} derives from network.yaml (the {@code expect:}
 * entries included), sent as a real packet inside a running lab, with the simulator's verdict beside the
 * kernel's. The failover queries (T7) need their host drained: each scenario is made real in the lab
 * (host down, routes withdrawn), probed, and undone before the next.
 */
public final class LabProbe {
    private LabProbe() { }

    /**
     * One query: the technique that derived it, the flow, the reachability the check expects (empty for a
     * NOTE, which counts only for agreement), the failover scenario it runs in, and the simulator's answer.
     */
    public record Query(String technique, Flow flow, Optional<Boolean> expect, Optional<Failover.Scenario> scenario, RoundTrip sim) {
        /** "laptop -> udp 10.53.0.53:53", with " [dns without pi1]" in a failover scenario. */
        public String what() { return flow + scenario.map(s -> " [" + s.label() + "]").orElse(""); }
    }

    /** The queries to run, and what was left out and why. */
    public record Plan(List<Query> queries, List<String> skipped) { }

    /**
     * Derives the queries. With {@code failed} interfaces in the lab, the simulator is asked about the
     * network with those links down (so that it is compared with the kernel as the lab is), and the
     * failover queries are skipped: their drain and the undo that follows would bring the failed links back.
     */
    public static Plan queries(Intent intent, Network network, List<Lab.Iface> failed) {
        List<Query> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Simulator now = Simulator.of(Bgp.converge(intent, withFailed(network, failed)).network());
        for (Finding f : Checker.run(intent, network)) {
            if (f.technique().equals("T7") || f.proof().isEmpty()) continue;
            RoundTrip proof = f.proof().get();
            out.add(new Query(f.technique(), proof.flow(), expectation(f, proof), Optional.empty(),
                    failed.isEmpty() ? proof : now.roundTrip(proof.flow())));
        }
        List<Failover.Scenario> scenarios = Failover.scenarios(intent, network);
        if (!failed.isEmpty()) {
            long n = scenarios.stream().flatMap(s -> s.findings().stream()).filter(f -> f.proof().isPresent()).count();
            if (n > 0) {
                skipped.add("T7: " + n + " failover queries skipped: the lab has failed interfaces " + failed
                        + "; 'anyloop lab restore' first");
            }
            return new Plan(out, skipped);
        }
        for (Failover.Scenario s : scenarios) {
            for (Finding f : s.findings()) {
                if (f.proof().isEmpty()) continue;
                RoundTrip proof = f.proof().get();
                out.add(new Query(f.technique(), proof.flow(), expectation(f, proof), Optional.of(s), proof));
            }
        }
        return new Plan(out, skipped);
    }

    /**
     * What the check expects of a finding's flow. A PASS means the simulator's answer is the expected one,
     * a FAIL that it is the opposite; a NOTE expects nothing. T8 also wants the loopback source address,
     * which a probe does not see, but its packet must get through either way.
     */
    static Optional<Boolean> expectation(Finding f, RoundTrip proof) {
        if (f.kind() == Finding.Kind.NOTE) return Optional.empty();
        if (f.technique().equals("T8")) return Optional.of(true);
        return Optional.of((f.kind() == Finding.Kind.PASS) == proof.reachable());
    }

    /** {@code n} with every failed interface that it declares set down. */
    public static Network withFailed(Network n, List<Lab.Iface> failed) {
        Network out = n;
        for (Lab.Iface i : failed) {
            Optional<DeviceState> d = out.host(i.host());
            if (d.isEmpty() || d.get().link(i.dev()).isEmpty()) continue;
            List<Link> links = d.get().links().stream()
                    .map(l -> l.name().equals(i.dev()) ? new Link(l.name(), l.kind(), false) : l).toList();
            out = out.with(d.get().withLinks(links));
        }
        return out;
    }

    /** A query and what the kernel said. */
    public record Result(Query query, ProbeResult kernel) {
        /** Same reachability, and, when the kernel names who answered, the same host as the simulator. */
        public boolean agree() {
            RoundTrip sim = query.sim();
            return sim.reachable() == kernel.reachable()
                    && (!kernel.reachable() || kernel.answeredBy().isEmpty() || kernel.answeredBy().equals(simBy(sim)));
        }

        /** True when the kernel's answer is not the expected one (never for a NOTE). */
        public boolean failedExpectation() { return query.expect().map(e -> e != kernel.reachable()).orElse(false); }

        /** "T6     laptop -> udp 192.168.1.1:53    sim: no_listener at router    kernel: no answer (...)    ok". */
        public String line() {
            String status = !agree() ? "MISMATCH" : failedExpectation()
                    ? "UNEXPECTED (expected " + (query.expect().get() ? "reachable" : "not reachable") + ")"
                    : query.expect().isEmpty() ? "ok (note)" : "ok";
            return String.format("%-6s %-50s sim: %-30s kernel: %-34s %s", query.technique(), query.what(), simText(query.sim()),
                    kernelText(kernel), status);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("technique", query.technique());
            m.put("flow", query.flow().toString());
            query.scenario().ifPresent(s -> m.put("scenario", s.label()));
            query.expect().ifPresent(e -> m.put("expectReachable", e));
            Map<String, Object> sim = new LinkedHashMap<>();
            sim.put("reachable", query.sim().reachable());
            if (query.sim().reachable()) sim.put("answeredBy", simBy(query.sim()));
            sim.put("verdict", query.sim().verdict().describe());
            m.put("sim", sim);
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("reachable", kernel.reachable());
            if (!kernel.answeredBy().isEmpty()) k.put("answeredBy", kernel.answeredBy());
            k.put("detail", kernel.detail());
            m.put("kernel", k);
            m.put("agree", agree());
            m.put("failedExpectation", failedExpectation());
            return m;
        }
    }

    /** The counts of the summary line. */
    public record Summary(int queries, int agree, int disagree, int failedExpectations) {
        public static Summary of(List<Result> results) {
            int agree = (int) results.stream().filter(Result::agree).count();
            int failed = (int) results.stream().filter(Result::failedExpectation).count();
            return new Summary(results.size(), agree, results.size() - agree, failed);
        }

        public boolean ok() { return disagree == 0 && failedExpectations == 0; }

        public String line() {
            return "lab probe: " + queries + " queries, sim and kernel agree on " + agree + ", " + disagree + " disagree, "
                    + failedExpectations + " failed expectations";
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queries", queries);
            m.put("agree", agree);
            m.put("disagree", disagree);
            m.put("failedExpectations", failedExpectations);
            return m;
        }
    }

    /**
     * Runs every query as a real packet: the plain ones all at once, then each failover scenario in turn
     * (drained, probed, restored). Results in query order.
     */
    public static List<Result> run(Lab lab, List<Query> queries) {
        Result[] out = new Result[queries.size()];
        Map<String, List<Integer>> byScenario = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            byScenario.computeIfAbsent(queries.get(i).scenario().map(Failover.Scenario::label).orElse(""), k -> new ArrayList<>()).add(i);
        }
        if (byScenario.keySet().stream().anyMatch(k -> !k.isEmpty()) && !lab.failed().isEmpty()) {
            throw new IllegalStateException("the lab has failed interfaces " + lab.failed() + ": a failover drain would restore them");
        }
        for (Map.Entry<String, List<Integer>> e : byScenario.entrySet()) {
            List<Integer> idx = e.getValue();
            if (e.getKey().isEmpty()) {
                probe(lab, queries, idx, out);
                continue;
            }
            lab.drain(queries.get(idx.get(0)).scenario().orElseThrow().drained());
            try {
                probe(lab, queries, idx, out);
            } finally {
                lab.restore();
            }
        }
        return Arrays.asList(out);
    }

    private static void probe(Lab lab, List<Query> queries, List<Integer> idx, Result[] out) {
        List<Lab.Query> real = idx.stream().map(i -> new Lab.Query(queries.get(i).flow().from(), Probe.of(queries.get(i).flow()))).toList();
        List<ProbeResult> results = lab.probeAll(real);
        for (int k = 0; k < idx.size(); k++) out[idx.get(k)] = new Result(queries.get(idx.get(k)), results.get(k));
    }

    static String simBy(RoundTrip rt) { return rt.forward().verdict().step().host(); }

    static String simText(RoundTrip rt) {
        return rt.reachable() ? "answered by " + simBy(rt) : rt.verdict().kind().toLowerCase() + " at " + rt.verdict().step().host();
    }

    static String kernelText(ProbeResult r) {
        if (r.reachable()) return "answered" + (r.answeredBy().isEmpty() ? "" : " by " + r.answeredBy());
        if (r.detail().startsWith("no answer")) return r.detail();
        String d = r.detail().length() > 24 ? r.detail().substring(0, 24) + "..." : r.detail();
        return "no answer (" + d + ")";
    }
}
