package dev.anyloop.docgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated bash and zsh scripts, run by the real shells (bash and zsh are in .ci/packages) against an
 * {@code anyloop} on PATH that is this build's Main: subcommands, options, enum words, files, and the host, service
 * and address names of the network.yaml on the command line.
 */
class CompletionTest {
    @TempDir
    static Path dir;
    static Path bash;
    static Path zsh;

    @BeforeAll
    static void scripts() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path anyloop = bin.resolve("anyloop");
        Files.writeString(anyloop, "#!/bin/sh\nexec java -cp '" + System.getProperty("java.class.path")
                + "' dev.anyloop.cli.Main \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(anyloop, PosixFilePermissions.fromString("rwxr-xr-x"));
        bash = Files.writeString(dir.resolve("anyloop.bash"), Completion.bash(DocGen.commandSpec()));
        zsh = Files.writeString(dir.resolve("_anyloop"), Completion.zsh(DocGen.commandSpec()));
    }

    /** COMPREPLY for the command line {@code words} with the cursor on word {@code cword}, as bash's complete -F sets them. */
    static List<String> bash(int cword, String... words) throws IOException, InterruptedException {
        StringBuilder w = new StringBuilder();
        for (String s : words) w.append(Completion.quote(s)).append(' ');
        return run("bash", "--norc", "-c", "source " + bash + "; COMP_WORDS=(" + w + "); COMP_CWORD=" + cword
                + "; _anyloop; printf '%s\\n' \"${COMPREPLY[@]}\"");
    }

    /** What the zsh function offers, compadd and _files replaced by stubs that print (CURRENT counts from 1). */
    static List<String> zsh(int current, String... words) throws IOException, InterruptedException {
        StringBuilder w = new StringBuilder();
        for (String s : words) w.append(Completion.quote(s)).append(' ');
        return run("zsh", "-f", "-c", "compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- \"$@\"; };"
                + " _files() { print -r -- \"<files $*>\"; }; compset() { :; };"
                // the function returns 1 when it added nothing, as zsh expects of a completer
                + " words=(" + w + "); CURRENT=" + current + "; source " + zsh + "; true");
    }

    private static List<String> run(String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", dir.resolve("bin") + ":" + env.get("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void bashCompletesSubcommandsOptionsAndWords() throws Exception {
        assertThat(bash(1, "anyloop", "tr")).containsExactly("trace");
        assertThat(bash(2, "anyloop", "lab", "")).contains("up", "down", "probe", "fail").doesNotContain("__complete");
        assertThat(bash(1, "anyloop", "")).doesNotContain("__complete");
        assertThat(bash(2, "anyloop", "trace", "--f")).containsExactly("--from");
        assertThat(bash(4, "anyloop", "export", "examples/home.yaml", "--format", "")).containsExactly("ip-batch", "iptables",
                "nft", "networkd", "sysctl");
        assertThat(bash(4, "anyloop", "lab", "up", "--backend", "n")).containsExactly("nft");
        assertThat(bash(2, "anyloop", "validate", "examples/ho")).containsExactly("examples/home.yaml");
    }

    @Test
    void bashOffersTheNamesOfTheNetworkOnTheCommandLine() throws Exception {
        assertThat(bash(4, "anyloop", "trace", "examples/home.yaml", "--from", ""))
                .containsExactly("isp", "router", "desktop", "laptop", "pi1", "pi2", "cam");
        // the file may come after the option, and bash splits --from=VALUE at '='
        assertThat(bash(4, "anyloop", "trace", "--from", "=", "l", "examples/home.yaml")).containsExactly("laptop");
        assertThat(bash(3, "anyloop", "plan", "examples/campus.yaml", "--host", "")).isNotEmpty().doesNotContain("desktop");
        assertThat(bash(3, "anyloop", "trace", "--to", "10.53", "examples/home.yaml")).containsExactly("10.53.0.1", "10.53.0.53");
        // as typed, with the tilde unexpanded
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.copy(Path.of("examples/home.yaml"), home.resolve("net.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(run("bash", "--norc", "-c", "HOME=" + home + "; source " + bash
                + "; COMP_WORDS=(anyloop trace '~/net.yaml' --from p); COMP_CWORD=4; _anyloop; printf '%s\\n' \"${COMPREPLY[@]}\""))
                .containsExactly("pi1", "pi2");
        // no network.yaml on the line: nothing to offer, and no error printed into the line
        assertThat(bash(3, "anyloop", "trace", "--from", "")).isEmpty();
        assertThat(bash(3, "anyloop", "trace", "--from", "", "missing.yaml")).isEmpty();
    }

    @Test
    void zshCompletesTheSameWay() throws Exception {
        Path home = Files.createDirectories(dir.resolve("zhome"));
        Files.copy(Path.of("examples/home.yaml"), home.resolve("net.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(run("zsh", "-f", "-c", "HOME=" + home + "; compadd() { shift; print -rl -- \"$@\"; };"
                + " words=(anyloop trace '~/net.yaml' --from p); CURRENT=5; source " + zsh)).containsExactly(
                "isp", "router", "desktop", "laptop", "pi1", "pi2", "cam"); // compadd filters by the prefix itself
        // compadd gets every subcommand of the model (it filters by the typed prefix itself)
        assertThat(zsh(2, "anyloop", "tr")).containsExactlyElementsOf(ManPages.visibleSubcommands(DocGen.commandSpec()).stream()
                .map(c -> c.getCommandSpec().name()).toList()).contains("trace");
        assertThat(zsh(5, "anyloop", "trace", "examples/home.yaml", "--from", "")).containsExactly("isp", "router", "desktop",
                "laptop", "pi1", "pi2", "cam");
        assertThat(zsh(3, "anyloop", "trace", "--from=l", "examples/home.yaml")).contains("laptop");
        assertThat(zsh(5, "anyloop", "export", "examples/home.yaml", "--format", "")).containsExactly("ip-batch", "iptables",
                "nft", "networkd", "sysctl");
        assertThat(zsh(3, "anyloop", "validate", "")).containsExactly("<files >");
        assertThat(zsh(3, "anyloop", "trace", "--")).contains("--from", "--snapshot", "--help");
    }
}
