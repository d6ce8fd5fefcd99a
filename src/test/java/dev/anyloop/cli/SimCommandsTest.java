package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trace, reach and check through the real command line on the bundled examples. */
class SimCommandsTest {
    @Test
    void traceTellsTheWholeStory() {
        Cli t = Cli.run("trace", "examples/home.yaml", "--from", "laptop", "--to", "10.53.0.53", "--proto", "udp", "--port", "53");
        assertThat(t.exit()).isZero();
        assertThat(t.out()).contains("table main 10.53.0.53/32 metric 1")      // T7: the metric-1 route wins
                .contains("(pi1:eth0)").contains("-- reply --").contains("verdict: REACHABLE");
        Cli refused = Cli.run("trace", "examples/home.yaml", "--from", "cam", "--to", "10.10.10.10", "--proto", "tcp", "--port", "80");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).contains("AL-FWD-web").contains("NOT REACHABLE");
    }

    @Test
    void traceRefusesUnknownHostsAndAddresses() {
        Cli h = Cli.run("trace", "examples/home.yaml", "--from", "laptp", "--to", "10.10.10.10");
        assertThat(h.exit()).isEqualTo(2);
        assertThat(h.err()).contains("unknown host 'laptp' (did you mean 'laptop'?)");
        Cli a = Cli.run("trace", "examples/home.yaml", "--from", "laptop", "--to", "10.99.99.99");
        assertThat(a.exit()).isEqualTo(2);
        assertThat(a.err()).contains("no host has address 10.99.99.99");
        Cli both = Cli.run("trace", "--from", "laptop", "--to", "10.10.10.10");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give either network.yaml or --snapshot DIR");
    }

    @Test
    void reachAnswersOneJsonObjectPerQuery(@TempDir Path dir) throws IOException {
        Path q = dir.resolve("queries.txt");
        Files.write(q, List.of("# from to proto port", "laptop 10.10.10.10 tcp 80", "cam 10.10.10.10 tcp 80", "laptop 10.53.0.53 icmp"));
        Cli r = Cli.run("reach", "examples/home.yaml", "--queries", q.toString(), "--json");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertThat(first.get("from").asText()).isEqualTo("laptop");
        assertThat(first.get("to").asText()).isEqualTo("10.10.10.10");
        assertThat(first.get("proto").asText()).isEqualTo("tcp");
        assertThat(first.get("port").asInt()).isEqualTo(80);
        assertThat(first.get("reachable").asBoolean()).isTrue();
        assertThat(first.get("request").get("steps").size()).isGreaterThan(3);
        JsonNode second = m.readTree(lines.get(1));
        assertThat(second.get("reachable").asBoolean()).isFalse();
        assertThat(second.get("verdict").asText()).isEqualTo("DROPPED");
        assertThat(m.readTree(lines.get(2)).get("port").isNull()).isTrue();
    }

    @Test
    void reachReportsEveryBadQueryLine(@TempDir Path dir) throws IOException {
        Path q = dir.resolve("q.txt");
        Files.write(q, List.of("laptop 10.10.10.10 tcp 80", "nobody 10.10.10.10 tcp 80", "laptop 10.10.10.10 sctp 80",
                "laptop 10.10.10.10 tcp", "laptop 10.0.0.256 icmp", "laptop"));
        Cli r = Cli.run("reach", "examples/home.yaml", "--queries", q.toString(), "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(q + ":2: unknown host 'nobody'")
                .contains(q + ":3: Invalid protocol 'sctp': expected tcp, udp or icmp")
                .contains(q + ":4: tcp needs a port")
                .contains(q + ":5: Invalid IPv4 address '10.0.0.256': octet 256 is over 255")
                .contains(q + ":6: expected 'FROM_HOST DEST_ADDR PROTO [PORT]', found 1 fields");
    }

    @Test
    void matrixShowsWhoReachesWhichLoopback() {
        Cli r = Cli.run("reach", "examples/home.yaml", "--matrix");
        assertThat(r.exit()).isZero();
        String laptopRow = r.out().lines().filter(l -> l.startsWith("laptop ")).findFirst().orElseThrow();
        String camRow = r.out().lines().filter(l -> l.startsWith("cam ")).findFirst().orElseThrow();
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("10.10.10.10");
        assertThat(laptopRow).contains("ok");
        assertThat(camRow.split("\\s+")[1]).as("cam -> first loopback (10.255.0.1 router)").isEqualTo("ok");
    }

    @Test
    void checkPassesOnTheExamples() {
        Cli c = Cli.run("check", "examples/home.yaml");
        assertThat(c.exit()).as(c.out()).isZero();
        assertThat(c.out()).containsPattern("check: \\d+ passed, 0 failed, 1 notes")
                .contains("NOTE T5 desktop: filter INPUT rule 2 (-d 10.10.10.20/32 -j AL-IN-ghost) looks like it hides 10.10.10.20");
        assertThat(Cli.run("check", "examples/campus.yaml").exit()).isZero();
    }

    @Test
    void checkFailsABrokenCopyWithTheTraceThatShowsWhy(@TempDir Path dir) throws IOException {
        // the router stops forwarding: the route to the desktop's loopback is useless (T2)
        String home = Files.readString(Path.of("examples/home.yaml"));
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, home.replace("    forwarding: true", "    forwarding: false"));
        Cli c = Cli.run("check", broken.toString());
        assertThat(c.exit()).isEqualTo(1);
        assertThat(c.out()).contains("FAIL expect line 144: laptop -> tcp 10.10.10.10:80 expected reachable, not reachable: FORWARDING_DISABLED at router")
                .contains("    -- request --");
        // pi1 loses its gateway: no route back to the router's loopback source (T8)
        Path noRouteBack = dir.resolve("t8.yaml");
        Files.writeString(noRouteBack, home.replace("        addresses: [192.168.1.53/24]\n        gateway: 192.168.1.1\n",
                "        addresses: [192.168.1.53/24]\n"));
        Cli t8 = Cli.run("check", noRouteBack.toString());
        assertThat(t8.exit()).isEqualTo(1);
        assertThat(t8.out()).contains("FAIL T8 router -> pi1 (192.168.1.53): expected source 10.255.0.1 and a route back, got source 10.255.0.1, not reachable: NO_NEIGHBOUR at router")
                // the router's ARP request carries its loopback source, and pi1's rp_filter refuses that sender too
                .contains("pi1 holds it but refuses the request from 10.255.0.1");
    }

    @Test
    void matrixWithQueriesIsAUsageError() {
        Cli r = Cli.run("reach", "examples/home.yaml", "--matrix", "--queries", "whatever.txt");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give it without --queries/--from/--to");
    }
}
