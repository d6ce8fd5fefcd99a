package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trace and reach on a snapshot of live hosts (real captures), and clear errors for broken snapshots. */
class SnapshotInputTest {
    static final Path REAL = Path.of("src/test/resources/snapshot/real");

    @Test
    void traceReadsALiveSnapshot() {
        Cli t = Cli.run("trace", "--snapshot", REAL.toString(), "--from", "router", "--to", "fd00:53::1");
        assertThat(t.exit()).as(t.out() + t.err()).isZero();
        assertThat(t.out()).contains("router:").contains("table local").contains("verdict: REACHABLE");
    }

    @Test
    void brokenSnapshotFilesAreNamedWithTheJsonPathOrLine(@TempDir Path dir) throws IOException {
        Path snap = copy(dir.resolve("a"));
        Files.writeString(snap.resolve("peer/ip-route.json"), "[{\"dst\":\"10.0.0.0/99\",\"dev\":\"vb0\"}]");
        Cli r = Cli.run("reach", "--snapshot", snap.toString(), "--matrix");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("peer/ip-route.json: [0].dst");

        Path snap2 = copy(dir.resolve("b"));
        Files.writeString(snap2.resolve("router/iptables.rules"), "*filter\n:INPUT ACCEPT [0:0]\n-A NOPE -j DROP\nCOMMIT\n");
        Cli r2 = Cli.run("reach", "--snapshot", snap2.toString(), "--matrix");
        assertThat(r2.exit()).isEqualTo(2);
        assertThat(r2.err()).contains("router/iptables.rules:3:");

        Path snap3 = copy(dir.resolve("c"));
        Files.delete(snap3.resolve("peer/ip-addr.json"));
        Cli r3 = Cli.run("reach", "--snapshot", snap3.toString(), "--matrix");
        assertThat(r3.exit()).isEqualTo(2);
        assertThat(r3.err()).contains("peer/ip-addr.json: this file is required and is missing");
    }

    @Test
    void unknownHostAndUnknownAddressInASnapshotQuery() {
        Cli h = Cli.run("trace", "--snapshot", REAL.toString(), "--from", "nobody", "--to", "fd00:53::1");
        assertThat(h.exit()).isEqualTo(2);
        assertThat(h.err()).contains("unknown host 'nobody'");
        Cli a = Cli.run("reach", "--snapshot", REAL.toString(), "--from", "router", "--to", "192.0.2.99");
        assertThat(a.exit()).isEqualTo(2);
        assertThat(a.err()).contains("no host has address 192.0.2.99");
    }

    private static Path copy(Path to) throws IOException {
        try (Stream<Path> all = Files.walk(REAL)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(REAL.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return to;
    }
}
