package dev.anyloop.bench.before;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a {@link Flow}: whether the reply came back to the client's socket, the verdict that
 * decided (the request's if it failed, else the reply's), and both traces.
 */
public record RoundTrip(Flow flow, boolean reachable, Verdict verdict, Trace forward, Optional<Trace> reply) {
    /** The request's trace, then the reply's, then the verdict. */
    public String render() {
        StringBuilder sb = new StringBuilder();
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
        return m;
    }
}
