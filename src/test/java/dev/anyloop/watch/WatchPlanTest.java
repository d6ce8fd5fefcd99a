package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What watch on home.yaml's router watches, and how the router actuator reads a live state. */
class WatchPlanTest {
    static final Ip DNS = Ip.parse("10.53.0.53");

    static Intent home() throws Exception { return IntentLoader.load(Path.of("examples/home.yaml")); }

    @Test
    void homeRouterWatchesEveryInstanceItRoutes() throws Exception {
        Intent i = home();
        WatchPlan p = WatchPlan.of(i, Compiler.compile(i), "router");
        assertThat(p.items()).extracting(it -> it.instance().toString()).containsExactly("web 10.10.10.10 on desktop",
                "ghost 10.10.10.20 on desktop", "dns 10.53.0.53 on pi1", "dns 10.53.0.53 on pi2", "pi-https 10.10.10.43 on pi1");
        WatchPlan.Item pi2 = p.items().get(3);
        assertThat(pi2.route().toString()).isEqualTo("10.53.0.53 via 192.168.1.54 dev eth1 proto 77 metric 2");
        assertThat(pi2.path().orElseThrow().source()).isEqualTo(Ip.parse("10.255.1.3"));
        assertThat(pi2.path().orElseThrow().rule().toString()).isEqualTo("7703: from 10.255.1.3/32 lookup 7703 proto 77");
        assertThat(pi2.path().orElseThrow().tableRoute().toString()).isEqualTo("10.53.0.53 table 7703 via 192.168.1.54 dev eth1 proto 77");
        assertThat(pi2.instance().rank()).isEqualTo(1);
        assertThat(p.checked()).hasSize(5);
    }

    @Test
    void refusals() throws Exception {
        Intent i = home();
        Network n = Compiler.compile(i);
        assertThatThrownBy(() -> WatchPlan.of(i, n, "pi1")).hasMessageContaining("does not forward");
        assertThatThrownBy(() -> WatchPlan.of(i, n, "nope")).hasMessageContaining("'nope' is not defined");
    }

    @Test
    void liveState_routesInService_andBrokenProbePaths() throws Exception {
        Intent i = home();
        Network n = Compiler.compile(i);
        WatchPlan p = WatchPlan.of(i, n, "router");
        DeviceState router = n.host("router").orElseThrow();
        RouteActuator a = new RouteActuator(p, null, "test", fixed(Recorded.NONE));
        Instance pi1 = p.items().get(2).instance();
        Instance pi2 = p.items().get(3).instance();
        // as compiled: everything in service, every probe path whole
        Live all = a.live(router.routes(), router.rules(), router.addresses(), Recorded.NONE);
        assertThat(all.installed()).hasSize(5);
        assertThat(all.probeFaults()).isEmpty();
        // pi1's route withdrawn, pi2's table route gone, desktop's probe source gone
        List<Route> routes = new ArrayList<>(router.routes());
        routes.removeIf(r -> r.dst().network().equals(DNS) && (r.metric() == 1 || r.table() == 7703));
        List<Address> lo = new ArrayList<>(router.addresses());
        lo.removeIf(ad -> ad.address().ip().equals(Ip.parse("10.255.1.1")));
        Live live = a.live(routes, router.rules(), lo, Recorded.NONE);
        assertThat(live.installed()).doesNotContain(pi1).contains(pi2);
        assertThat(live.probeFaults()).containsEntry(pi2, "table 7703 has no route 10.53.0.53 table 7703 via 192.168.1.54 dev eth1 proto 77");
        assertThat(live.probeFaults().get(p.items().get(0).instance())).isEqualTo("probe source 10.255.1.1 is not on lo");
        Live noRules = a.live(router.routes(), List.of(), router.addresses(), Recorded.NONE);
        assertThat(noRules.probeFaults().get(pi1)).isEqualTo("no rule 'from 10.255.1.2 lookup 7702'");
        // the ip lines of a withdrawal and a restoration are the renderer's
        assertThat(a.line(new Change(Change.Kind.WITHDRAW, pi1, "x"))).isEqualTo("route del 10.53.0.53/32 via 192.168.1.53 dev eth1 proto 77 metric 1");
        assertThat(a.line(new Change(Change.Kind.RESTORE, pi1, "x"))).isEqualTo("route replace 10.53.0.53/32 via 192.168.1.53 dev eth1 proto 77 metric 1");
    }

    static Recorded.Source fixed(Recorded r) {
        return new Recorded.Source() {
            public Recorded read() { return r; }

            public String describe() { return "test"; }
        };
    }

