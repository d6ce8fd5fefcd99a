package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anyloop __complete}: names for Tab, also from files with errors; silent and exit 0 on anything unreadable. */
class CompleteCommandTest {
    @Test
    void namesOfEachKind() {
        assertThat(Cli.run("__complete", "host", "examples/home.yaml").out().lines())
                .containsExactly("isp", "router", "desktop", "laptop", "pi1", "pi2", "cam");
        assertThat(Cli.run("__complete", "service", "examples/home.yaml").out().lines()).contains("dns", "ghost");
        assertThat(Cli.run("__complete", "segment", "examples/home.yaml").out().lines()).contains("lan");
        // loopbacks are offered without their /32, as --to takes them
        assertThat(Cli.run("__complete", "address", "examples/home.yaml").out().lines()).contains("10.53.0.53", "10.255.0.1")
                .noneMatch(a -> a.contains("/"));
    }

    @Test
    void aFileWithErrorsStillOffersItsNames(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("n.yaml"), "hosts:\n  a: { interfaces: { eth0: { segment: nowhere } } }\n  b:\n"
                + "services:\n  web: { addresses: [10.1.1.1/32], hosts: [c] }\n");
        assertThat(Cli.run("validate", f.toString()).exit()).isEqualTo(2);
        assertThat(Cli.run("__complete", "host", f.toString()).out().lines()).containsExactly("a", "b");
        assertThat(Cli.run("__complete", "address", f.toString()).out().lines()).containsExactly("10.1.1.1");
    }

    @Test
    void unreadableInputPrintsNothingAndExitsZero(@TempDir Path dir) throws IOException {
        for (Path f : new Path[] {dir.resolve("missing.yaml"), dir, Files.writeString(dir.resolve("bad.yaml"), "hosts: [\n"),
            Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n"), Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff})}) {
            Cli c = Cli.run("__complete", "host", f.toString());
            assertThat(c.exit()).as(f.toString()).isZero();
            assertThat(c.out() + c.err()).as(f.toString()).isEmpty();
        }
    }

    @Test
    void hiddenFromHelp() {
        assertThat(Cli.run("--help").out()).doesNotContain("__complete").contains("trace");
    }
}
