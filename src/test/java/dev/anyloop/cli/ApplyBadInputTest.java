package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.apply.LiveHost;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to apply: a clear message, exit 2, and the host exactly as it was. */
@Tag("root")
class ApplyBadInputTest {
    private static final String FILE = "examples/home.yaml";
    private static final DeviceState PI1 = pi1();

    @TempDir
    Path tmp;

    private static DeviceState pi1() {
        try {
            return Compiler.compile(IntentLoader.load(Path.of(FILE))).host("pi1").orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String[] apply(LiveHost h, String... more) {
        List<String> a = new ArrayList<>(List.of("apply", FILE, "--host", "pi1", "--netns", h.ns, "--state-dir", tmp.resolve("state").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static void refused(Cli c, String... says) {
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(2);
        assertThat(c.out() + c.err()).contains(says);
    }

    @Test
    void anUnknownHostIsNamedWithASuggestion() {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            refused(Cli.run("apply", FILE, "--host", "pi3", "--netns", h.ns, "--state-dir", tmp.toString()), "no host 'pi3'", "did you mean");
            assertThat(h.everything()).isEqualTo(before);
        }
    }

    @Test
    void aMissingNamespaceIsNamed() {
        refused(Cli.run("apply", FILE, "--host", "pi1", "--netns", "ap-not-there", "--state-dir", tmp.toString()),
                "no network namespace 'ap-not-there'");
        refused(Cli.run("diff", FILE, "--host", "pi1", "--netns", "../etc", "--state-dir", tmp.toString()), "Invalid namespace name '../etc'");
    }

    @Test
    void aHostWithoutItsInterfaceAddressIsRefusedWithTheDiff() {
        try (LiveHost h = LiveHost.forState(PI1)) {
            h.sh("ip", "addr", "del", "192.168.1.53/24", "dev", "eth0");
            String before = h.everything();
            Cli c = Cli.run(apply(h));
            refused(c, "expected but missing", "! address 192.168.1.53/24 on eth0", "the host's network manager", "nothing was changed",
                    "+ 10.53.0.53/32 dev lo");
            assertThat(h.everything()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ half a file", "{\"schema\": 7}"})
    void aCorruptOrNewerStateFileIsRefused(String text) throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            Path file = tmp.resolve("state").resolve("netns-" + h.ns).resolve("state.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            String before = h.everything();
            Cli c = Cli.run(apply(h));
            refused(c, "state file " + file, "nothing was changed", text.startsWith("{\"schema") ? "newer anyloop (schema 7" : "is corrupt: not JSON");
            assertThat(h.everything()).isEqualTo(before);
            assertThat(Files.readString(file)).isEqualTo(text);
        }
    }

    /** A PATH holding the tools apply uses but {@code absent}, so the child sees exactly that tool missing. */
    private Path pathWithout(String absent) throws Exception {
        Path bin = tmp.resolve("bin-without-" + absent);
        Files.createDirectories(bin);
        for (String t : List.of("sh", "nsenter", "ip", "iptables-save", "ip6tables-save", "iptables-restore", "ip6tables-restore", "sysctl", "nft",
                "setsid", "mkdir", "ln", "kill", "touch", "sleep", "false", "date", "mv", "cat")) {
            if (t.equals(absent)) continue;
            for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
                if (new File(dir, t).canExecute()) {
                    Files.createSymbolicLink(bin.resolve(t), Path.of(dir, t));
                    break;
                }
            }
        }
        return bin;
    }

    private Cli child(Map<String, String> env, List<String> prefix, String... args) throws Exception {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(ChildCli.java(List.of(), List.of(args)));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables-restore", "ip", "nft"})
    void aMissingToolIsNamedBeforeAnythingChanges(String tool) throws Exception {
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            String[] args = tool.equals("nft") ? apply(h, "--backend", "nft") : apply(h);
            Cli c = child(Map.of("PATH", pathWithout(tool).toString()), List.of(), args);
            refused(c, tool.equals("ip") ? "ip is not installed" : tool + " is not installed on network namespace " + h.ns, "nothing was changed");
            assertThat(h.everything()).isEqualTo(before);
        }
    }

    @Test
    void notRootIsToldSoAndNothingChanges() throws Exception {
        // the child runs as nobody, so it needs a class path nobody can read: copy it
        Path cp = tmp.resolve("cp");
        Files.createDirectories(cp);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            Path dst = cp.resolve(i++ + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path d = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(d);
                        else Files.copy(p, d);
                    }
                }
            } else if (Files.exists(src)) {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        try (var walk = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (LiveHost h = LiveHost.forState(PI1)) {
            String before = h.everything();
            List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(File.pathSeparator, entries),
                    "dev.anyloop.cli.Main"));
            argv.addAll(List.of(apply(h)));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("needs root", "nothing was changed");
            assertThat(h.everything()).isEqualTo(before);
        }
    }
}
