package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.apply.Backend;
import dev.anyloop.bgp.Bgp;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.LabWatch;
import dev.anyloop.lab.Probe;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Health-driven BGP failover in the kernel (issue 12, item 5): examples/anycast.yaml with a health: section, BIRD in
 * every namespace and {@code anyloop watch} on every server ({@code lab watch}). dns-a1's DNS daemon dies: its own
 * watch sees its check fail and disables its announcement through birdc, nobody runs {@code --withdraw}; ra's kernel
 * then holds exactly the simulator's routes without dns-a1, and client-a is answered by dns-a2, over IPv4 and IPv6.
 * The daemon comes back: after {@code rise} good checks watch announces again and client-a is answered by dns-a1.
 */
@Tag("root")
class BgpWatchTest {
    private static final String LAB = "bgwatch";
    private static final Path RUN = Path.of("/run/anyloop-lab/" + LAB);
    /** The check watch runs on each server: the lab's dnsmasq answers whoami.anyloop TXT with its host's name. */
    static final String HEALTH = "\nhealth:\n  services:\n    dns: { check: dns, port: udp/53, query: whoami.anyloop, type: TXT, rcodes: [NOERROR] }\n";

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-" + LAB));
    }

    @Test
    void aServerWhoseCheckFailsWithdrawsItselfAndComesBackAfterRise() throws Exception {
        Path file = Files.createTempFile("anycast-watch", ".yaml");
        Files.writeString(file, Files.readString(Path.of("examples/anycast.yaml")) + HEALTH);
        try {
            Intent intent = IntentLoader.load(file);
            Network n = Compiler.compile(intent);
            LabPlan plan = LabPlan.of(LAB, n);
            try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
                LabBird bird = lab.bird().orElseThrow();
                List<LabWatch.Daemon> watches = LabWatch.start(LAB, file, intent, Duration.ofSeconds(60));
                assertThat(watches).extracting(LabWatch.Daemon::router).containsExactlyInAnyOrder("dns-a1", "dns-a2", "dns-b1", "dns-b2");
                List<Probe> probes = List.of(new Probe.Dns(Ip.parse("10.53.0.53"), 53, false), new Probe.Dns(Ip.parse("fd53::53"), 53, false));
                for (Probe p : probes) assertThat(lab.probe("client-a", p).answeredBy()).isEqualTo("dns-a1");
                Path log = RUN.resolve("watch-dns-a1.log");

                // the service dies, the server stays up: only its own check can tell
                long pid = Long.parseLong(Files.readString(RUN.resolve("dns-a1-dnsmasq.pid")).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                Set<Bgp.Announcement> withdrawn = Set.of(new Bgp.Announcement("dns-a1", "dns"));
                bird.awaitRoutes(n, withdrawn, LabBird.CONVERGE);
                for (Probe p : probes) assertThat(lab.probe("client-a", p).answeredBy()).as(p.toString()).isEqualTo("dns-a2");
                assertThat(bird.birdc("dns-a1").announcements().get("dns")).containsEntry(Family.V4, false).containsEntry(Family.V6, false);
                assertThat(bird.birdc("dns-a2").announced()).containsExactly("dns");
                String events = RunDirs.read(log).orElse("");
                assertThat(events).contains("event=withdrawn service=dns address=10.53.0.53 host=dns-a1")
                        .contains("event=withdrawn service=dns address=fd53::53 host=dns-a1").doesNotContain("event=alarm");

                // it comes back: rise good checks, the announcement is enabled again, dns-a1 wins again (MED 0)
                lab.listen("dns-a1", n.host("dns-a1").orElseThrow().listeners().stream().filter(l -> l.port() == 53).toList());
                bird.awaitRoutes(n, LabBird.CONVERGE);
                for (Probe p : probes) assertThat(lab.probe("client-a", p).answeredBy()).as(p.toString()).isEqualTo("dns-a1");
                assertThat(bird.birdc("dns-a1").announced()).containsExactly("dns");
                assertThat(RunDirs.read(log).orElse("")).contains("event=restored service=dns address=10.53.0.53 host=dns-a1")
                        .contains("event=restored service=dns address=fd53::53 host=dns-a1");
                // the other servers' watches changed nothing
                for (String h : List.of("dns-a2", "dns-b1", "dns-b2")) {
                    assertThat(RunDirs.read(RUN.resolve("watch-" + h + ".log")).orElse("")).doesNotContain("event=withdrawn");
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
