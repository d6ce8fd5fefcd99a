package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Verdict;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Service routes past several routers: every forwarding host along the shortest path, metric order kept, or none. */
class MultiRouterRoutesTest {
    /** r1 -- core -- r2 -- mid -- r3 -- srv: s1, s2; and a client c behind r1. */
    private static final String CHAIN = String.join("\n",
            "segments:",
            "  edge: { prefixes: [10.9.0.0/24] }",
            "  core: { prefixes: [10.0.0.0/24] }",
            "  mid: { prefixes: [10.0.1.0/24] }",
            "  srv: { prefixes: [10.0.2.0/24] }",
            "hosts:",
            "  c:",
            "    interfaces:",
            "      eth0: { segment: edge, addresses: [10.9.0.10/24], gateway: 10.9.0.1 }",
            "  r1:",
            "    forwarding: true",
            "    interfaces:",
            "      eth0: { segment: edge, addresses: [10.9.0.1/24] }",
            "      eth1: { segment: core, addresses: [10.0.0.1/24] }",
            "  r2:",
            "    forwarding: true",
            "    interfaces:",
            "      eth0: { segment: core, addresses: [10.0.0.2/24], gateway: 10.0.0.1 }",
            "      eth1: { segment: mid, addresses: [10.0.1.2/24] }",
            "    routes: [{ to: 10.9.0.0/24, via: 10.0.0.1 }]",
            "  r3:",
            "    forwarding: true",
            "    interfaces:",
            "      eth0: { segment: mid, addresses: [10.0.1.3/24], gateway: 10.0.1.2 }",
            "      eth1: { segment: srv, addresses: [10.0.2.3/24] }",
            "  s1:",
            "    interfaces:",
            "      eth0: { segment: srv, addresses: [10.0.2.11/24], gateway: 10.0.2.3 }",
            "  s2:",
            "    interfaces:",
            "      eth0: { segment: srv, addresses: [10.0.2.12/24], gateway: 10.0.2.3 }",
            "services:",
            "  web:",
            "    addresses: [10.10.10.10]",
            "    ports: [tcp/80]",
            "    hosts: [s2, s1]",
            "");

    static Intent load(String yaml) throws Exception {
        return IntentLoader.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> anyloopRoutes(Network n, String host) {
        return n.host(host).orElseThrow().routes().stream().filter(r -> r.ownedByAnyloop() && r.dst().isHost())
                .map(Object::toString).toList();
    }

    @Test
    void everyRouterOnTheWayGetsTheRoutesInPreferenceOrder() throws Exception {
        Network n = Compiler.compile(load(CHAIN));
        assertThat(anyloopRoutes(n, "r1")).containsExactly("10.10.10.10 via 10.0.0.2 dev eth1 proto 77 metric 1",
                "10.10.10.10 via 10.0.0.2 dev eth1 proto 77 metric 2");
        assertThat(anyloopRoutes(n, "r2")).containsExactly("10.10.10.10 via 10.0.1.3 dev eth1 proto 77 metric 1",
                "10.10.10.10 via 10.0.1.3 dev eth1 proto 77 metric 2");
        assertThat(anyloopRoutes(n, "r3")).containsExactly("10.10.10.10 via 10.0.2.12 dev eth1 proto 77 metric 1",
                "10.10.10.10 via 10.0.2.11 dev eth1 proto 77 metric 2");
        RoundTrip rt = Simulator.of(n).roundTrip("c", Ip.parse("10.10.10.10"), Proto.TCP, 80);
        assertThat(rt.reachable()).as(rt.render()).isTrue();
        assertThat(rt.forward().verdict().step().host()).isEqualTo("s2");
    }

    @Test
    void metricOrderIsKeptWhenThePreferredHostIsFurtherAway() throws Exception {
        // s9 sits on r1's own edge segment, yet s2 (three routers away) stays metric 1 on r1
        Network n = Compiler.compile(load(CHAIN.replace("    hosts: [s2, s1]", "    hosts: [s2, s9]")
                .replace("  s1:", "  s9:\n    interfaces:\n      eth0: { segment: edge, addresses: [10.9.0.99/24], gateway: 10.9.0.1 }\n  s1:")));
        assertThat(anyloopRoutes(n, "r1")).containsExactly("10.10.10.10 via 10.0.0.2 dev eth1 proto 77 metric 1",
                "10.10.10.10 via 10.9.0.99 dev eth0 proto 77 metric 2");
        assertThat(anyloopRoutes(n, "r3")).containsExactly("10.10.10.10 via 10.0.2.12 dev eth1 proto 77 metric 1",
                "10.10.10.10 via 10.0.1.2 dev eth0 proto 77 metric 2");
    }

    @Test
    void routingNoneDerivesNothing() throws Exception {
        Network n = Compiler.compile(load(CHAIN + "    routing: none\n"));
        for (String r : List.of("r1", "r2", "r3")) assertThat(anyloopRoutes(n, r)).as(r).isEmpty();
    }

    @Test
    void aHostThatDoesNotForwardOnTheOnlyPathIsNamedByTheVerdict() throws Exception {
        // r2 turned into a plain host: r1's route still leads there, and the packet stops at r2, which says why
        Intent i = load(CHAIN.replace("  r2:\n    forwarding: true\n", "  r2:\n"));
        assertThat(i.warnings()).extracting(Object::toString).containsExactly(
                "t.yaml:35:13: service web: router r1 reaches service host s2 only through host r2, which has forwarding: false;"
                        + " the routes anyloop derives there end at r2 (FORWARDING_DISABLED)",
                "t.yaml:35:17: service web: router r1 reaches service host s1 only through host r2, which has forwarding: false;"
                        + " the routes anyloop derives there end at r2 (FORWARDING_DISABLED)");
        Network n = Compiler.compile(i);
        assertThat(anyloopRoutes(n, "r1")).contains("10.10.10.10 via 10.0.0.2 dev eth1 proto 77 metric 1");
        RoundTrip rt = Simulator.of(n).roundTrip("c", Ip.parse("10.10.10.10"), Proto.TCP, 80);
        assertThat(rt.verdict()).isInstanceOf(Verdict.ForwardingDisabled.class);
        assertThat(rt.verdict().describe()).startsWith("FORWARDING_DISABLED at r2: dropped: 10.10.10.10 is not local and net.ipv4.ip_forward is 0");
    }

    @Test
    void eachRouteRecordsTheServiceHostItLeadsTo() throws Exception {
        Compiled c = Compiler.compiled(load(CHAIN));
        var r1 = c.network().host("r1").orElseThrow();
        List<String> targets = r1.routes().stream().flatMap(r -> c.provenance().route("r1", r).stream())
                .filter(o -> o.kind() == RouteOrigin.Kind.SERVICE).map(o -> o.hop().orElseThrow().target()).toList();
        assertThat(targets).containsExactly("s2", "s1");
        assertThat(c.provenance().route("r1", r1.routes().stream().filter(r -> r.metric() == 1 && r.dst().isHost()).findFirst()
                .orElseThrow()).orElseThrow().detail()).isEqualTo("service web toward s2 (metric 1, path r1 > r2 > r3 > s2)");
    }
}
