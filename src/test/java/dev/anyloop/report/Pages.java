package dev.anyloop.report;

import dev.anyloop.check.Checker;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Report pages for tests: from an example, from YAML text, from a bare network; and parsed back as a browser would. */
public final class Pages {
    private Pages() { }

    public static Intent example(String name) {
        try {
            return IntentLoader.load(Path.of("examples", name + ".yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Intent yaml(String text) {
        try {
            return IntentLoader.parse("test.yaml", text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The page check --report writes for {@code intent}. */
    public static String of(Intent intent) {
        Network n = Compiler.compile(intent);
        Map<String, List<String>> why = new LinkedHashMap<>();
        for (DeviceState d : n.hosts().values()) why.put(d.host(), List.of("why line of " + d.host()));
        return ReportPage.render(new ReportInput(intent.file(), "test", n, Optional.of(intent), Optional.empty(),
                Optional.of(Checker.run(intent, n)), List.of(), why, List.of()));
    }

    /** The page of a network without intent (as from a snapshot). */
    public static String of(Network n) {
        return ReportPage.render(new ReportInput("snapshot", "test", n, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Map.of(), List.of()));
    }

    public static Document parse(String html) { return Jsoup.parse(html); }
}
