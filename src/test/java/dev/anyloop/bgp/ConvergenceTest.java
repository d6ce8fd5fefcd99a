package dev.anyloop.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BGP converged as BIRD would: which route each router installs, and why, on networks built to isolate each rule. */
class ConvergenceTest {
    private static final Prefix DNS = Prefix.parse("10.53.0.53/32");
    private static final Prefix DNS6 = Prefix.parse("fd53::53/128");

    static Intent anycast() throws Exception { return IntentLoader.load(Path.of("examples/anycast.yaml")); }

    /** The BGP routes of {@code host} in {@code n}, as ip route prints them. */
    static List<String> bird(Network n, String host) {
        return n.hosts().get(host).routes().stream().filter(Bgp::installedByBird).map(Route::toString).toList();
    }

    static Bgp.Converged converge(Intent i) { return Bgp.converge(i, Compiler.compile(i)); }

    @Test
    void eachSiteRouterPrefersItsOwnSitesFirstServer() throws Exception {
        Bgp.Converged c = converge(anycast());
        assertThat(bird(c.network(), "ra")).containsExactly("10.53.0.53 via 10.1.1.11 dev srv proto bird metric 1077",
                "fd53::53 via fd00:1:0:1::11 dev srv proto bird metric 1077");
        assertThat(bird(c.network(), "rb")).containsExactly("10.53.0.53 via 10.2.1.11 dev srv proto bird metric 1077",
                "fd53::53 via fd00:2:0:1::11 dev srv proto bird metric 1077");
        Choice ra = c.rib().selection("ra", DNS).orElseThrow().choice();
        assertThat(ra.candidates()).extracting(p -> p.source().learned().orElseThrow().peer()).containsExactly("dns-a1", "dns-a2", "rb");
        assertThat(ra.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.MED);
        // rb's route via ra crossed an AS boundary: ra's AS prepended, the server's MED dropped
        BgpPath viaRb = ra.candidates().get(2);
        assertThat(viaRb.asPath()).containsExactly(65002L, 4200000002L);
        assertThat(viaRb.med()).isEmpty();
        // servers and clients get no BGP routes (servers import nothing)
        for (String h : List.of("dns-a1", "dns-b2", "client-a")) assertThat(bird(c.network(), h)).isEmpty();
    }

    @Test
    void convergingAConvergedNetworkAgainReplacesItsBgpRoutes() throws Exception {
        // regression: a router with as many BGP routes as before kept its old ones (check's drains start converged)
        Intent i = anycast();
        Network converged = converge(i).network();
        Network again = Bgp.converge(i, converged.without("dns-a1")).network();
        assertThat(bird(again, "ra")).containsExactly("10.53.0.53 via 10.1.1.12 dev srv proto bird metric 1077",
                "fd53::53 via fd00:1:0:1::12 dev srv proto bird metric 1077");
        assertThat(Bgp.converge(i, converged).network().hosts().get("rb")).isSameAs(converged.hosts().get("rb"));
    }

    @Test
    void theStaticRoutesAreGoneForABgpService() throws Exception {
        Network n = Compiler.compile(anycast());
        assertThat(n.hosts().get("ra").routes()).noneMatch(r -> r.dst().equals(DNS));
    }

    @Test
    void aServerDownFailsOverToTheNextInItsSiteAndAWholeSiteToTheOtherSite() throws Exception {
        Intent i = anycast();
        Network n = Compiler.compile(i);
        assertThat(bird(Bgp.converge(i, n.without("dns-a1")).network(), "ra")).first().isEqualTo("10.53.0.53 via 10.1.1.12 dev srv proto bird metric 1077");
        Network siteDown = Bgp.converge(i, n.without("dns-a1").without("dns-a2")).network();
        assertThat(bird(siteDown, "ra")).first().isEqualTo("10.53.0.53 via 10.0.0.2 dev core proto bird metric 1077");
        RoundTrip rt = Simulator.of(siteDown).roundTrip("client-a", Ip.parse("10.53.0.53"), Proto.UDP, 53);
        assertThat(rt.reachable()).isTrue();
        assertThat(rt.forward().verdict().step().host()).isEqualTo("dns-b1");
    }

    @Test
    void aWithdrawnAnnouncementIsLikeTheServerGoneForTheRouters() throws Exception {
        Intent i = anycast();
        Network n = Compiler.compile(i);
        Network withdrawn = Bgp.converge(i, n, Set.of(new Bgp.Announcement("dns-a1", "dns"))).network();
        assertThat(bird(withdrawn, "ra")).isEqualTo(bird(Bgp.converge(i, n.without("dns-a1")).network(), "ra"));
    }

    @Test
    void aLinkDownTakesItsSessionsDown() throws Exception {
        Intent i = anycast();
        Network n = Compiler.compile(i);
        DeviceState ra = n.hosts().get("ra");
        Network srvDown = n.with(ra.withLinks(ra.links().stream().map(l -> l.name().equals("srv") ? new Link(l.name(), l.kind(), false) : l).toList()));
        assertThat(bird(Bgp.converge(i, srvDown).network(), "ra")).first().isEqualTo("10.53.0.53 via 10.0.0.2 dev core proto bird metric 1077");
    }

