package dev.anyloop.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.lab.LabProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code lab probe} query as the report shows it: the kernel's answer beside the simulator's. Made from
 * the typed result ({@code lab probe --report}) or read back from {@code lab probe --json} ({@code --probe-results}).
 */
public record ProbeRow(String technique, String flow, Optional<String> scenario, Optional<Boolean> expectReachable,
                       boolean simReachable, String simText, boolean kernelReachable, String kernelText, boolean agree,
                       boolean failedExpectation) {

    /** Thrown for a probe-results file that is not what {@code lab probe --json} writes: the place and the reason. */
    public static final class BadResults extends Exception {
        public BadResults(String message) { super(message); }
    }

    public static ProbeRow of(LabProbe.Result r) {
        LabProbe.Query q = r.query();
        String sim = q.sim().reachable() ? "answered by " + q.sim().forward().verdict().step().host() : q.sim().verdict().describe();
        String kernel = r.kernel().reachable()
                ? "answered" + (r.kernel().answeredBy().isEmpty() ? "" : " by " + r.kernel().answeredBy()) : r.kernel().detail();
        return new ProbeRow(q.technique(), q.flow().toString(), q.scenario().map(s -> s.label()), q.expect(), q.sim().reachable(),
                sim, r.kernel().reachable(), kernel, r.agree(), r.failedExpectation());
    }

    /** Reads the {@code results} of a {@code lab probe --json} document; {@code file} names it in errors. */
    public static List<ProbeRow> read(String file, String json) throws BadResults {
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BadResults(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + ": not JSON: "
                    + e.getOriginalMessage());
        }
        if (doc == null || !doc.isObject() || !doc.path("results").isArray()) {
            throw new BadResults(file + ": expected the document 'anyloop lab probe --json' prints, an object with a \"results\" list");
        }
        List<ProbeRow> out = new ArrayList<>();
        for (int i = 0; i < doc.get("results").size(); i++) {
            JsonNode r = doc.get("results").get(i);
            String at = file + ": results[" + i + "]";
            JsonNode sim = object(r, "sim", at);
            JsonNode kernel = object(r, "kernel", at);
            boolean simOk = bool(sim, "reachable", at + ".sim");
            boolean kernelOk = bool(kernel, "reachable", at + ".kernel");
            String simText = simOk ? "answered by " + sim.path("answeredBy").asText("?") : text(sim, "verdict", at + ".sim");
            String kernelText = kernelOk ? "answered" + (kernel.hasNonNull("answeredBy") ? " by " + kernel.get("answeredBy").asText() : "")
                    : kernel.path("detail").asText("");
            Optional<Boolean> expect = r.hasNonNull("expectReachable") ? Optional.of(bool(r, "expectReachable", at)) : Optional.empty();
            out.add(new ProbeRow(text(r, "technique", at), text(r, "flow", at),
                    r.hasNonNull("scenario") ? Optional.of(r.get("scenario").asText()) : Optional.empty(), expect,
                    simOk, simText, kernelOk, kernelText, bool(r, "agree", at), r.path("failedExpectation").asBoolean(false)));
        }
        return out;
    }

    private static JsonNode object(JsonNode n, String key, String at) throws BadResults {
        JsonNode v = n.get(key);
        if (v == null || !v.isObject()) throw new BadResults(at + "." + key + ": expected an object");
        return v;
    }

    private static boolean bool(JsonNode n, String key, String at) throws BadResults {
        JsonNode v = n.get(key);
        if (v == null || !v.isBoolean()) throw new BadResults(at + "." + key + ": expected true or false");
        return v.asBoolean();
    }

    private static String text(JsonNode n, String key, String at) throws BadResults {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) throw new BadResults(at + "." + key + ": expected a string");
        return v.asText();
    }
}
