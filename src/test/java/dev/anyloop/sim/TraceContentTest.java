package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Network;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the traces say: routes, rules with their numbers, NAT rewrites, chosen sources, the reply path. */
class TraceContentTest {

    private static <T extends Step> List<T> steps(Trace t, Class<T> type) {
        return t.steps().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String deliveredAt(RoundTrip rt) {
        return steps(rt.forward(), Step.Delivered.class).get(0).host();
    }

    static NetFixture t7() {
        NetFixture n = Topologies.home();
        n.host("pi").lo("10.53.0.53/32").listen("udp 10.53.0.53:53");
        n.host("desktop").lo("10.53.0.53/32").listen("udp 10.53.0.53:53");
        n.host("router").route("10.53.0.53 via 192.168.1.40 metric 1").route("10.53.0.53 via 192.168.1.20 metric 2");
        return n;
    }

    @Test
    void t7MetricOneWinsAndTheTraceShowsBothCandidates() {
        RoundTrip rt = t7().sim().roundTrip("iot", Ip.parse("10.53.0.53"), Proto.UDP, 53);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        assertThat(deliveredAt(rt)).isEqualTo("pi");
        Step.RouteLookup atRouter = steps(rt.forward(), Step.RouteLookup.class).stream()
                .filter(s -> s.host().equals("router")).findFirst().orElseThrow();
        assertThat(atRouter.route().orElseThrow().metric()).isEqualTo(1);
        assertThat(atRouter.candidates()).extracting(r -> r.metric()).containsExactly(1, 2);
        assertThat(atRouter.table()).isEqualTo("main");
    }

    @Test
    void t7DeletingTheMetricOneRouteFailsOverToTheBackup() {
        NetFixture n = t7();
        n.host("router").routes.removeIf(r -> r.metric() == 1 && r.dst().toString().equals("10.53.0.53/32"));
        RoundTrip rt = n.sim().roundTrip("iot", Ip.parse("10.53.0.53"), Proto.UDP, 53);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        assertThat(deliveredAt(rt)).isEqualTo("desktop");
    }

    @Test
    void t7PrimaryHostGoneWithItsRouteLeftIsNoNeighbour() {
        Network net = t7().build().without("pi");
        RoundTrip rt = Simulator.of(net).roundTrip("iot", Ip.parse("10.53.0.53"), Proto.UDP, 53);
        assertThat(rt.verdict()).as(rt.render()).isInstanceOf(Verdict.NoNeighbour.class);
        assertThat(rt.verdict().step().text()).contains("192.168.1.40");
    }

    @Test
    void t8TheRouteSrcMakesTheLoopbackAddressTheSource() {
        RoundTrip rt = SimulatorScenariosTest.t8().sim().roundTrip("router", Ip.parse("192.168.2.10"), Proto.TCP, 22);
        Step.SourceSelected s = steps(rt.forward(), Step.SourceSelected.class).get(0);
        assertThat(s.address()).isEqualTo(Ip.parse("10.53.0.2"));
        assertThat(s.why()).contains("src 10.53.0.2");
        assertThat(rt.reply().orElseThrow().steps()).anySatisfy(x -> assertThat(x.host()).isEqualTo("iot"));
    }

    @Test
    void kernelSourceChoiceFallsBackToALoopbackAddressWhenTheDeviceHasNone() {
        NetFixture n = new NetFixture();
        n.host("a").iface("eth0", "p2p").lo("10.9.9.1/32").route("10.9.9.2 dev eth0");
        n.host("b").iface("eth0", "p2p").lo("10.9.9.2/32").route("10.9.9.1 dev eth0").listen("tcp 0.0.0.0:22");
        RoundTrip rt = n.sim().roundTrip("a", Ip.parse("10.9.9.2"), Proto.TCP, 22);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        Step.SourceSelected s = steps(rt.forward(), Step.SourceSelected.class).get(0);
        assertThat(s.address()).isEqualTo(Ip.parse("10.9.9.1"));
        assertThat(s.why()).contains("eth0 has no usable address");
    }

    @Test
    void sourceIsThePrimaryAddressInTheGatewaysSubnet() {
        NetFixture n = Topologies.home();
        n.host("laptop").addr("eth0", "10.77.0.5/16").addr("eth0", "192.168.1.31/24");
        RoundTrip rt = n.sim().roundTrip("laptop", Ip.parse("192.168.2.10"), Proto.TCP, 22);
        assertThat(steps(rt.forward(), Step.SourceSelected.class).get(0).address()).isEqualTo(Ip.parse("192.168.1.30"));
    }

    @Test
    void ruleNumbersAreOneBasedAndChainsAreNamed() {
        RoundTrip rt = SimulatorScenariosTest.t4().sim().roundTrip("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80);
        List<Step.RuleMatched> m = steps(rt.forward(), Step.RuleMatched.class);
        assertThat(m).extracting(Step.RuleMatched::chain, Step.RuleMatched::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("INPUT", 1), org.assertj.core.groups.Tuple.tuple("LOOPBACK_ADDR", 2));
        assertThat(rt.render()).contains("filter LOOPBACK_ADDR rule 2: -p tcp -m tcp --dport 80 -j ACCEPT");
    }

    @Test
    void dockerTraceShowsDnatBeforeTheRoutingDecisionAndTheReplyUndoesIt() {
        RoundTrip rt = Topologies.docker().sim().roundTrip("laptop", Ip.parse("10.2.2.2"), Proto.TCP, 80);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        Step.NatRewrite dnat = steps(rt.forward(), Step.NatRewrite.class).get(0);
        assertThat(dnat.host()).isEqualTo("dock");
        assertThat(dnat.after().dst()).isEqualTo(Ip.parse("172.17.0.2"));
        assertThat(dnat.after().dport()).isEqualTo(2368);
        Step.NatRewrite un = steps(rt.reply().orElseThrow(), Step.NatRewrite.class).get(0);
        assertThat(un.kind()).startsWith("un-DNAT");
        assertThat(un.after().src()).isEqualTo(Ip.parse("10.2.2.2"));
        assertThat(un.after().sport()).isEqualTo(80);
        assertThat(steps(rt.forward(), Step.Delivered.class).get(0).host()).isEqualTo("dock-ghost");
    }

    @Test
    void masqueradeReplyIsUnSnatedBeforeRouting() {
        RoundTrip rt = SimulatorScenariosTest.masq().sim().roundTrip("iot", Ip.parse("192.168.1.40"), Proto.TCP, 22);
        Step.NatRewrite m = steps(rt.forward(), Step.NatRewrite.class).get(0);
        assertThat(m.kind()).startsWith("MASQUERADE");
        assertThat(m.after().src()).isEqualTo(Ip.parse("192.168.1.1"));
        List<Step.NatRewrite> back = steps(rt.reply().orElseThrow(), Step.NatRewrite.class);
        assertThat(back).singleElement().satisfies(s -> {
            assertThat(s.kind()).startsWith("un-SNAT");
            assertThat(s.after().dst()).isEqualTo(Ip.parse("192.168.2.10"));
        });
        assertThat(steps(rt.reply().orElseThrow(), Step.ConntrackState.class))
                .allSatisfy(c -> assertThat(c.state().state()).isEqualTo(dev.anyloop.state.ConntrackState.ESTABLISHED));
    }

    @Test
    void multipathReportsEveryPathAndTakesTheFirst() {
        NetFixture n = Topologies.home();
        n.host("pi").lo("10.1.1.1/32").listen("tcp 10.1.1.1:80");
        n.host("router").routes.removeIf(r -> r.dst().toString().equals("10.1.1.1/32"));
        n.host("router").route("10.1.1.1 nexthop via 192.168.1.20 nexthop via 192.168.1.40");
        RoundTrip rt = n.sim().roundTrip("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80);
        assertThat(rt.reachable()).isTrue();
        Step.RouteLookup l = steps(rt.forward(), Step.RouteLookup.class).stream().filter(s -> s.host().equals("router")).findFirst().orElseThrow();
        assertThat(l.route().orElseThrow().nexthops()).hasSize(2);
        assertThat(l.text()).contains("via 192.168.1.20").contains("via 192.168.1.40").contains("multipath");
        assertThat(deliveredAt(rt)).isEqualTo("desktop");
    }

    @Test
    void policyRoutingSendsOneSourceThroughASecondTable() {
        NetFixture n = Topologies.home();
        n.host("pi").lo("10.1.1.1/32").listen("tcp 10.1.1.1:80");
        n.host("router").rule("100: from 192.168.2.0/24 lookup 100").route("10.1.1.1 via 192.168.1.40 table 100");
        Simulator sim = n.sim();
        RoundTrip fromIot = sim.roundTrip("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80);
        assertThat(deliveredAt(fromIot)).isEqualTo("pi");
        Step.RouteLookup l = steps(fromIot.forward(), Step.RouteLookup.class).stream().filter(s -> s.host().equals("router")).findFirst().orElseThrow();
        assertThat(l.table()).isEqualTo("100");
        assertThat(l.rule().orElseThrow().priority()).isEqualTo(100);
        assertThat(deliveredAt(sim.roundTrip("laptop", Ip.parse("10.1.1.1"), Proto.TCP, 80))).isEqualTo("desktop");
    }

    @Test
    void explicitSourceAddressIsUsedAndMustBeLocal() {
        Simulator sim = SimulatorScenariosTest.t8().sim();
        RoundTrip ok = sim.roundTrip("router", Ip.parse("192.168.1.1"), Ip.parse("192.168.2.10"), Proto.TCP, 22);
        assertThat(ok.reachable()).isTrue();
        assertThat(steps(ok.forward(), Step.SourceSelected.class)).isEmpty();
        assertThat(steps(ok.forward(), Step.Received.class).get(0).packet().src()).isEqualTo(Ip.parse("192.168.1.1"));
        RoundTrip bad = sim.roundTrip("router", Ip.parse("192.168.1.99"), Ip.parse("192.168.2.10"), Proto.TCP, 22);
        assertThat(bad.verdict()).isInstanceOf(Verdict.Dropped.class);
        assertThat(bad.verdict().step().text()).contains("EADDRNOTAVAIL");
    }

    @Test
    void unknownVerdictNamesTheRule() {
        RoundTrip rt = SimulatorScenariosTest.fwd("-d 10.1.1.1 -m recent --rcheck -j DROP").sim()
                .roundTrip("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80);
        Step.UnknownRule u = (Step.UnknownRule) rt.verdict().step();
        assertThat(u.table()).isEqualTo("filter");
        assertThat(u.chain()).isEqualTo("FORWARD");
        assertThat(u.index()).isEqualTo(1);
        assertThat(rt.verdict().describe()).contains("-m recent --rcheck");
    }

    @Test
    void renderAndJsonCarryTheWholeStory() throws Exception {
        RoundTrip rt = SimulatorScenariosTest.t3().sim().roundTrip("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80);
        String text = rt.render();
        assertThat(text).contains("NOT REACHABLE").contains("router:").contains("table main 10.1.1.1/32 metric 1")
                .contains("filter FORWARD rule 1: -d 10.1.1.1/32 ! -i eth1 -j DROP").contains("verdict: DROPPED at router");
        JsonNode j = new ObjectMapper().valueToTree(rt.toJson());
        assertThat(j.get("reachable").asBoolean()).isFalse();
        assertThat(j.at("/verdict/kind").asText()).isEqualTo("DROPPED");
        assertThat(j.at("/verdict/step/step").asText()).isEqualTo("RuleMatched");
        assertThat(j.at("/verdict/step/index").asInt()).isEqualTo(1);
        assertThat(j.at("/request/steps/0/step").asText()).isEqualTo("RouteLookup");
        assertThat(j.at("/request/steps/0/host").asText()).isEqualTo("iot");
        assertThat(new ObjectMapper().writeValueAsString(rt.toJson())).contains("\"route\":\"0.0.0.0/0 via 192.168.2.1");
    }

    @Test
    void bulkPathKeepsNoSteps() {
        Simulator sim = Topologies.home().sim();
        assertThat(sim.reachable(Flow.of("iot", Ip.parse("10.1.1.1"), Proto.TCP, 80))).isTrue();
        assertThat(sim.roundTrip(new Flow("iot", Optional.empty(), Ip.parse("10.1.1.1"), Proto.TCP, 80)).forward().steps()).isNotEmpty();
    }
}
