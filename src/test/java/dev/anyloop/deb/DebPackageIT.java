package dev.anyloop.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The .deb the build made (target/anyloop_*.deb, by packaging/build-deb in the package phase), installed on this
 * machine with apt-get and removed again with dpkg: lintian clean, the launcher, the examples, man pages, completion,
 * schema, units and route protocol name in place, and nothing of it left afterwards. Root: it installs into the
 * machine itself (failsafe runs it after package, in -Pall).
 */
@Tag("root")
class DebPackageIT {
    record Run(int exit, String out) { }

    static Run run(String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    static Run ok(String... argv) throws IOException, InterruptedException {
        Run r = run(argv);
        assertThat(r.exit()).as(String.join(" ", argv) + "\n" + r.out()).isZero();
        return r;
    }

    static Path deb() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("anyloop_.*_all\\.deb")).toList();
            assertThat(debs).as("the package phase builds exactly one target/anyloop_*_all.deb").hasSize(1);
            return debs.get(0).toAbsolutePath();
        }
    }

    @Test
    void lintianFindsNoErrorOrWarning() throws Exception {
        Run r = run("lintian", "--fail-on", "error,warning", "--no-tag-display-limit", deb().toString());
        assertThat(r.out().lines().filter(l -> l.matches("[EW]: .*"))).as(r.out()).isEmpty();
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void everyLibraryInTheJarIsNamedInTheCopyrightFile() throws Exception {
        String copyright = Files.readString(Path.of("packaging/copyright"), StandardCharsets.UTF_8);
        // written by maven-dependency-plugin in prepare-package: group:artifact:type:version per line
        List<String> bundled = Files.readAllLines(Path.of("target/runtime-dependencies.txt"), StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(l -> l.matches("[^:\\s]+:[^:\\s]+:jar:.*")).map(l -> l.split(":")[1]).toList();
        assertThat(bundled).contains("picocli", "snakeyaml-engine");
        for (String artifact : bundled) assertThat(copyright).as("packaging/copyright names %s", artifact).contains(artifact);
    }

    @Test
    void installsWorksAndRemovesCleanly() throws Exception {
        Path deb = deb();
        if (run("dpkg-query", "-W", "anyloop").exit() == 0) ok("dpkg", "--purge", "anyloop"); // left by a killed run
        List<String> files = new ArrayList<>();
        List<String> conffiles;
        try {
            ok("apt-get", "install", "-y", "-q", deb.toString());
            for (String f : ok("dpkg", "-L", "anyloop").out().split("\n")) {
                // files and links to files: not directories, nor the merged-/usr links to them (/lib -> usr/lib)
                Path p = Path.of(f);
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p) && !Files.isDirectory(p)) {
                    files.add(f);
                }
            }
            conffiles = ok("dpkg-query", "-W", "-f=${Conffiles}", "anyloop").out().lines().map(String::trim)
                    .filter(l -> !l.isEmpty()).map(l -> l.split(" ")[0]).toList();
            installed(conffiles);
            ok("dpkg", "-r", "anyloop");
            // dpkg -r keeps conffiles by design (the administrator's edits survive); everything else is gone
            for (String f : files) {
                assertThat(Files.exists(Path.of(f), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .as("%s after dpkg -r", f).isEqualTo(conffiles.contains(f));
            }
            ok("dpkg", "--purge", "anyloop");
            for (String f : files) assertThat(Path.of(f)).as("%s after dpkg --purge", f).doesNotExist();
            assertThat(run("dpkg-query", "-W", "anyloop").exit()).as("dpkg knows nothing of anyloop").isNotZero();
            assertThat(Path.of("/usr/share/doc/anyloop")).doesNotExist();
            assertThat(Path.of("/usr/share/anyloop")).doesNotExist();
        } finally {
            if (run("dpkg-query", "-W", "anyloop").exit() == 0) run("dpkg", "--purge", "anyloop");
        }
    }

    private static void installed(List<String> conffiles) throws Exception {
        String version = System.getProperty("anyloop.project.version");
        assertThat(ok("anyloop", "--version").out().trim()).matches("anyloop \\Q" + version + "\\E \\(commit ([0-9a-f]{7}|unknown)\\)");
        assertThat(ok("anyloop", "validate", "/usr/share/doc/anyloop/examples/home.yaml").out()).contains(": ok (");
        assertThat(ok("man", "-w", "anyloop").out().trim()).isEqualTo("/usr/share/man/man1/anyloop.1.gz");
        assertThat(ok("man", "-w", "anyloop-trace").out().trim()).isEqualTo("/usr/share/man/man1/anyloop-trace.1.gz");
        assertThat(ok("man", "-w", "5", "network.yaml").out().trim()).isEqualTo("/usr/share/man/man5/network.yaml.5.gz");
        assertThat(ok("sh", "-c", "MANWIDTH=80 man anyloop-validate | head -20").out()).contains("anyloop-validate", "FILE");

        // bash-completion loads the script on demand, as an interactive shell would on the first Tab
        String tab = ok("bash", "-c", "source /usr/share/bash-completion/bash_completion; _completion_loader anyloop;"
                + " complete -p anyloop; COMP_WORDS=(anyloop tr); COMP_CWORD=1; _anyloop; echo \"tr: ${COMPREPLY[*]}\";"
                + " COMP_WORDS=(anyloop trace /usr/share/doc/anyloop/examples/home.yaml --from ''); COMP_CWORD=4; _anyloop;"
                + " echo \"from: ${COMPREPLY[*]}\"").out();
        assertThat(tab).contains("complete -F _anyloop anyloop", "tr: trace\n").containsPattern("from: .*\\brouter\\b");
        ok("zsh", "-n", "/usr/share/zsh/vendor-completions/_anyloop");
        assertThat(zshTab("anyloop tr", "anyloop trace")).contains("anyloop trace");
        String home = "anyloop trace /usr/share/doc/anyloop/examples/home.yaml --from ";
        assertThat(zshTab(home + "r", home + "router")).contains(home + "router");

        // the examples' modeline "$schema=../schema/network.schema.json" resolves in the installed tree too
        Path schema = Path.of("/usr/share/doc/anyloop/examples/../schema/network.schema.json");
        assertThat(Files.readString(schema)).isEqualTo(Files.readString(Path.of("schema/network.schema.json")));
        assertThat(Files.readAllLines(Path.of("/usr/share/doc/anyloop/examples/home.yaml")).get(0))
                .isEqualTo("# yaml-language-server: $schema=../schema/network.schema.json");

        try (Stream<Path> s = Files.list(Path.of("packaging"))) {
            for (Path unit : s.filter(p -> p.toString().matches(".*\\.(service|timer|socket|path|target)")).toList()) {
                assertThat(Path.of("/lib/systemd/system").resolve(unit.getFileName())).hasSameTextualContentAs(unit);
            }
        }
        assertThat(conffiles).contains("/etc/iproute2/rt_protos.d/anyloop.conf");
        protoNameResolves();
    }

    /**
     * Whether an interactive zsh completes {@code typed} + Tab to a line containing {@code expected}: a zsh in a
     * pseudo-terminal (zpty) with compinit, which finds _anyloop in /usr/share/zsh/vendor-completions on Debian's
     * default fpath. Waits up to 10 s for the screen to show it.
     */
    private static String zshTab(String typed, String expected) throws Exception {
        Path script = Files.createTempFile("dbzsh", ".zsh");
        try {
            Files.writeString(script, String.join("\n",
                    "zmodload zsh/zpty",
                    "zpty z 'zsh -f -i'",
                    // no beep: zsh rings the bell (BEL, ^G) into the echoed line while it completes
                    "zpty -w z 'PS1=\"> \"; unsetopt beep; autoload -U compinit; compinit -u -D'",
                    "zpty -n -w z " + shQuote(typed) + "$'\\t'",
                    "all=",
                    "for i in {1..100}; do",
                    "  zpty -r -t z chunk 2>/dev/null && all+=$chunk",
                    "  [[ ${${all##*compinit -u -D}//$'\\a'/} == *" + shQuote(expected) + "* ]] && break",
                    "  sleep 0.1",
                    "done",
                    "print -r -- ${${all##*compinit -u -D}//$'\\a'/}",
                    "zpty -d z", ""));
            return ok("timeout", "30", "zsh", "-f", script.toString()).out();
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String shQuote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    /** iproute2 reads rt_protos.d: a proto 77 route prints as "proto anyloop", in a namespace of this test's own. */
    private static void protoNameResolves() throws Exception {
        String ns = "dbproto";
        run("ip", "netns", "del", ns);
        try {
            ok("ip", "netns", "add", ns);
            ok("ip", "-n", ns, "link", "set", "lo", "up");
            ok("ip", "-n", ns, "route", "add", "10.99.0.0/24", "dev", "lo", "proto", "77");
            // the name works both ways: as a filter (which ip then leaves out of its output) and when printing
            assertThat(ok("ip", "-n", ns, "route", "show", "proto", "anyloop").out()).startsWith("10.99.0.0/24 dev lo");
            assertThat(ok("ip", "-n", ns, "route", "show", "10.99.0.0/24").out()).contains("10.99.0.0/24 dev lo proto anyloop");
        } finally {
            run("ip", "netns", "del", ns);
        }
    }
}
