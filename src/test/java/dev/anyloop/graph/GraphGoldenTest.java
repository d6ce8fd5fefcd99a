package dev.anyloop.graph;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.render.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Pins {@code anyloop graph} in every format for the bundled examples (golden/graph/EXAMPLE.FORMAT). */
class GraphGoldenTest {
    @TestFactory
    List<DynamicTest> everyExampleEveryFormat() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String example : List.of("home", "campus")) {
            Intent intent = IntentLoader.load(Path.of("examples", example + ".yaml"));
            Drawing d = Layout.of(TopologyBuilder.of(Compiler.compile(intent), Optional.of(intent)));
            for (GraphFormat f : GraphFormat.values()) {
                tests.add(DynamicTest.dynamicTest(example + "." + f.word(),
                        () -> Golden.assertMatches("graph", example, f.word(), f.render(d))));
            }
        }
        return tests;
    }
}
