package dev.anyloop.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.graph.Topology.Host;
import dev.anyloop.graph.Topology.RoutedPath;
import dev.anyloop.graph.Topology.Role;
import dev.anyloop.graph.Topology.Service;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the graph shows of home.yaml, declared and (without the intent) derived from the hosts' state alone. */
class TopologyBuilderTest {
    static final Intent HOME = load("home");

    static Intent load(String example) {
        try {
            return IntentLoader.load(Path.of("examples", example + ".yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void homeHasItsRolesBadgesInPreferenceOrderAndRoutedPaths() {
        Topology t = TopologyBuilder.of(Compiler.compile(HOME), Optional.of(HOME));
        assertThat(t.host("router").orElseThrow().role()).isEqualTo(Role.ROUTER);
        // desktop forwards for Docker's bridge, but network.yaml does not make it a router
        assertThat(t.host("desktop").orElseThrow().role()).isEqualTo(Role.HOST);
        assertThat(t.host("desktop-ghost").orElseThrow().role()).isEqualTo(Role.CONTAINER);
        assertThat(t.host("pi1").orElseThrow().badges()).extracting(Topology.Badge::text)
                .containsExactly("dns 10.53.0.53 #1/2", "pi-https 10.10.10.43");
        assertThat(t.host("pi2").orElseThrow().badges()).extracting(Topology.Badge::text).containsExactly("dns 10.53.0.53 #2/2");
        assertThat(t.paths()).filteredOn(p -> p.address().toString().equals("10.53.0.53"))
                .extracting(p -> p.router() + "->" + p.via() + " metric " + p.metric() + " rank " + p.rank())
                .containsExactly("router->pi1 metric 1 rank 1", "router->pi2 metric 2 rank 2");
        // no path through the default route: isp is not a way to the home's loopbacks
        assertThat(t.paths()).noneMatch(p -> p.prefix().length() == 0 || p.via().equals("isp"));
        assertThat(t.attachmentsOf("router")).extracting(a -> a.dev() + "@" + a.segment())
                .containsExactly("eth0@wan", "eth1@lan", "eth2@iot");
    }

    @Test
    void withoutTheIntentServicesAreTheLoopbackAddressesOrderedByRouteMetric() {
        Network n = Compiler.compile(HOME);
        Topology t = TopologyBuilder.of(n, Optional.empty());
        Service dns = t.services().stream().filter(s -> s.name().equals("10.53.0.53")).findFirst().orElseThrow();
        assertThat(dns.hosts()).containsExactly("pi1", "pi2");
        assertThat(dns.declared()).isFalse();
        assertThat(dns.ports()).extracting(Object::toString).containsExactly("udp/53", "tcp/53");
        // the router's own loopback source address (T8) is a loopback address too
        assertThat(t.services()).extracting(Service::name).contains("10.255.0.1", "10.10.10.10", "10.53.0.1");
        assertThat(t.host("router").orElseThrow().role()).isEqualTo(Role.ROUTER);
        // from the state alone, desktop forwards (Docker turned ip_forward on)
        assertThat(t.host("desktop").orElseThrow().role()).isEqualTo(Role.ROUTER);

        // swap the metrics on the router: pi2 becomes the preferred host
        DeviceState router = n.hosts().get("router");
        List<Route> swapped = router.routes().stream().map(r -> !r.dst().toString().equals("10.53.0.53/32") ? r
                : new Route(r.type(), r.dst(), r.table(), r.nexthops(), 3 - r.metric(), r.src(), r.proto(), r.scope())).toList();
        Topology t2 = TopologyBuilder.of(n.with(router.withRoutes(swapped)), Optional.empty());
        assertThat(t2.services().stream().filter(s -> s.name().equals("10.53.0.53")).findFirst().orElseThrow().hosts())
                .containsExactly("pi2", "pi1");
        assertThat(t2.host("pi2").orElseThrow().badges()).extracting(Topology.Badge::text).containsExactly("10.53.0.53 #1/2");
        assertThat(t2.paths()).filteredOn(p -> p.address().toString().equals("10.53.0.53")).extracting(RoutedPath::via)
                .containsExactly("pi2", "pi1");
    }

    @Test
    void campusRoutesFromBothRoutersAndBothFamilies() {
        Intent campus = load("campus");
        Topology t = TopologyBuilder.of(Compiler.compile(campus), Optional.of(campus));
        assertThat(t.hosts()).filteredOn(h -> h.role() == Role.ROUTER).extracting(Host::name).containsExactly("core1", "core2");
        assertThat(t.paths()).extracting(RoutedPath::router).contains("core1", "core2");
        assertThat(t.paths()).anyMatch(p -> !p.address().isV4());
    }
}
