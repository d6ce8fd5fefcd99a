package dev.anyloop.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks network.yaml implies, on the how-to network: all hold, and each breaks for the right reason. */
class CheckerTest {
    static final Intent HOME = load("examples/home.yaml");

    static Intent load(String f) {
        try {
            return IntentLoader.load(Path.of(f));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCheckOfTheHowToHolds() {
        List<Finding> all = Checker.run(HOME, Compiler.compile(HOME));
        assertThat(all.stream().filter(Finding::failed).map(Finding::line)).isEmpty();
        // each technique is actually checked, not just absent from the failures
        for (String t : List.of("expect", "T2/T4", "T3/T4", "T6", "T7", "T8")) {
            assertThat(all).as(t).anyMatch(f -> f.technique().equals(t) && f.kind() == Finding.Kind.PASS);
        }
        assertThat(all).filteredOn(f -> f.kind() == Finding.Kind.NOTE).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("DNAT'ed by nat DOCKER rule 2 before INPUT runs"));
    }

    /** T6: the how-to's DNS service moved to the wildcard: a warning, and the UDP checks fail with the answer's source. */
    /** The compiler turns send_redirects off on routers; a host that has it on (a snapshot) gets a note for every hairpin. */
    @Test
    void aRouterThatWouldSendRedirectsIsNotedAndTheCompiledOneIsNot() {
        dev.anyloop.state.Network compiled = Compiler.compile(HOME);
        assertThat(Checker.run(HOME, compiled)).noneMatch(f -> f.message().contains("ICMP redirect"));
        dev.anyloop.state.DeviceState.Builder b = compiled.host("router").orElseThrow().toBuilder();
        for (String dev : List.of("all", "default", "eth0", "eth1", "eth2", "lo")) b.sysctl("net.ipv4.conf." + dev + ".send_redirects", "1");
        List<Finding> all = Checker.run(HOME, compiled.with(b.build()));
        List<Finding> notes = all.stream().filter(f -> f.message().contains("ICMP redirect")).toList();
        assertThat(notes).allMatch(f -> f.kind() == Finding.Kind.NOTE && f.technique().equals("T3"));
        assertThat(notes).anyMatch(f -> f.message().startsWith("laptop reaches web 10.10.10.10 through router (192.168.1.1), which forwards it "
                + "back out eth1 to 192.168.1.20 with send_redirects on"));
        // desktop serves 10.10.10.10 itself: it never asks the router for it
        assertThat(notes).noneMatch(f -> f.message().startsWith("desktop reaches web 10.10.10.10"));
        // cam's segment is not the one the router forwards back out of
        assertThat(notes).noneMatch(f -> f.message().startsWith("cam "));
    }

    @Test
    void aWildcardUdpServiceAtALoopbackAddressIsWarnedAboutAndFails() throws Exception {
        String yaml = java.nio.file.Files.readString(Path.of("examples/home.yaml"));
        String moved = yaml.replace("    hosts: [pi1, pi2]\n    allow:", "    hosts: [pi1, pi2]\n    bind: any\n    allow:");
        assertThat(moved).isNotEqualTo(yaml);
        Intent i = dev.anyloop.intent.IntentLoader.parse("home.yaml", moved.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<Finding> all = Checker.run(i, Compiler.compile(i));
        assertThat(all).filteredOn(f -> f.technique().equals("T6") && f.kind() == Finding.Kind.NOTE).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("dns (line ").contains("[udp/53] bound to the wildcard")
                        .contains("10.53.0.53").contains("IP_PKTINFO"));
        assertThat(all).filteredOn(Finding::failed).isNotEmpty().allSatisfy(f -> {
            assertThat(f.message()).contains("udp 10.53.0.53:53");
            assertThat(f.proof().orElseThrow().render()).contains("not from the asked 10.53.0.53");
        });
        // the unchanged file has no such warning
        assertThat(Checker.run(HOME, Compiler.compile(HOME))).noneMatch(f -> f.technique().equals("T6") && f.kind() == Finding.Kind.NOTE);
    }

    @Test
    void theRouterRouteRemovedFailsWithTheTraceThatShowsWhy() {
        Network n = Compiler.compile(HOME);
        DeviceState router = n.host("router").orElseThrow();
        Ip web = Ip.parse("10.10.10.10");
        Network broken = n.with(router.withRoutes(router.routes().stream()
                .filter(r -> !(r.dst().isHost() && r.dst().network().equals(web))).toList()));
        List<Finding> failed = Checker.run(HOME, broken).stream().filter(Finding::failed).toList();
        assertThat(failed).isNotEmpty().allMatch(f -> f.message().contains("10.10.10.10"));
        Finding first = failed.get(0);
        assertThat(first.line()).isEqualTo("FAIL expect line 144: laptop -> tcp 10.10.10.10:80 expected reachable, "
                + "not reachable: NO_ROUTE at isp: route to 10.10.10.10 from 192.168.1.30 iif eth0: no route (network unreachable)");
        // the proof: the router took its default route to the isp, which has no route
        assertThat(first.proof().orElseThrow().render()).contains("router:").contains("0.0.0.0/0 via 198.51.100.1");
    }

    @Test
    void aBackupThatIsNotThereFailsTheFailoverCheck() {
        Network n = Compiler.compile(HOME);
        DeviceState router = n.host("router").orElseThrow();
        Ip dns = Ip.parse("10.53.0.53");
        Network noBackupRoute = n.with(router.withRoutes(router.routes().stream()
                .filter(r -> !(r.dst().isHost() && r.dst().network().equals(dns) && r.metric() == 2)).toList()));
        List<Finding> failed = Checker.run(HOME, noBackupRoute).stream().filter(Finding::failed).toList();
        assertThat(failed).isNotEmpty().allMatch(f -> f.technique().equals("T7"));
        assertThat(failed.get(0).message()).startsWith("dns: with pi1 down (its routes withdrawn)");
    }

    @Test
    void aSourceWithoutRouteBackFailsT8() {
        Network n = Compiler.compile(HOME);
        DeviceState pi2 = n.host("pi2").orElseThrow();
        Network noWayBack = n.with(pi2.withRoutes(pi2.routes().stream().filter(r -> r.dst().length() != 0).toList()));
        List<Finding> t8 = Checker.run(HOME, noWayBack).stream().filter(f -> f.technique().equals("T8") && f.failed()).toList();
        assertThat(t8).singleElement().satisfies(f -> assertThat(f.message())
                .startsWith("router -> pi2 (192.168.1.54): expected source 10.255.0.1 and a route back"));
    }

    @Test
    void theOfficeHoldsPastTwoRoutersWithItsFenceAndSharedAddress() {
        Intent i = load("examples/office.yaml");
        List<Finding> all = Checker.run(i, Compiler.compile(i));
        assertThat(all.stream().filter(Finding::failed).map(Finding::line)).isEmpty();
        assertThat(all).filteredOn(f -> f.technique().equals("fence")).extracting(Finding::kind).containsOnly(Finding.Kind.PASS)
                .hasSizeGreaterThanOrEqualTo(4);
        // the third resolver, two routers away, takes over when the first two are drained
        List<Failover.Scenario> s = Failover.scenarios(i, Compiler.compile(i));
        assertThat(s).extracting(Failover.Scenario::label).containsExactly("dns without dns1", "dns without dns2", "dns without dns3");
        Network noDns1 = s.get(0).drained();
        // draining dns1 withdraws its route on both routers, also branch's, which leads to it through router
        assertThat(noDns1.host("branch").orElseThrow().routes().stream().filter(r -> r.dst().toString().equals("10.53.0.53/32")))
                .extracting(r -> r.metric()).containsExactly(2, 3);
        assertThat(noDns1.host("router").orElseThrow().routes().stream().filter(r -> r.dst().toString().equals("10.53.0.53/32")))
                .extracting(r -> r.metric()).containsExactly(2, 3);
        // the access check names the allow: entry that admits a client, with its position
        assertThat(all).anyMatch(f -> f.message().startsWith("media: phone -> tcp 10.10.0.40:8096 expected reachable (source 192.168.20.50"
                + " is allowed by allow: segments guest (examples/office.yaml:"));
    }

    @Test
    void theFastPathFindsWhatTheTracedOneFinds() {
        // the command line runs the trace-free path and traces failures only: same counts, same failures
        Network n = Compiler.compile(HOME);
        DeviceState router = n.host("router").orElseThrow();
        Network broken = n.with(router.withRoutes(router.routes().stream()
                .filter(r -> !(r.dst().isHost() && r.dst().network().equals(Ip.parse("10.53.0.53")) && r.metric() == 2)).toList()));
        List<Finding> traced = Checker.run(HOME, broken);
        List<Finding> fast = new java.util.ArrayList<>();
        Checker.Summary sum = Checker.run(HOME, broken, Compiler.compiled(HOME).provenance(),
                Checker.Options.fast(2, false, Checker.Progress.NONE), fast::add);
        assertThat(sum.passed()).isEqualTo(traced.stream().filter(f -> f.kind() == Finding.Kind.PASS).count());
        assertThat(sum.failed()).isPositive().isEqualTo(traced.stream().filter(Finding::failed).count());
        assertThat(fast).extracting(Finding::line).containsExactlyElementsOf(traced.stream().filter(f -> f.kind() != Finding.Kind.PASS)
                .map(Finding::line).toList());
        assertThat(fast).filteredOn(Finding::failed).allMatch(f -> f.proof().isPresent());
    }

    @Test
    void aRouterThatAlsoRunsDockerKeepsRoutingAndItsRestrictions() {
        // Docker's FORWARD policy DROP would stop the router; anyloop accepts transit last, after AL-FWD-*
        Intent i = load("src/test/resources/networks/docker-router.yaml");
        List<Finding> all = Checker.run(i, Compiler.compile(i));
        assertThat(all.stream().filter(Finding::failed).map(Finding::line)).isEmpty();
        assertThat(all).filteredOn(f -> f.technique().equals("expect")).hasSize(5).allMatch(f -> f.kind() == Finding.Kind.PASS);
    }
}
