package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** validate, plan and export through the real command line: exit codes, messages, and nothing written on errors. */
class ConfigCommandsTest {
    static Stream<Path> badFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/bad"))) {
            return s.sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void everyBadFileExitsTwoWithPositionedErrors(Path bad, @TempDir Path out) {
        Cli v = Cli.run("validate", bad.toString());
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.out()).isEmpty();
        assertThat(v.err().lines().filter(l -> !l.endsWith("nothing was changed")))
                .isNotEmpty().allMatch(l -> l.matches("\\Q" + bad + "\\E:\\d+:\\d+: .+"), "file:line:col: message");
        Path dir = out.resolve("export");
        Cli e = Cli.run("export", bad.toString(), "--host", "router", "--format", "nft", "--out", dir.toString());
        assertThat(e.exit()).isEqualTo(2);
        assertThat(dir).doesNotExist();
    }

    @Test
    void validateGoodExamples() {
        Cli v = Cli.run("validate", "examples/home.yaml");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("examples/home.yaml: ok (3 segments, 7 hosts, 5 services, 1 source intents, 18 expectations)");
        assertThat(Cli.run("validate", "examples/campus.yaml").exit()).isZero();
    }

    @Test
    void missingFileAndUsageErrorsExitTwo() {
        Cli v = Cli.run("validate", "no/such/network.yaml");
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err()).contains("no/such/network.yaml:0:0: cannot read file: no such file");
        assertThat(Cli.run("validate").exit()).isEqualTo(2);
        assertThat(Cli.run("frobnicate").exit()).isEqualTo(2);
        Cli f = Cli.run("export", "examples/home.yaml", "--host", "router", "--format", "yaml", "--out", "/tmp/x");
        assertThat(f.exit()).isEqualTo(2);
        assertThat(f.err()).contains("'yaml' is not a format");
    }

    @Test
    void unknownHostSuggestsTheNearestName() {
        Cli p = Cli.run("plan", "examples/home.yaml", "--host", "routr");
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("no host 'routr' in this network (did you mean 'router'?)");
    }

    @Test
    void planShowsEveryTechniqueOfTheHowTo() {
        Cli p = Cli.run("plan", "examples/home.yaml");
        assertThat(p.exit()).isZero();
        String o = p.out();
        // T1: the service address on the desktop's lo
        assertThat(o).contains("ip address replace 10.10.10.10/32 dev lo");
        // T2/T7: router routes, metric-ordered for the two Pis
        assertThat(o).contains("ip route replace 10.10.10.10/32 via 192.168.1.20 dev eth1 proto 77 metric 1")
                .contains("ip route replace 10.53.0.53/32 via 192.168.1.53 dev eth1 proto 77 metric 1")
                .contains("ip route replace 10.53.0.53/32 via 192.168.1.54 dev eth1 proto 77 metric 2");
        // T3: the router's FORWARD restriction; T4: the desktop's chain
        assertThat(o).contains("-A FORWARD -d 10.10.10.10/32 -m comment --comment \"anyloop service web: forwarded to it (T3)\" -j AL-FWD-web")
                .contains("-A AL-FWD-web -i eth1 -m comment --comment \"anyloop service web: allow segments lan\" -j RETURN")
                .contains("-A INPUT -d 10.10.10.10/32 -m comment --comment \"anyloop service web: to 10.10.10.10 (T4)\" -j AL-IN-web")
                .contains("-A AL-PORTS-web -p tcp -m tcp --dport 80 -m comment --comment \"anyloop service web: port tcp/80\" -j ACCEPT")
                .contains("-A AL-PORTS-web -p icmp -m icmp --icmp-type 8 -m comment --comment \"anyloop service web: ping\" -j ACCEPT");
        // T5: Docker's DNAT and anyloop's DOCKER-USER restriction
        assertThat(o).contains("-A DOCKER -d 10.10.10.20/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:2368")
                .contains("-A DOCKER-USER -d 172.17.0.2/32 -o docker0 -m comment --comment \"anyloop service ghost: published to"
                        + " container ghost (T5)\" -j AL-DK-ghost");
        // T6: DNS on the router's loopback; T8: the loopback source toward the LAN
        assertThat(o).contains("T6 service dns-router: sockets bound to 10.53.0.1 only")
                .contains("ip route replace 192.168.1.0/24 dev eth1 proto 2 scope link src 10.255.0.1");
        for (String t : List.of("T1 ", "T2 ", "T2/T7 ", "T3 ", "T4 ", "T5 ", "T6 ", "T8 ")) assertThat(o).contains("#   " + t);
    }

    @Test
    void planGivesADualStackServiceOneFailoverLinePerFamily() {
        // campus.yaml's resolver has 10.53.53.53 and 2001:db8:53::53 on three hosts: an IPv4 route never fails over
        // to an IPv6 next hop, so the plan has two T2/T7 lines, each with only its family's next hops
        Cli p = Cli.run("plan", "examples/campus.yaml", "--host", "core1");
        assertThat(p.exit()).as(p.err()).isZero();
        List<String> lines = p.out().lines().filter(l -> l.startsWith("#   T2/T7 service resolver:")).toList();
        assertThat(lines).containsExactly(
                "#   T2/T7 service resolver: route 10.53.53.53 via 10.1.0.11 metric 1, then 10.1.0.12 metric 2, then 10.1.0.13"
                        + " metric 3 (delete the metric-1 route to fail over)",
                "#   T2/T7 service resolver: route 2001:db8:53::53 via 2001:db8:1::11 metric 1, then 2001:db8:1::12 metric 2,"
                        + " then 2001:db8:1::13 metric 3 (delete the metric-1 route to fail over)");
        assertThat(p.out().lines().filter(l -> l.startsWith("#   T2 service intranet:")).toList()).containsExactly(
                "#   T2 service intranet: route 10.80.0.1 via 10.1.0.21 metric 1",
                "#   T2 service intranet: route 2001:db8:80::1 via 2001:db8:1::21 metric 1");
    }

    @Test
    void planIsPinned() {
        dev.anyloop.render.Golden.assertMatches("plan", "home", "txt", Cli.run("plan", "examples/home.yaml").out());
    }

    @Test
    void exportWritesLoadableFiles(@TempDir Path out) throws IOException {
        for (String f : List.of("ip-batch", "iptables", "nft", "networkd", "sysctl")) {
            Cli e = Cli.run("export", "examples/home.yaml", "--host", "router", "--format", f, "--out", out.toString());
            assertThat(e.exit()).as(f).isZero();
        }
        assertThat(out.resolve("router.ip-batch")).content().contains("route replace 10.53.0.53/32 via 192.168.1.54");
        // anyloop's part only, in the form apply loads: its chains declared, its jumps inserted, no built-in chain's policy
        assertThat(out.resolve("router.iptables")).content().startsWith("# anyloop's part of host router").contains("*filter\n:AL-FWD-dns - [0:0]",
                "-I FORWARD 1 -d 10.10.10.10/32 -m comment --comment \"anyloop service web: forwarded to it (T3)\" -j AL-FWD-web", "COMMIT").doesNotContain(":INPUT", ":FORWARD", "-A FORWARD");
        assertThat(out.resolve("router.nft")).content().contains("table inet anyloop {}\ndelete table inet anyloop\ntable inet anyloop {");
        Cli full = Cli.run("export", "examples/home.yaml", "--host", "desktop", "--format", "iptables", "--full", "--out", out.toString());
        assertThat(full.exit()).isZero();
        assertThat(out.resolve("desktop.iptables")).content().startsWith("*nat").contains(":FORWARD DROP [0:0]", "-A DOCKER-USER -j RETURN");
        assertThat(out.resolve("99-anyloop.conf")).content().contains("net.ipv4.ip_forward = 1");
        assertThat(out.resolve("20-anyloop-eth1.network")).exists();
    }

    @Test
    void exportIntoSomethingThatIsNotADirectoryExitsTwo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("q.txt"), "x");
        Cli e = Cli.run("export", "examples/home.yaml", "--host", "router", "--format", "ip-batch", "--out", file.toString());
        assertThat(e.exit()).isEqualTo(2);
        assertThat(e.err()).startsWith("anyloop: cannot write into " + file + ": ");
    }
}
