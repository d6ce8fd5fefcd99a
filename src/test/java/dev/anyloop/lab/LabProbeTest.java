package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Failover;
import dev.anyloop.check.Finding;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure parts of {@code lab probe}, {@code lab fail} and {@code lab restore}: queries, expectations, verdict lines, records. */
class LabProbeTest {
    private static Intent intent;
    private static Network home;

    @BeforeAll
    static void load() throws Exception {
        intent = IntentLoader.load(Path.of("examples/home.yaml"));
        home = Compiler.compile(intent);
    }

    @Test
    void everyFindingWithAProofBecomesOneQueryAndFailoverOnesCarryTheirScenario() {
        LabProbe.Plan plan = LabProbe.queries(intent, home, List.of());
        List<Finding> findings = Checker.run(intent, home);
        assertThat(plan.queries()).hasSize((int) findings.stream().filter(f -> f.proof().isPresent()).count());
        assertThat(plan.skipped()).isEmpty();
        // the expect: entries come first, in file order
        assertThat(plan.queries().get(0).flow()).isEqualTo(Flow.of("laptop", Ip.parse("10.10.10.10"), Proto.TCP, 80));
        assertThat(plan.queries().get(0).technique()).isEqualTo("expect");
        List<LabProbe.Query> t7 = plan.queries().stream().filter(q -> q.technique().equals("T7")).toList();
        assertThat(t7).isNotEmpty().allSatisfy(q -> {
            assertThat(q.scenario()).isPresent();
            assertThat(q.expect()).contains(true);
        });
        assertThat(t7).extracting(q -> q.scenario().get().label()).contains("dns without pi1", "dns without pi2");
        assertThat(t7.stream().filter(q -> q.scenario().get().down().equals("pi1")).map(q -> LabProbe.simBy(q.sim())))
                .containsOnly("pi2");
        assertThat(plan.queries().stream().filter(q -> !q.technique().equals("T7"))).allSatisfy(q -> assertThat(q.scenario()).isEmpty());
    }

    @Test
    void hiddenServicesExpectNoAnswerAndNotesExpectNothing() {
        LabProbe.Plan plan = LabProbe.queries(intent, home, List.of());
        assertThat(plan.queries().stream().filter(q -> q.technique().equals("T6"))).isNotEmpty()
                .allSatisfy(q -> assertThat(q.expect()).contains(false));
        assertThat(plan.queries().stream().filter(q -> q.technique().equals("T5"))).isNotEmpty()
                .allSatisfy(q -> assertThat(q.expect()).isEmpty());
        assertThat(plan.queries().stream().filter(q -> q.technique().equals("T3/T4"))).allSatisfy(q -> assertThat(q.expect()).contains(false));
        assertThat(plan.queries().stream().filter(q -> q.technique().equals("T8"))).allSatisfy(q -> assertThat(q.expect()).contains(true));
        assertThat(plan.queries()).filteredOn(q -> q.flow().equals(Flow.of("cam", Ip.parse("10.53.0.53"), Proto.UDP, 53)))
                .extracting(LabProbe.Query::expect).containsOnly(Optional.of(false));
    }

    @Test
    void withFailedLinksTheSimulatorSeesThemDownAndFailoverIsSkipped() {
        List<Lab.Iface> failed = List.of(new Lab.Iface("pi1", "eth0"), new Lab.Iface("pi1", "v0-eth0"), new Lab.Iface("ghost", "eth0"));
        LabProbe.Plan plan = LabProbe.queries(intent, home, failed);
        assertThat(plan.queries()).noneMatch(q -> q.technique().equals("T7"));
        assertThat(plan.skipped()).singleElement().asString().startsWith("T7: 6 failover queries skipped").contains("pi1:eth0");
        LabProbe.Query dns = plan.queries().stream()
                .filter(q -> q.technique().equals("expect") && q.flow().equals(Flow.of("laptop", Ip.parse("10.53.0.53"), Proto.UDP, 53)))
                .findFirst().orElseThrow();
        // the router still routes 10.53.0.53 via pi1 (metric 1), whose eth0 is down: nobody answers ARP
        assertThat(dns.sim().reachable()).isFalse();
        assertThat(dns.sim().verdict().kind()).isEqualTo("NO_NEIGHBOUR");
        // the expectation is still the check's, so the kernel's "no answer" is a failed expectation, not a disagreement
        assertThat(dns.expect()).contains(true);
        assertThat(LabProbe.withFailed(home, failed).host("pi1").orElseThrow().link("eth0").orElseThrow().up()).isFalse();
        assertThat(LabProbe.withFailed(home, List.of())).isEqualTo(home);
    }

