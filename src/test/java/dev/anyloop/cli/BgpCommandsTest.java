package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The commands on a BGP network: validate, check, trace with the BGP story, export of bird.conf. */
class BgpCommandsTest {
    static Stream<Path> badFiles() throws IOException {
        return Files.list(Path.of("src/test/resources/bad-bgp")).sorted();
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void everyBadBgpFileExitsTwoAndWritesNothing(Path bad, @TempDir Path out) {
        Cli v = Cli.run("validate", bad.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err().lines().filter(l -> !l.endsWith("nothing was changed")))
                .isNotEmpty().allMatch(l -> l.matches("\\Q" + bad + "\\E:\\d+:\\d+: .+"), "file:line:col: message");
        Path dir = out.resolve("export");
        assertThat(Cli.run("export", bad.toString(), "--host", "r1", "--format", "bird", "--out", dir.toString()).exit()).isEqualTo(2);
        assertThat(dir).doesNotExist();
    }

    @Test
    void theAnycastExamplePassesCheck() {
        Cli c = Cli.run("check", "examples/anycast.yaml");
        assertThat(c.exit()).as(c.out()).isZero();
        assertThat(c.out()).contains("0 failed");
        Cli v = Cli.run("check", "-v", "examples/anycast.yaml");
        // every server down in turn: each site's clients keep an answer
        assertThat(v.out()).contains("dns: with dns-a1 down (its routes withdrawn), client-a -> udp 10.53.0.53:53 expected reachable via a backup, reachable (answered by dns-a2)");
        assertThat(v.out()).contains("dns: with dns-b2 down (its routes withdrawn), client-b -> udp [fd53::53]:53 expected reachable via a backup, reachable (answered by dns-b1)");
    }

    @Test
    void traceNamesTheBgpRouteAndWhereItWasLearned() {
        Cli t = Cli.run("trace", "examples/anycast.yaml", "--from", "client-a", "--to", "10.53.0.53", "--proto", "udp", "--port", "53");
        assertThat(t.exit()).isZero();
        assertThat(t.out()).contains("10.53.0.53 via 10.1.1.11 dev srv proto bird metric 1077",
                "bgp best: learned from dns-a1 (AS 4200000000, router id 10.1.1.11) over 'dns-a1.v4' via 10.1.1.11 dev srv [eBGP], AS path 4200000000, MED 0",
                "bgp also: learned from rb (AS 65002, router id 10.255.0.2) over 'rb.v4' via 10.0.0.2 dev core [eBGP], AS path 65002 4200000002, MED none",
                "bgp: the best beat the next by lower MED", "delivered to udp 10.53.0.53:53 (dns)");
    }

    @Test
    void exportWritesTheBirdConfOfABgpHostAndRefusesOthers(@TempDir Path out) throws IOException {
        Cli e = Cli.run("export", "examples/anycast.yaml", "--host", "ra", "--format", "bird", "--out", out.toString());
        assertThat(e.exit()).isZero();
        assertThat(Files.readString(out.resolve("ra.bird.conf"))).isEqualTo(Files.readString(Path.of("src/test/resources/golden/anycast/ra.bird.conf")));
        Cli c = Cli.run("export", "examples/anycast.yaml", "--host", "client-a", "--format", "bird", "--out", out.resolve("x").toString());
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("host client-a does not speak BGP");
        Cli home = Cli.run("export", "examples/home.yaml", "--host", "router", "--format", "bird", "--out", out.resolve("y").toString());
        assertThat(home.exit()).isEqualTo(2);
        assertThat(out.resolve("x")).doesNotExist();
    }

    @Test
    void planAndIpExportsLeaveTheBgpRoutesToBird(@TempDir Path out) throws IOException {
        assertThat(Cli.run("export", "examples/anycast.yaml", "--host", "ra", "--format", "ip-batch", "--out", out.toString()).exit()).isZero();
        assertThat(Files.readString(out.resolve("ra.ip-batch"))).doesNotContain("10.53.0.53").doesNotContain("bird");
    }

    @Test
    void reachAnswersForBgpNetworks() {
        Cli r = Cli.run("reach", "examples/anycast.yaml", "--from", "client-b", "--to", "fd53::53", "--proto", "udp", "--port", "53", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"reachable\":true").contains("dns-b1");
    }

    @Test
    void labBgpOnALabThatIsNotUpSaysSo() {
        Cli b = Cli.run("lab", "bgp", "--name", "bgnone");
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.out()).contains("lab bgnone runs no BIRD (it is not up)");
        assertThat(Cli.run("lab", "bgp", "--name", "Bad_Name").exit()).isEqualTo(2);
    }
}
