package dev.anyloop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anyloop.apply.ApplyException;
import dev.anyloop.apply.Engine;
import java.io.PrintWriter;
import java.util.Map;

/** How apply, diff, confirm, rollback and drain print what the engine did: text, or one JSON object with --json. */
final class Outcomes {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Outcomes() { }

    interface Call<T> {
        T run() throws ApplyException;
    }

    /** Runs {@code call}; a refusal or failure prints its message (and JSON with --json) and leaves with its exit code. */
    static <T> T run(Call<T> call, boolean json, PrintWriter out, PrintWriter err) {
        try {
            return call.run();
        } catch (ApplyException e) {
            err.println("anyloop: " + e.getMessage().stripTrailing());
            if (json) print(out, Map.of("changed", false, "error", e.getMessage().strip(), "exit", e.exit()));
            throw new Inputs.Exit(e.exit());
        }
    }

    /** confirm and rollback: run on the target the options name, print what was done, exit with the engine's code. */
    static int notes(picocli.CommandLine.Model.CommandSpec spec, TargetOptions where, java.util.function.Function<Engine, Call<Engine.Outcome>> call) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Engine engine = where.engine(err);
        Engine.Outcome r = run(call.apply(engine), false, out, err);
        for (String n : r.notes()) out.println(n);
        return r.exit();
    }

    static void text(Engine.Outcome o, PrintWriter out) { text(o, out, ""); }

    /** {@code again}: the options that name the target again (" --netns NS"), for the confirm hint. */
    static void text(Engine.Outcome o, PrintWriter out, String again) {
        for (String n : o.notes()) out.println("note: " + n.replace("'anyloop confirm'", "'anyloop confirm" + again + "'"));
        out.print(o.plan().text());
    }

    static void json(Engine.Outcome o, PrintWriter out) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(o.plan().json(o.changed()));
        m.put("notes", o.notes());
        print(out, m);
    }

    static void print(PrintWriter out, Map<String, ?> m) {
        try {
            out.println(JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
