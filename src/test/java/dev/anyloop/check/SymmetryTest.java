package dev.anyloop.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bench.CheckNetwork;
import dev.anyloop.compile.Compiled;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clients the network cannot tell apart share their checks' results, and sharing never changes what check finds. */
class SymmetryTest {
    static Intent parse(String yaml) throws Exception { return IntentLoader.parse("s.yaml", yaml.getBytes(StandardCharsets.UTF_8)); }

    /** Passed, failed and notes, and every non-passing line, with and without the classes. */
    static void sameResults(Intent i) {
        Compiled c = Compiler.compiled(i);
        List<String> with = new ArrayList<>(), without = new ArrayList<>();
        Checker.Summary a = Checker.run(i, c.network(), c.provenance(), Checker.Options.fast(2, true, Checker.Progress.NONE),
                f -> with.add(f.line()));
        Checker.Summary b = Checker.run(i, c.network(), c.provenance(), Checker.Options.fast(2, false, Checker.Progress.NONE),
                f -> without.add(f.line()));
        assertThat(a).isEqualTo(b);
        assertThat(with).isEqualTo(without);
    }

    @ParameterizedTest
    @ValueSource(strings = {"home", "campus", "office"})
    void theExamplesCheckTheSameWithTheClasses(String example) throws Exception {
        sameResults(IntentLoader.load(Path.of("examples", example + ".yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"failover", "ports"})
    void theBenchmarkNetworksCheckTheSame(String shape) throws Exception {
        Intent i = parse(CheckNetwork.yaml(CheckNetwork.Shape.valueOf(shape.toUpperCase(java.util.Locale.ROOT)), 4, 12));
        Symmetry s = Symmetry.of(i);
        assertThat(s.of("h0-11")).isEqualTo("h0-0");
        assertThat(s.of("h3-5")).isEqualTo("h3-0");
        assertThat(s.of("s1")).isEqualTo("s1"); // a service host is named by its service: its own class
        sameResults(i);
    }

    /** A source prefix that holds half a LAN splits it; a host without a way back makes checks fail, for every client alike. */
    @Test
    void failuresAndSplitLansAreFoundClientByClient() throws Exception {
        String yaml = CheckNetwork.yaml(CheckNetwork.Shape.FAILOVER, 3, 20)
                // svc4 admits the servers and part of lan0
                .replace("    allow:\n      segments: [servers, lan0, lan1, lan2]\n", "    allow:\n      sources: [10.0.0.0/24, 10.1.0.16/28]\n")
                // s3 has no gateway: it cannot answer anyone off the servers segment, so those checks fail
                .replace("addresses: [10.0.0.13/24], gateway: 10.0.0.1 }", "addresses: [10.0.0.13/24] }");
        Intent i = parse(yaml);
        Symmetry s = Symmetry.of(i);
        // h0-H is 10.1.0.(10+H): 10.1.0.16/28 holds h0-6 .. h0-19, and splits them from h0-0 .. h0-5
        assertThat(s.of("h0-6")).isEqualTo("h0-6");
        assertThat(s.of("h0-7")).isEqualTo("h0-6");
        assertThat(s.of("h0-5")).isEqualTo("h0-0");
        assertThat(yaml).contains("sources: [10.0.0.0/24, 10.1.0.16/28]").doesNotContain("addresses: [10.0.0.13/24], gateway");
        Compiled c = Compiler.compiled(i);
        Checker.Summary sum = Checker.run(i, c.network(), c.provenance(), Checker.Options.fast(2, true, Checker.Progress.NONE), f -> { });
        assertThat(sum.failed()).isPositive();
        sameResults(i);
    }

    @Test
    void aHostWithItsOwnRouteOrNamedByAServiceIsItsOwnClass() throws Exception {
        String yaml = CheckNetwork.yaml(CheckNetwork.Shape.PORTS, 2, 5).replace("  h0-3:\n    interfaces:\n",
                "  h0-3:\n    routes: [{ to: 10.99.0.0/16, via: 10.1.0.1 }]\n    interfaces:\n");
        Symmetry s = Symmetry.of(parse(yaml));
        assertThat(s.of("h0-3")).isEqualTo("h0-3");
        assertThat(s.of("h0-4")).isEqualTo("h0-0");
        Files.writeString(Path.of("target/symmetry.yaml"), yaml);
        sameResults(parse(yaml));
    }
}