    @Test
    void drainsComeFromTheStateFile_andTheirProbeRoutesAreNoFault() throws Exception {
        Intent i = home();
        Network n = Compiler.compile(i);
        WatchPlan p = WatchPlan.of(i, n, "router");
        DeviceState router = n.host("router").orElseThrow();
        RouteActuator a = new RouteActuator(p, null, "test", fixed(Recorded.NONE));
        Instance pi1 = p.items().get(2).instance();
        // the router as 'anyloop drain home.yaml dns pi1 --host router' leaves it, and the record it saves
        dev.anyloop.apply.Drain d = dev.anyloop.apply.Drains.of(i, n, "dns", "pi1", 0);
        DeviceState drained = dev.anyloop.apply.Drains.apply(router, List.of(d));
        Recorded rec = StateFile.of(dev.anyloop.apply.HostRecord.fresh().withDrains(List.of(d)));
        assertThat(rec.changing()).isFalse();
        Live live = a.live(drained.routes(), drained.rules(), drained.addresses(), rec);
        assertThat(live.drained()).containsExactly(pi1);
        assertThat(live.installed()).doesNotContain(pi1).hasSize(4);
        // the drain took the probe table's route to pi1 too: expected, not the checker's fault
        assertThat(drained.routes()).noneMatch(r -> r.table() == 7702 && r.dst().network().equals(DNS));
        assertThat(live.probeFaults()).doesNotContainKey(pi1).isEmpty();
        // without the record the same routes are a removal by someone else, and pi1's probe path is broken
        Live unknown = a.live(drained.routes(), drained.rules(), drained.addresses(), Recorded.NONE);
        assertThat(unknown.drained()).isEmpty();
        assertThat(unknown.probeFaults()).containsKey(pi1);
        // a change in flight (the engine's journal in the record) marks the live state unsettled
        dev.anyloop.apply.HostRecord.Journal j = new dev.anyloop.apply.HostRecord.Journal("x", 0, 1, List.of(), java.util.Set.of(), java.util.Set.of());
        assertThat(StateFile.of(dev.anyloop.apply.HostRecord.fresh().withJournal(java.util.Optional.of(j))).changing()).isTrue();
    }

    @Test
    void healthTableAndMetrics() throws Exception {
        Intent i = home();
        WatchPlan p = WatchPlan.of(i, Compiler.compile(i), "router");
        Instance pi1 = p.items().get(2).instance();
        Instance pi2 = p.items().get(3).instance();
        Live live = new Live(java.util.Set.of(p.items().get(0).instance(), pi2), java.util.Set.of(), Map.of());
        Supervisor s = new Supervisor(Watch.members(p, false), p.damping(), live, 0);
        s.observe(pi1, Outcome.fail("udp dns: port unreachable", 2_000_000), 10);
        s.observe(pi2, Outcome.ok("udp dns: NOERROR, 1 answer record (\"pi2\")", 1_500_000), 10);
        String table = HealthTable.render(p, s.view());
        assertThat(table).contains("SERVICE   ADDRESS      HOST     CHECK  HEALTH  ROUTE  LAST CHECK")
                .contains("dns       10.53.0.53   pi1      dns    down    out    fail: udp dns: port unreachable (2.0 ms)")
                .contains("dns       10.53.0.53   pi2      dns    up      in     ok: udp dns: NOERROR, 1 answer record (\"pi2\") (1.5 ms)");
        Metrics m = new Metrics();
        m.outcome(pi2, Outcome.ok("", 1_500_000));
        Map<Instance.Group, java.util.Optional<Instance>> pref = new java.util.HashMap<>();
        for (Instance.Group g : s.groups()) pref.put(g, s.preferred(g));
        m.state(s.view(), pref, s.alarms());
        String text = m.render();
        assertThat(text).contains("anyloop_watch_instance_healthy{service=\"dns\",address=\"10.53.0.53\",host=\"pi1\"} 0")
                .contains("anyloop_watch_instance_routed{service=\"dns\",address=\"10.53.0.53\",host=\"pi2\"} 1")
                .contains("anyloop_watch_preferred{service=\"dns\",address=\"10.53.0.53\",host=\"pi2\"} 1")
                .contains("anyloop_watch_check_latency_seconds_bucket{service=\"dns\",address=\"10.53.0.53\",host=\"pi2\",le=\"0.0025\"} 1")
                .contains("anyloop_watch_check_latency_seconds_bucket{service=\"dns\",address=\"10.53.0.53\",host=\"pi2\",le=\"0.001\"} 0")
                .contains("anyloop_watch_checks_total{service=\"dns\",address=\"10.53.0.53\",host=\"pi2\",result=\"ok\"} 1")
                .contains("# TYPE anyloop_watch_check_latency_seconds histogram");
        // every sample line is "name{labels} value" or "name value"
        for (String line : text.lines().filter(l -> !l.startsWith("#")).toList()) {
            assertThat(line).matches("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? -?[0-9.E+-]+");
        }
    }
}