    @Test
    void reconvergingReplacesTheOldBgpRoutes() throws Exception {
        Intent i = anycast();
        Network once = converge(i).network();
        Network twice = Bgp.converge(i, once).network();
        assertThat(twice.hosts().get("ra").routes()).isEqualTo(once.hosts().get("ra").routes());
    }

    @Test
    void medOrdersHostsOnlyWhereTheyAreEquallyNear() {
        Intent i = new BgpNet().router("ra", 65001L).router("rb", 65002L).link("ra", "rb").lan(List.of("ra"), "a1")
                .lan(List.of("rb"), "b1").service("dns", 52, "med", "a1", "b1").intent();
        Choice rb = Bgp.converge(i, Compiler.compile(i)).rib().selection("rb", DNS).orElseThrow().choice();
        assertThat(rb.best().source().learned().orElseThrow().peer()).isEqualTo("b1"); // [b1] is shorter than [ra a1]
        assertThat(rb.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.AS_PATH);
    }

    @Test
    void prependLengthensEachLaterHostsPathByItsPlace() {
        // hosts a1, b2, b1: a1 announces [a1], b2 [b2 b2], b1 [b1 b1 b1]; rb hears a1 as [ra a1]
        Intent i = new BgpNet().router("ra").router("rb").link("ra", "rb").lan(List.of("ra"), "a1").lan(List.of("rb"), "b1", "b2")
                .service("dns", 52, "prepend", "a1", "b2", "b1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        Choice rb = c.rib().selection("rb", DNS).orElseThrow().choice();
        assertThat(rb.candidates()).extracting(p -> p.source().learned().orElseThrow().peer()).containsExactly("b2", "ra", "b1");
        assertThat(rb.candidates()).extracting(p -> p.asPath().size()).containsExactly(2, 2, 3);
        // [b2 b2] and [ra a1] tie down to the router id: b2's (10.0.3.3, its first address) is below ra's (10.255.0.1)
        assertThat(rb.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.ROUTER_ID);
        assertThat(rb.installed()).hasSize(2); // equal but for the router id: merged
        Choice ra = c.rib().selection("ra", DNS).orElseThrow().choice();
        assertThat(ra.best().source().learned().orElseThrow().peer()).isEqualTo("a1");
    }

    @Test
    void equalHostsOnOneRouterMakeOneEcmpRouteOrderedByGateway() {
        Intent i = new BgpNet().router("r1").lan(List.of("r1"), "s1", "s2", "s3").service("dns", 52, "equal", "s3", "s1", "s2").intent();
        Network n = Bgp.converge(i, Compiler.compile(i)).network();
        Route r = n.hosts().get("r1").routes().stream().filter(Bgp::installedByBird).findFirst().orElseThrow();
        assertThat(r.nexthops()).extracting(h -> h.via().orElseThrow().toString()).containsExactly("10.0.1.2", "10.0.1.3", "10.0.1.4");
    }

    @Test
    void mergePathsStopsAtSixteenNextHops() {
        BgpNet net = new BgpNet().router("r1");
        String[] hosts = new String[17];
        for (int k = 0; k < 17; k++) hosts[k] = "s" + k;
        net.lan(List.of("r1"), hosts).service("dns", 52, "equal", hosts);
        Intent i = net.intent();
        Route r = Bgp.converge(i, Compiler.compile(i)).network().hosts().get("r1").routes().stream().filter(Bgp::installedByBird).findFirst().orElseThrow();
        assertThat(r.nexthops()).hasSize(16);
        assertThat(r.nexthops().get(15).via().orElseThrow()).isEqualTo(Ip.parse("10.0.1.17")); // the highest of 17 is left out
    }

    @Test
    void equalDistanceThroughTwoRoutersIsEcmpDecidedByRouterIdForTheBest() {
        // m between ra and rb, each with a server: m sees [ra s1] and [rb s2], no MED (dropped at ra and rb)
        Intent i = new BgpNet().router("m").router("ra").router("rb").link("m", "ra").link("m", "rb").lan(List.of("ra"), "s1")
                .lan(List.of("rb"), "s2").service("dns", 52, "med", "s2", "s1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        Choice m = c.rib().selection("m", Prefix.parse("10.53.0.53/32")).orElseThrow().choice();
        assertThat(m.installed()).hasSize(2);
        assertThat(m.best().source().learned().orElseThrow().peer()).isEqualTo("ra"); // router id 10.255.0.2 < rb's 10.255.0.3
        assertThat(m.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.ROUTER_ID);
        assertThat(bird(c.network(), "m")).containsExactly("10.53.0.53 via 10.0.1.2 dev l0 via 10.0.2.2 dev l1 proto bird metric 1077");
    }

    @Test
    void twoLinksToOneRouterAreTwoSessionsAndOneEcmpRoute() {
        Intent i = new BgpNet().router("ra").router("rb").link("ra", "rb").link("ra", "rb").lan(List.of("rb"), "s1")
                .service("dns", 52, "med", "s1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        Choice ra = c.rib().selection("ra", Prefix.parse("10.53.0.53/32")).orElseThrow().choice();
        assertThat(ra.candidates()).extracting(p -> p.source().learned().orElseThrow().protocol()).containsExactly("rb.v4", "rb.v4.2");
        assertThat(ra.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.PEER_ADDRESS);
        assertThat(ra.installed()).hasSize(2);
    }

    @Test
    void ibgpRoutesAreNotPassedToAnotherIbgpPeer() {
        Intent i = new BgpNet().router("r1", 65000L).router("r2", 65000L).router("r3", 65000L).link("r1", "r2").link("r2", "r3")
                .lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        assertThat(bird(c.network(), "r2")).containsExactly("10.53.0.53 via 10.0.1.1 dev l0 proto bird metric 1077"); // next hop self
        assertThat(bird(c.network(), "r3")).isEmpty(); // no route reflection
        BgpPath p = c.rib().selection("r2", Prefix.parse("10.53.0.53/32")).orElseThrow().choice().best();
        assertThat(p.source().learned().orElseThrow().ibgp()).isTrue();
        assertThat(p.med()).hasValue(0); // MED crosses iBGP
        assertThat(p.asPath()).hasSize(1);
    }

    @Test
    void aRouterRefusesAPathWithItsOwnAsInIt() {
        Intent i = new BgpNet().router("r1", 65001L).router("r2", 65002L).router("r3", 65001L).link("r1", "r2").link("r2", "r3")
                .lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        assertThat(bird(c.network(), "r2")).hasSize(1);
        assertThat(bird(c.network(), "r3")).isEmpty();
    }

    @Test
    void ebgpBeatsIbgpAtEqualLength() {
        // x and y share an AS, a link and the LAN (two iBGP sessions); the server talks to both
        Intent i = new BgpNet().router("x", 65000L).router("y", 65000L).link("x", "y").lan(List.of("x", "y"), "s1")
                .service("dns", 52, "med", "s1").intent();
        Choice x = Bgp.converge(i, Compiler.compile(i)).rib().selection("x", Prefix.parse("10.53.0.53/32")).orElseThrow().choice();
        assertThat(x.candidates()).extracting(p -> p.source().learned().orElseThrow().ibgp()).containsExactly(false, true, true);
        assertThat(x.best().source().learned().orElseThrow().ibgp()).isFalse();
        assertThat(x.overSecond().orElseThrow().criterion()).isEqualTo(Decision.Criterion.EBGP);
    }

    @Test
    void aRouterThatServesTheServiceAnnouncesItAndKeepsItLocal() {
        Intent i = new BgpNet().router("r1").router("r2").link("r1", "r2").service("dns", 52, "med", "r1").intent();
        Bgp.Converged c = Bgp.converge(i, Compiler.compile(i));
        Choice r1 = c.rib().selection("r1", Prefix.parse("10.53.0.53/32")).orElseThrow().choice();
        assertThat(r1.best().originated()).isTrue();
        assertThat(bird(c.network(), "r1")).isEmpty();
        assertThat(bird(c.network(), "r2")).containsExactly("10.53.0.53 via 10.0.1.1 dev l0 proto bird metric 1077");
    }

    @Test
    void staticRoutesKeptBesideBgpWinByTheirLowerMetric() {
        Intent i = new BgpNet().router("r1").lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").intent();
        String yaml = new BgpNet().router("r1").lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").yaml()
                .replace("dns: { preference: med }", "dns: { preference: med, static-routes: true }");
        Intent both = parse(yaml);
        Network n = Bgp.converge(both, Compiler.compile(both)).network();
        List<Route> toDns = n.hosts().get("r1").routes().stream().filter(r -> r.dst().equals(Prefix.parse("10.53.0.53/32"))).toList();
        assertThat(toDns).extracting(Route::proto).containsExactly(Route.PROTO_ANYLOOP, Bgp.PROTO);
        assertThat(Simulator.of(n).fib("r1", dev.anyloop.net.Family.V4).lookup(Ip.parse("10.53.0.53"), Ip.parse("10.0.1.1"), "lo")
                .route().orElseThrow().proto()).isEqualTo(Route.PROTO_ANYLOOP);
        assertThat(Compiler.compile(i).hosts().get("r1").routes()).noneMatch(r -> r.dst().equals(Prefix.parse("10.53.0.53/32")));
    }

    @Test
    void ipv6ConvergesOnItsOwnSessions() throws Exception {
        Bgp.Converged c = converge(anycast());
        Choice ra6 = c.rib().selection("ra", DNS6).orElseThrow().choice();
        assertThat(ra6.best().source().learned().orElseThrow().protocol()).isEqualTo("dns-a1.v6");
    }

    @Test
    void aNetworkWithoutBgpIsLeftAsItIs() throws Exception {
        Intent home = IntentLoader.load(Path.of("examples/home.yaml"));
        Network n = Compiler.compile(home);
        assertThat(Bgp.converge(home, n).network()).isSameAs(n);
    }

    static Intent parse(String yaml) {
        try {
            return IntentLoader.parse("t.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (dev.anyloop.intent.ConfigException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + yaml, e);
        }
    }
}
