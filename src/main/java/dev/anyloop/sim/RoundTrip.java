package dev.anyloop.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a {@link Flow}: whether the reply came back to the client's socket, the verdict that
 * decided (the request's if it failed, else the reply's), and both traces. Across multipath routes
 * ({@link Paths}) it holds every path's round trip: reachable only when every path is, the verdict and
 * traces of the first path that failed (else of the first path).
 */
public record RoundTrip(Flow flow, boolean reachable, Verdict verdict, Trace forward, Optional<Trace> reply, List<RoundTrip> paths) {
    public RoundTrip {
        paths = List.copyOf(paths);
    }

    /** One path's round trip. */
    public RoundTrip(Flow flow, boolean reachable, Verdict verdict, Trace forward, Optional<Trace> reply) {
        this(flow, reachable, verdict, forward, reply, List.of());
    }

    /** The round trip over several paths. */
    static RoundTrip ofPaths(List<RoundTrip> paths) {
        RoundTrip shown = paths.stream().filter(p -> !p.reachable()).findFirst().orElse(paths.get(0));
        boolean all = paths.stream().allMatch(RoundTrip::reachable);
        return new RoundTrip(shown.flow(), all, shown.verdict(), shown.forward(), shown.reply(), paths);
    }

    /** True when the paths of a multipath route disagree: the outcome depends on the kernel's flow hash. */
    public boolean mixed() {
        return paths.stream().anyMatch(RoundTrip::reachable) && paths.stream().anyMatch(p -> !p.reachable());
    }

    /** "reachable on 1 of 2 paths", for a multipath round trip; empty for one path. */
    public Optional<String> multipath() {
        if (paths.isEmpty()) return Optional.empty();
        long ok = paths.stream().filter(RoundTrip::reachable).count();
        return Optional.of("reachable on " + ok + " of " + paths.size() + " paths");
    }

    /** The request's trace, then the reply's, then the verdict; every path of a multipath round trip. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        if (!paths.isEmpty()) {
            sb.append(flow).append(": ").append(reachable ? "REACHABLE" : mixed() ? "MULTIPATH" : "NOT REACHABLE")
                    .append(" (").append(multipath().get()).append(")\n");
            for (int i = 0; i < paths.size(); i++) {
                sb.append("== path ").append(i + 1).append(" of ").append(paths.size()).append(" ==\n").append(paths.get(i).render());
            }
            return sb.toString();
        }
        sb.append(flow).append(": ").append(reachable ? "REACHABLE" : "NOT REACHABLE").append('\n');
        sb.append("-- request --\n").append(forward.render());
        reply.ifPresent(r -> sb.append("-- reply --\n").append(r.render()));
        return sb.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", flow.toString());
        m.put("reachable", reachable);
        m.put("verdict", Trace.verdictJson(verdict));
        m.put("request", forward.toJson());
        reply.ifPresent(r -> m.put("reply", r.toJson()));
        multipath().ifPresent(s -> {
            m.put("multipath", s);
            m.put("paths", paths.stream().map(RoundTrip::toJson).toList());
        });
        return m;
    }
}
