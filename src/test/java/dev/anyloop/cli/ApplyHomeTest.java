package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.Probe;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * examples/home.yaml applied host by host with {@code anyloop apply --netns} into namespaces that hold only
 * what each host's network manager and Docker would (made by the lab), then proven with real probes; applied
 * again with no change; drained and undrained on the router.
 */
@Tag("root")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyHomeTest {
    private static final String FILE = "examples/home.yaml";
    private static final List<String> HOSTS = List.of("isp", "router", "desktop", "laptop", "pi1", "pi2", "cam");
    private static final Probe DNS = new Probe.Dns(Ip.parse("10.53.0.53"), 53);
    private static Lab lab;
    private static Path state;

    @BeforeAll
    static void prepare() throws Exception {
        Network n = Compiler.compile(IntentLoader.load(Path.of(FILE)));
        state = Files.createTempDirectory("ap-home-state");
        lab = Lab.prepare(LabPlan.of("aphome", n), n, Backend.IPTABLES);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) lab.close();
        dev.anyloop.os.RunDirs.deleteTree(state);
    }

    private static Cli apply(String host, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("apply", FILE, "--host", host, "--netns", lab.plan().namespaceOf(host),
                "--state-dir", state.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String[] on(String cmd, String host, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(cmd, FILE));
        args.addAll(List.of(more));
        args.addAll(List.of("--host", host, "--netns", lab.plan().namespaceOf(host), "--state-dir", state.toString()));
        return args.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void beforeApplyOnlyTheNetworkManagersPartIsThere() {
        // interfaces and gateways: the laptop reaches the router, but no service address is anywhere yet
        assertThat(lab.probe("laptop", new Probe.Icmp(Ip.parse("192.168.1.1"))).reachable()).isTrue();
        assertThat(lab.probe("laptop", DNS).reachable()).isFalse();
        Cli d = Cli.run(on("diff", "pi1"));
        assertThat(d.exit()).as(d.out() + d.err()).isEqualTo(1);
        assertThat(d.out()).contains("+ 10.53.0.53/32 dev lo", "firewall:", "sysctls:");
    }

    @Test
    @Order(2)
    void everyHostAppliedThenTheHowToHoldsForRealPackets() {
        for (String h : HOSTS) {
            Cli a = apply(h);
            assertThat(a.exit()).as(h + ": " + a.out() + a.err()).isZero();
            assertThat(a.out()).as(h).contains("applied");
        }
        lab.startServices();
        assertThat(lab.probe("laptop", new Probe.Tcp(Ip.parse("10.10.10.10"), 80)).answeredBy()).isEqualTo("desktop"); // T1/T2
        assertThat(lab.probe("cam", new Probe.Tcp(Ip.parse("10.10.10.10"), 80)).reachable()).isFalse(); // T3
        assertThat(lab.probe("laptop", new Probe.Icmp(Ip.parse("10.10.10.10"))).reachable()).isTrue(); // T4
        assertThat(lab.probe("laptop", new Probe.Tcp(Ip.parse("10.10.10.20"), 80)).answeredBy()).isEqualTo("desktop-ghost"); // T5
        assertThat(lab.probe("cam", new Probe.Tcp(Ip.parse("10.10.10.20"), 80)).reachable()).isFalse();
        assertThat(lab.probe("laptop", new Probe.Dns(Ip.parse("10.53.0.1"), 53)).answeredBy()).isEqualTo("router"); // T6
        assertThat(lab.probe("laptop", new Probe.Dns(Ip.parse("192.168.1.1"), 53)).reachable()).isFalse();
        assertThat(lab.probe("laptop", DNS).answeredBy()).isEqualTo("pi1"); // T7
        assertThat(lab.probe("router", new Probe.Tcp(Ip.parse("192.168.1.53"), 443)).answeredBy()).isEqualTo("pi1"); // T8
        assertThat(lab.exec("pi1", List.of("ss", "-Htan")).out()).contains("10.255.0.1:");
    }

    @Test
    @Order(3)
    void aSecondApplyChangesNothingAndSaysSo() throws Exception {
        for (String h : HOSTS) {
            Cli a = apply(h, "--json");
            assertThat(a.exit()).as(h + a.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(a.out());
            assertThat(j.get("changed").asBoolean()).as(h + ": " + a.out()).isFalse();
            assertThat(j.get("changes")).as(h).isEmpty();
            assertThat(Cli.run(on("diff", h)).exit()).as(h).isZero();
        }
        assertThat(apply("router").out()).contains("in sync, no changes").contains("no changes");
    }

    @Test
    @Order(4)
    void drainMovesTheAnswerToTheBackupAndApplyKeepsItDrained() {
        Cli d = Cli.run(on("drain", "router", "dns", "pi1"));
        assertThat(d.exit()).as(d.out() + d.err()).isZero();
        assertThat(d.out()).contains("- 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1", "drained dns via pi1 on router");
        assertThat(lab.probe("laptop", DNS).answeredBy()).isEqualTo("pi2");
        Cli diff = Cli.run(on("diff", "router"));
        assertThat(diff.exit()).isZero();
        assertThat(diff.out()).contains("drained: dns via pi1");
        // apply never undoes a drain
        Cli again = apply("router");
        assertThat(again.out()).contains("no changes");
        assertThat(lab.probe("laptop", DNS).answeredBy()).isEqualTo("pi2");
    }

    @Test
    @Order(5)
    void drainingTheLastHostIsRefusedWithTheClientsThatWouldLoseIt() {
        Cli d = Cli.run(on("drain", "router", "dns", "pi2"));
        assertThat(d.exit()).as(d.out() + d.err()).isEqualTo(1);
        assertThat(d.out()).contains("these clients would lose dns", "laptop -> udp 10.53.0.53:53", "nothing was changed");
        assertThat(lab.probe("laptop", DNS).answeredBy()).isEqualTo("pi2");
    }

    @Test
    @Order(6)
    void undrainBringsThePrimaryBack() {
        Cli u = Cli.run(on("undrain", "router", "dns", "pi1"));
        assertThat(u.exit()).as(u.out() + u.err()).isZero();
        assertThat(u.out()).contains("+ 10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1");
        assertThat(lab.probe("laptop", DNS).answeredBy()).isEqualTo("pi1");
        assertThat(Cli.run(on("diff", "router")).out()).doesNotContain("drained");
    }
}
