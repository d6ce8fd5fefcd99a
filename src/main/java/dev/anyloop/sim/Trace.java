package dev.anyloop.sim;

import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The steps one packet took and the verdict that ended its walk; renders as text and as JSON-ready maps. */
public record Trace(List<Step> steps, Verdict verdict) {
    public Trace {
        steps = List.copyOf(steps);
    }

    /** Hop by hop: a line per host, then that host's steps indented, then the verdict. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        String host = "";
        for (Step s : steps) {
            if (!s.host().equals(host)) {
                host = s.host();
                sb.append(host).append(":\n");
            }
            sb.append("  ").append(s.text()).append('\n');
        }
        sb.append("verdict: ").append(verdict.describe()).append('\n');
        return sb.toString();
    }

    /** {"steps": [{"step": "RouteLookup", "host": ..., "text": ..., fields...}], "verdict": {...}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> ss = new ArrayList<>();
        for (Step s : steps) ss.add(stepJson(s));
        m.put("steps", ss);
        m.put("verdict", verdictJson(verdict));
        return m;
    }

    static Map<String, Object> verdictJson(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", v.kind());
        m.put("host", v.step().host());
        m.put("reason", v.step().text());
        if (v instanceof Verdict.NoListener n) m.put("refused", n.refused());
        m.put("step", stepJson(v.step()));
        return m;
    }

    static Map<String, Object> stepJson(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.getClass().getSimpleName());
        for (RecordComponent c : s.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(s);
                if (v instanceof Optional<?> o) {
                    if (o.isEmpty()) continue;
                    v = o.get();
                }
                m.put(c.getName(), value(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + s, e);
            }
        }
        m.put("text", s.text());
        return m;
    }

    private static Object value(Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(value(o));
            return out;
        }
        if (v instanceof Rule r) return RuleText.of(r);
        if (v instanceof dev.anyloop.state.nft.NftRule r) return r.text();
        if (v instanceof Target t) return RuleText.target(t);
        if (v instanceof Enum<?> e) return e.name().toLowerCase(java.util.Locale.ROOT);
        return String.valueOf(v);
    }
}