    @Test
    void expectationFollowsTheFindingsKind() {
        RoundTrip yes = Simulator.of(home).roundTrip(Flow.of("laptop", Ip.parse("10.10.10.10"), Proto.TCP, 80));
        RoundTrip no = Simulator.of(home).roundTrip(Flow.of("cam", Ip.parse("10.10.10.10"), Proto.TCP, 80));
        assertThat(yes.reachable()).isTrue();
        assertThat(no.reachable()).isFalse();
        assertThat(LabProbe.expectation(Finding.of("expect", true, "", yes), yes)).contains(true);
        assertThat(LabProbe.expectation(Finding.of("expect", false, "", yes), yes)).contains(false);
        assertThat(LabProbe.expectation(Finding.of("T6", true, "", no), no)).contains(false);
        assertThat(LabProbe.expectation(Finding.of("T6", false, "", no), no)).contains(true);
        assertThat(LabProbe.expectation(Finding.of("T8", false, "", yes), yes)).contains(true);
        assertThat(LabProbe.expectation(new Finding("T5", Finding.Kind.NOTE, "", Optional.of(yes)), yes)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // sim flow                   | expect | kernel reachable | kernel by | agree | failed | status
        "laptop 10.10.10.10 tcp 80     | true   | true             | desktop   | true  | false  | ok",
        "laptop 10.10.10.10 tcp 80     | true   | true             | pi1       | false | false  | MISMATCH",
        "laptop 10.10.10.10 tcp 80     | true   | false            |           | false | true   | MISMATCH",
        "laptop 10.10.10.10 icmp 0     | true   | true             |           | true  | false  | ok",
        "cam 10.10.10.10 tcp 80        | false  | false            |           | true  | false  | ok",
        "cam 10.10.10.10 tcp 80        | true   | false            |           | true  | true   | UNEXPECTED (expected reachable)",
        "laptop 10.10.10.10 tcp 80     |        | true             | desktop   | true  | false  | ok (note)",
        "laptop 10.10.10.10 tcp 80     |        | false            |           | false | false  | MISMATCH",
    })
    void resultsCompareSimulatorKernelAndExpectation(String flow, Boolean expect, boolean reachable, String by,
                                                     boolean agree, boolean failed, String status) {
        String[] f = flow.split(" ");
        RoundTrip sim = Simulator.of(home).roundTrip(Flow.of(f[0], Ip.parse(f[1]), Proto.parse(f[2]), Integer.parseInt(f[3])));
        LabProbe.Query q = new LabProbe.Query("expect", sim.flow(), Optional.ofNullable(expect), Optional.empty(), sim);
        ProbeResult kernel = reachable ? ProbeResult.answered(by == null ? "" : by, "x") : ProbeResult.failed("Connection timed out");
        LabProbe.Result r = new LabProbe.Result(q, kernel);
        assertThat(r.agree()).isEqualTo(agree);
        assertThat(r.failedExpectation()).isEqualTo(failed);
        assertThat(r.line()).startsWith("expect " + sim.flow()).contains("sim: ").contains("kernel: ").endsWith(status);
        assertThat(r.toJson()).containsEntry("agree", agree).containsEntry("failedExpectation", failed).containsKeys("sim", "kernel");
    }

    @Test
    void theLineShowsBothVerdicts() {
        RoundTrip sim = Simulator.of(home).roundTrip(Flow.of("cam", Ip.parse("10.10.10.10"), Proto.TCP, 80));
        LabProbe.Query q = new LabProbe.Query("T3/T4", sim.flow(), Optional.of(false), Optional.empty(), sim);
        assertThat(new LabProbe.Result(q, ProbeResult.failed("Connection timed out")).line()).isEqualTo(String.format(
                "%-6s %-50s sim: %-30s kernel: %-34s %s", "T3/T4", "cam -> tcp 10.10.10.10:80", "dropped at router",
                "no answer (Connection timed out)", "ok"));
        assertThat(LabProbe.kernelText(ProbeResult.failed("no answer (exit 0)"))).isEqualTo("no answer (exit 0)");
        assertThat(LabProbe.kernelText(ProbeResult.failed("dig exit 9: ;; communications error"))).isEqualTo("no answer (dig exit 9: ;; communica...)");
    }

