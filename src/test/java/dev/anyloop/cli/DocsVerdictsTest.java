package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What docs/network-yaml.md's "Verdicts that name the intent" shows is what trace and check print on home.yaml. */
class DocsVerdictsTest {
    private static String section() throws IOException {
        String md = Files.readString(Path.of("docs/network-yaml.md"), StandardCharsets.UTF_8);
        int from = md.indexOf("## Verdicts that name the intent");
        assertThat(from).isNotNegative();
        return md.substring(from, md.indexOf("\n## ", from + 1));
    }

    @Test
    void theTraceLinesOfTheDocsAreWhatTracePrints() throws IOException {
        String s = section();
        List<String> shown = s.substring(s.indexOf("```\n") + 4, s.indexOf("\n```", s.indexOf("```\n") + 4)).lines().toList();
        assertThat(shown).hasSize(2);
        Cli admitted = Cli.run("trace", "examples/home.yaml", "--from", "laptop", "--to", "web", "--proto", "tcp", "--port", "80");
        Cli refused = Cli.run("trace", "examples/home.yaml", "--from", "cam", "--to", "web", "--proto", "tcp", "--port", "80");
        assertThat(admitted.out().lines()).as(admitted.err()).contains(shown.get(0));
        assertThat(refused.out().lines()).as(refused.err()).contains(shown.get(1));
    }

    @Test
    void theCheckPhraseOfTheDocsIsWhatCheckPrints() throws IOException {
        Matcher m = Pattern.compile("\\(\"(source \\S+ is allowed by allow: [^\"]+)\"\\)").matcher(section().replace("\n", " "));
        assertThat(m.find()).isTrue();
        Cli v = Cli.run("check", "-v", "examples/home.yaml");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).contains(m.group(1));
    }
}
