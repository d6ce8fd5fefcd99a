package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabGuard;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check --live on a network anyloop never configured: examples/home.yaml's hosts set up by hand (each host's
 * 'anyloop export' files loaded with plain ip -batch, iptables-restore --noflush and sysctl -p, no state file
 * anywhere), with one deliberate hole: pi1 routes the LAN, iot, wan and 10.0.0.0/9 through the router but has no
 * default route, so nothing routes back to the router's T8 source 10.255.0.1. check --live finds exactly that
 * hole, with its trace.
 */
@Tag("root")
class FleetCheckLiveTest {
    private static final String FILE = "examples/home.yaml";
    private static final String LAB = "flhand";
    private static final Netns OS = new Netns(new CommandRunner(Duration.ofSeconds(30)));
    private static Lab lab;
    private static LabGuard guard;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void byHand() throws Exception {
        guard = LabGuard.of(LAB);
        Network n = Compiler.compile(IntentLoader.load(Path.of(FILE)));
        lab = Lab.prepare(LabPlan.of(LAB, n), n, Backend.IPTABLES);
        for (String h : IntentLoader.load(Path.of(FILE)).hosts().keySet()) {
            Path out = tmp.resolve(h);
            for (String format : List.of("ip-batch", "iptables", "sysctl")) {
                Cli e = Cli.run("export", FILE, "--host", h, "--format", format, "--out", out.toString());
                assertThat(e.exit()).as(e.err()).isZero();
            }
            String ns = lab.plan().namespaceOf(h);
            OS.batch(ns, Files.readString(out.resolve(h + ".ip-batch")), false).orThrow();
            OS.exec(ns, List.of("iptables-restore", "--noflush"), Optional.of(Files.readString(out.resolve(h + ".iptables"))), Duration.ofSeconds(30))
                    .orThrow();
            OS.exec(ns, List.of("sysctl", "-q", "-p", out.resolve("99-anyloop.conf").toString())).orThrow();
        }
        OS.batch(lab.plan().namespaceOf("pi1"), "route del default\n"
                + "route add 192.168.20.0/24 via 192.168.1.1 dev eth0\n"
                + "route add 198.51.100.0/24 via 192.168.1.1 dev eth0\n"
                + "route add 10.0.0.0/9 via 192.168.1.1 dev eth0\n", false).orThrow();
        lab.startServices();
    }

    @AfterAll
    static void down() {
        if (guard != null) guard.close();
    }

    @Test
    void findsTheMissingRouteBackForT8WithItsTrace() {
        Cli r = Cli.run("check", FILE, "--live", "--lab", LAB);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("7 hosts read, 0 skipped");
        // the one hole fails the two checks that cover it: the expect: line for T8 and the T8 check itself
        List<String> failures = r.out().lines().filter(l -> l.startsWith("FAIL")).toList();
        assertThat(failures).hasSize(2).allSatisfy(l -> assertThat(l).contains("router -> ", "192.168.1.53", "not reachable"));
        assertThat(failures).anySatisfy(l -> assertThat(l).startsWith("FAIL T8 router -> pi1"));
        // the trace: the router's request leaves from 10.255.0.1, and pi1, with no route back to it, refuses to answer
        assertThat(r.out()).contains("source 10.255.0.1 (route 192.168.1.0/24 has src 10.255.0.1)",
                "pi1 holds it but refuses the request from 10.255.0.1");
        // the same network.yaml compiled passes: the hole is in the live network only
        assertThat(Cli.run("check", FILE).exit()).isZero();
        // and nothing needed a state file: anyloop never configured these hosts
        assertThat(Lab.stateDir(LAB)).doesNotExist();
    }
}