    @Test
    void summaryCountsAndDecidesTheExitCode() {
        RoundTrip sim = Simulator.of(home).roundTrip(Flow.of("laptop", Ip.parse("10.10.10.10"), Proto.TCP, 80));
        LabProbe.Query q = new LabProbe.Query("expect", sim.flow(), Optional.of(true), Optional.empty(), sim);
        LabProbe.Result good = new LabProbe.Result(q, ProbeResult.answered("desktop", ""));
        LabProbe.Result bad = new LabProbe.Result(q, ProbeResult.failed("timeout"));
        assertThat(LabProbe.Summary.of(List.of(good, good)).ok()).isTrue();
        LabProbe.Summary s = LabProbe.Summary.of(List.of(good, bad, good));
        assertThat(s).isEqualTo(new LabProbe.Summary(3, 2, 1, 1));
        assertThat(s.ok()).isFalse();
        assertThat(s.line()).isEqualTo("lab probe: 3 queries, sim and kernel agree on 2, 1 disagree, 1 failed expectations");
    }

    @Test
    void failoverScenariosHoldExactlyTheT7FindingsOfCheck() {
        List<Finding> t7 = Checker.run(intent, home).stream().filter(f -> f.technique().equals("T7")).toList();
        List<Failover.Scenario> scenarios = Failover.scenarios(intent, home);
        assertThat(scenarios.stream().flatMap(s -> s.findings().stream()).toList()).isEqualTo(t7);
        assertThat(scenarios).extracting(Failover.Scenario::label).containsExactly("dns without pi1", "dns without pi2");
        assertThat(scenarios.get(0).drained().hosts()).doesNotContainKey("pi1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "icmp | 0   | Icmp",
        "tcp  | 80  | Tcp",
        "udp  | 53  | Dns",
        "tcp  | 53  | Dns",
        "udp  | 7   | Udp",
    })
    void aFlowMapsToTheProbeThatAsksIt(String proto, int port, String kind) {
        Probe p = Probe.of(Flow.of("laptop", Ip.parse("10.53.0.1"), Proto.parse(proto), port));
        assertThat(p.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(p.address()).isEqualTo(Ip.parse("10.53.0.1"));
        if (p instanceof Probe.Dns) assertThat(((Probe.Dns) p).tcp()).isEqualTo(proto.equals("tcp"));
    }

    @Test
    void dnsOverTcpAsksDigForTcpAndAPinnedSourceIsRefused() {
        assertThat(new Probe.Dns(Ip.parse("10.53.0.1"), 53, true).argv()).endsWith("+tcp");
        assertThat(new Probe.Dns(Ip.parse("10.53.0.1"), 53).argv()).doesNotContain("+tcp");
        Flow pinned = new Flow("router", Optional.of(Ip.parse("10.255.0.1")), Ip.parse("192.168.1.53"), Proto.ICMP, 0);
        assertThatThrownBy(() -> Probe.of(pinned)).hasMessageContaining("cannot pin the source address");
    }

    @Test
    void failedLinksRecordRoundTrips() {
        List<Lab.Iface> l = List.of(new Lab.Iface("pi1", "eth0"), new Lab.Iface("router", "eth1"));
        assertThat(LabFailures.format(l)).isEqualTo("pi1:eth0\nrouter:eth1\n");
        assertThat(LabFailures.parse(LabFailures.format(l))).isEqualTo(l);
        assertThat(LabFailures.parse("\n  \n")).isEmpty();
        assertThatThrownBy(() -> LabFailures.parse("pi1\n")).hasMessage("Invalid interface 'pi1': expected HOST:IFACE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pi1", ":eth0", "pi1:", "a:b:c"})
    void badInterfacesAreRefusedWithTheInput(String s) {
        assertThatThrownBy(() -> Lab.Iface.parse(s)).hasMessage("Invalid interface '" + s + "': expected HOST:IFACE");
    }

    @Test
    void briefLinkNamesDropTheVethPeerSuffix() {
        String out = "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>\n"
                + "eth0@if12        UP             6a:1d:ee:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP>\n"
                + "docker0          DOWN           02:42:00:00:00:01 <NO-CARRIER,BROADCAST,MULTICAST,UP>\n\n";
        assertThat(Netns.briefLinkNames(out)).containsExactly("lo", "eth0", "docker0");
        assertThat(Netns.briefLinkNames("")).isEmpty();
    }
}
