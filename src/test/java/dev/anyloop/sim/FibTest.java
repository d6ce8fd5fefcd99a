package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Route;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The FIB against the kernel's rules, and against a linear scan. */
class FibTest {

    private static Fib fib(NetFixture.H h) { return Fib.of(h.state(), Family.V4); }

    private static NetFixture.H router() {
        NetFixture n = new NetFixture();
        return n.host("r").iface("eth0", "a", "10.0.0.1/24").iface("eth1", "b", "10.0.1.1/24")
                .route("default via 10.0.0.254")
                .route("10.5.0.0/16 via 10.0.1.5 metric 10").route("10.5.0.0/16 via 10.0.0.5 metric 5")
                .route("blackhole 10.6.0.0/16").route("unreachable 10.7.0.0/16").route("prohibit 10.8.0.0/16")
                .route("10.9.0.0/16 via 10.0.1.9 table 100").route("throw 10.9.9.0/24 table 100")
                .rule("100: from 10.0.0.0/24 lookup 100")
                .rule("200: to 10.66.0.0/16 blackhole")
                .rule("300: not from 10.0.0.0/8 lookup 100")
                .lo("10.53.0.1/32");
    }

    @ParameterizedTest(name = "{0} from {1} iif {2} -> {3} {4}")
    @CsvSource({
        "10.5.1.1, 0.0.0.0, lo, unicast, 10.5.0.0/16 via 10.0.0.5 dev eth0 proto static metric 5",
        "10.6.1.1, 0.0.0.0, lo, blackhole, blackhole 10.6.0.0/16 proto static",
        "10.7.1.1, 0.0.0.0, lo, unreachable, unreachable 10.7.0.0/16 proto static",
        "10.8.1.1, 0.0.0.0, lo, prohibit, prohibit 10.8.0.0/16 proto static",
        "10.0.1.77, 0.0.0.0, lo, unicast, 10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.1",
        "10.0.1.1, 0.0.0.0, lo, local, local 10.0.1.1 table local dev eth1 proto kernel scope host src 10.0.1.1",
        "127.9.9.9, 0.0.0.0, lo, local, local 127.0.0.0/8 table local dev lo proto kernel scope host src 127.0.0.1",
        "10.53.0.1, 0.0.0.0, lo, local, local 10.53.0.1 table local dev lo proto kernel scope host src 10.53.0.1",
        "10.9.1.1, 10.0.0.7, eth0, unicast, 10.9.0.0/16 table 100 via 10.0.1.9 dev eth1 proto static",
        "10.9.9.1, 10.0.0.7, eth0, unicast, 0.0.0.0/0 via 10.0.0.254 dev eth0 proto static",
        "10.9.1.1, 10.0.2.7, eth0, unicast, 0.0.0.0/0 via 10.0.0.254 dev eth0 proto static",
        "10.9.1.1, 192.168.0.1, eth0, unicast, 10.9.0.0/16 table 100 via 10.0.1.9 dev eth1 proto static",
        "10.66.1.1, 0.0.0.0, lo, blackhole, -",
    })
    void lookupFollowsRulesTablesAndRouteTypes(String dst, String src, String iif, String type, String route) {
        FibResult r = fib(router()).lookup(Ip.parse(dst), Ip.parse(src), iif);
        assertThat(r.type().word()).isEqualTo(type);
        assertThat(r.route().map(Route::toString).orElse("-")).isEqualTo(route);
    }

