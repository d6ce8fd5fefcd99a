package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** watch's refusals: each exits 2 with the reason before it reads or changes anything on a host. */
class WatchCommandTest {
    static final String HOME = "examples/home.yaml";

    static String homeWith(String health) throws Exception {
        String home = Files.readString(Path.of(HOME));
        return home.substring(0, home.indexOf("\nhealth:")) + "\n" + health;
    }

    @Test
    void aHostThatDoesNotForward() {
        Cli c = Cli.run("watch", HOME, "--host", "pi1", "--once");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("host pi1 does not forward");
    }

    @Test
    void anUnknownHost() {
        Cli c = Cli.run("watch", HOME, "--host", "ruoter", "--once");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("host 'ruoter' is not defined").contains("did you mean 'router'?");
    }

    @Test
    void aFileWithoutHealth(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, homeWith(""));
        Cli c = Cli.run("watch", f.toString(), "--host", "router", "--once");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("has no health: section");
    }

    @Test
    void aBadHealthSectionIsRefusedWithItsPosition(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, homeWith("health:\n  probe-sources: [10.255.1.0/24]\n  interval: 5ms\n  services:\n    dsn: { check: dns }\n"));
        Cli c = Cli.run("watch", f.toString(), "--host", "router");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).containsPattern("n\\.yaml:\\d+:13: health: interval: 5ms is below the minimum of 10ms")
                .containsPattern("n\\.yaml:\\d+:5: health: services: service 'dsn' is not defined \\(did you mean 'dns'\\?\\)")
                .contains("nothing was changed");
    }

    @Test
    void aProbeSourceCollidingWithAnAddressInUse(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("n.yaml");
        Files.writeString(f, homeWith("health:\n  probe-sources: [10.255.0.0/24]\n"));
        Cli c = Cli.run("watch", f.toString(), "--host", "router");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("probe-sources: 10.255.0.0/24 collides with host router's loopback 10.255.0.1");
    }

    @Test
    void badMetricsAddresses() {
        for (String bad : new String[] {"127.0.0.1:99999", "localhost:9477", "127.0.0.1:", "x"}) {
            Cli c = Cli.run("watch", HOME, "--host", "router", "--metrics", bad);
            assertThat(c.exit()).as(bad).isEqualTo(2);
            assertThat(c.err()).as(bad).contains("Invalid metrics address '" + bad + "'");
        }
    }

    @Test
    void badLogFormat() {
        Cli c = Cli.run("watch", HOME, "--host", "router", "--log-format", "xml");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("Invalid log format 'xml': expected logfmt or json");
    }

    @Test
    void badAndMissingNamespaces() {
        Cli bad = Cli.run("watch", HOME, "--host", "router", "--netns", "../etc");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid namespace name '../etc'");
        Cli missing = Cli.run("watch", HOME, "--host", "router", "--netns", "al-nosuchlab-router");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no network namespace 'al-nosuchlab-router'");
    }

    @Test
    void notRoot() {
        java.util.function.BooleanSupplier was = WatchCommand.root;
        WatchCommand.root = () -> false;
        try {
            Cli c = Cli.run("watch", HOME, "--host", "router");
            assertThat(c.exit()).isEqualTo(2);
            assertThat(c.err()).contains("watch changes routes and needs root (CAP_NET_ADMIN)").contains("nothing was changed");
        } finally {
            WatchCommand.root = was;
        }
    }

    @Test
    void metricsAddressParsing() {
        assertThat(WatchCommand.Address.parse("9477").toString()).isEqualTo("/127.0.0.1:9477");
        assertThat(WatchCommand.Address.parse("0.0.0.0:9100").toString()).isEqualTo("/0.0.0.0:9100");
        assertThat(WatchCommand.Address.parse("[::1]:9100").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }
}
