package dev.anyloop.docgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.Section;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The man pages come from the live picocli model and docs/network-yaml.md, and groff reads them without a warning. */
class ManPagesTest {
    static final String DATE = "2026-01-02";

    @Test
    void everyVisibleCommandHasAPageNamingEachOfItsOptions() {
        Map<String, String> pages = ManPages.render(DocGen.commandSpec(), "9.9", DATE);
        List<CommandSpec> all = new ArrayList<>();
        collect(DocGen.commandSpec(), all);
        assertThat(pages.keySet()).hasSize(all.size()).contains("anyloop.1", "anyloop-trace.1", "anyloop-lab-up.1");
        for (CommandSpec spec : all) {
            String page = pages.get(ManPages.pageName(spec) + ".1");
            assertThat(page).as(spec.qualifiedName()).isNotNull()
                    .startsWith(".TH \"" + ManPages.pageName(spec).toUpperCase().replace("-", "\\-") + "\" 1 \"2026\\-01\\-02\" \"anyloop 9.9\"")
                    .contains(".SH NAME\n" + ManPages.pageName(spec).replace("-", "\\-") + " \\- ");
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) assertThat(page).as(spec.qualifiedName()).contains(Troff.bold(o.longestName()));
            }
        }
        assertThat(pages).doesNotContainKey("anyloop-__complete.1");
        assertThat(pages.get("anyloop.1")).contains(".SH EXIT STATUS\n.TP\n0\nok\n", "\\fBanyloop\\-trace\\fR(1)");
    }

    /** A subcommand another room adds shows up without touching the generator (a name no room uses: rollback is apply's now). */
    @Test
    void aNewSubcommandGetsItsPageByItself() {
        CommandSpec root = DocGen.commandSpec();
        root.addSubcommand("restore-snapshot", new CommandLine(new RestoreSnapshot()));
        Map<String, String> pages = ManPages.render(root, "9.9", DATE);
        assertThat(pages.get("anyloop-restore-snapshot.1")).contains("Undo the last apply", "\\fB\\-\\-to\\fR=\\fISNAPSHOT\\fR");
        assertThat(pages.get("anyloop.1")).contains("\\fBanyloop\\-restore\\-snapshot\\fR(1)");
        assertThat(Completion.bash(root)).contains("['anyloop restore-snapshot --to']='other'");
    }

    @Command(name = "restore-snapshot", description = "Undo the last apply. Restores the snapshot taken before it.")
    static final class RestoreSnapshot implements Runnable {
        @Option(names = "--to", paramLabel = "SNAPSHOT", description = "the snapshot to restore")
        String to;

        @Override
        public void run() { }
    }

    @Test
    void networkYamlPageHasEveryHeadingAndEveryKeyTheLoaderAccepts() throws IOException {
        String md = Files.readString(Path.of("docs/network-yaml.md"), StandardCharsets.UTF_8);
        String page = MarkdownMan.render(md, "network.yaml", 5, "9.9", DATE);
        assertThat(page).startsWith(".TH \"NETWORK.YAML\" 5 ").contains(".SH NAME\nnetwork.yaml \\- ", ".SH DESCRIPTION\n");
        md.lines().filter(l -> l.startsWith("## ")).forEach(h -> assertThat(page).contains(".SH " + h.substring(3).toUpperCase()));
        for (Section s : Section.values()) {
            for (String key : s.keys()) {
                assertThat(md).as("docs/network-yaml.md documents %s key '%s'", s, key).containsPattern("\\b" + key + ":");
                assertThat(page).as("network.yaml(5) shows %s key '%s'", s, key).contains(Troff.literal(key + ":"));
            }
        }
    }

    @Test
    void markdownConstructsBecomeTroff() {
        String md = "# x.conf \u2014 a file\n\nSome `--code` and *it* and **bold**, a [link](https://example.org/) and [doc](docs/a.md).\n\n"
                + "## Keys\n\n- one\n  - nested `.dot`\n- two\n\n1. first\n2. second\n\n```\n.starts with dot\n\\back\n```\n\n"
                + "| a | b |\n|---|---|\n| `k` | v \u2192 w |\n\n### Sub\n\n.para\n";
        String page = MarkdownMan.render(md, "x.conf", 5, "1", DATE);
        assertThat(page).contains(".SH NAME\nx.conf \\- a file\n", "Some \\fB\\-\\-code\\fR and \\fIit\\fR and \\fBbold\\fR",
                "a link <https://example.org/> and doc.", ".SH KEYS", ".IP \\(bu 2\none\n.RS 2\n.IP \\(bu 2\nnested \\fB.dot\\fR\n.RE",
                ".IP 1. 4\nfirst", ".nf\n\\&.starts with dot\n\\eback\n.fi", ".TP\n\\fB\\fBk\\fR\\fR\nv \\[u2192] w", ".SS Sub",
                ".PP\n\\&.para");
    }

    @Test
    void groffReadsEveryPageWithoutAWarning(@TempDir Path dir) throws IOException, InterruptedException {
        Map<String, String> files = DocGen.files(DATE, Files.readString(Path.of("docs/network-yaml.md"), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!f.getKey().startsWith("man")) continue;
            Path p = dir.resolve(f.getKey().replace('/', '_'));
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            // what lintian runs (man(1) with groff warnings on); man-db is in .ci/packages
            Process man = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", p.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String warnings = new String(man.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(man.waitFor()).as(f.getKey()).isZero();
            assertThat(warnings).as(f.getKey()).isEmpty();
        }
    }

    private static void collect(CommandSpec spec, List<CommandSpec> out) {
        out.add(spec);
        for (CommandLine sub : ManPages.visibleSubcommands(spec)) collect(sub.getCommandSpec(), out);
    }
}