    /**
     * wg-quick's layout: "not fwmark 0xca6c lookup 51820" sends everything to the tunnel's table, but first
     * "lookup main suppress_prefixlength 0" lets main answer with anything more specific than its default route.
     */
    @ParameterizedTest(name = "wg-quick: {0} mark {1} -> {2}")
    @CsvSource({
        "10.0.1.77, 0, 10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.1",
        "8.8.8.8, 0, 0.0.0.0/0 table 51820 dev wg0 proto static scope link",
        "8.8.8.8, 51820, 0.0.0.0/0 via 10.0.0.254 dev eth0 proto static",
        "10.5.1.1, 0, 10.5.0.0/16 via 10.0.0.5 dev eth0 proto static metric 5",
    })
    void suppressPrefixlengthSkipsMainsDefaultRoute(String dst, long mark, String route) {
        NetFixture n = new NetFixture();
        NetFixture.H h = n.host("r").iface("eth0", "a", "10.0.0.1/24").iface("eth1", "b", "10.0.1.1/24").iface("wg0", "w", "10.77.0.2/32")
                .route("default via 10.0.0.254").route("10.5.0.0/16 via 10.0.0.5 metric 5").route("0.0.0.0/0 dev wg0 table 51820")
                .rule("0: from all lookup local").rule("32764: from all lookup main suppress_prefixlength 0")
                .rule("32765: not from all fwmark 51820 lookup 51820").rule("32766: from all lookup main").rule("32767: from all lookup default");
        FibResult r = fib(h).lookup(Ip.parse(dst), Ip.parse("0.0.0.0"), "lo", mark);
        assertThat(r.route().map(Route::toString).orElse("-")).isEqualTo(route);
    }

    @ParameterizedTest(name = "dev down: {0}")
    @CsvSource({"10.5.1.1, 10.5.0.0/16 via 10.0.1.5 dev eth1 proto static metric 10", "10.0.0.9, 0.0.0.0/0 via 10.0.0.254 dev eth0 proto static"})
    void routesThroughADownDeviceAreSkipped(String dst, String route) {
        NetFixture.H h = router().down("eth0");
        FibResult r = fib(h).lookup(Ip.parse(dst), Ip.zero(Family.V4), "lo");
        if (route.startsWith("0.0.0.0/0")) {
            assertThat(r.found()).isFalse(); // the default route went with eth0, and so did 10.0.0.0/24
        } else {
            assertThat(r.route().orElseThrow().toString()).isEqualTo(route);
        }
        assertThat(fib(h).isLocal(Ip.parse("10.0.0.1"))).as("the local route of a down device stays").isTrue();
    }

    @ParameterizedTest(name = "addrtype {0} = {1}")
    @CsvSource({"10.0.0.1, LOCAL", "127.0.0.1, LOCAL", "127.1.2.3, LOCAL", "10.53.0.1, LOCAL", "10.0.0.2, UNICAST",
        "224.0.0.1, MULTICAST", "255.255.255.255, BROADCAST"})
    void addrTypeIsTheLocalTablesAnswer(String ip, String type) {
        assertThat(fib(router()).addrType(Ip.parse(ip)).name()).isEqualTo(type);
    }

    // ---- property: longest prefix match equals a linear scan --------------------------------------

    @Provide
    Arbitrary<List<Route>> routes() {
        Arbitrary<Route> r = Combinators.combine(
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 4)).as((b, len, metric) -> {
                    Ip ip = Ip.v4(0x0a000000L | ((long) b << 16) | ((long) b * 7 & 0xff) << 8);
                    Prefix p = Prefix.containing(ip, len);
                    return Route.via(p, Ip.parse("10.255.0." + (metric + 1)), "eth0", metric, "static");
                });
        return r.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void lookupEqualsLinearScan(@ForAll("routes") List<Route> rs, @ForAll int addr) {
        NetFixture n = new NetFixture();
        NetFixture.H h = n.host("h").iface("eth0", "a", "10.255.0.100/24");
        h.routes.clear();
        h.routes.addAll(rs);
        DeviceState d = h.state();
        Ip dst = Ip.v4(0x0a000000L | (addr & 0xffffff));
        Optional<Route> expect = rs.stream().filter(r -> r.dst().contains(dst))
                .max(Comparator.<Route>comparingInt(r -> r.dst().length()).thenComparing(r -> -r.metric()));
        FibResult got = Fib.of(d, Family.V4).lookup(dst, Ip.zero(Family.V4), "lo");
        if (expect.isEmpty()) {
            assertThat(got.found()).isFalse();
        } else {
            assertThat(got.route().orElseThrow().dst()).isEqualTo(expect.get().dst());
            assertThat(got.route().get().metric()).isEqualTo(expect.get().metric());
            assertThat(got.candidates()).allSatisfy(c -> assertThat(c.dst()).isEqualTo(expect.get().dst()));
        }
    }
}
