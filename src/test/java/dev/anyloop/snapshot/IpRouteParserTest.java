package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRouteParserTest {
    private static final List<Route> MIXED = parse(Fixtures.real("router/ip-route.json"), Optional.empty());
    private static final List<Route> V6 = parse(Fixtures.real("router/ip6-route.json"), Optional.of(Family.V6));

    private static List<Route> parse(String json, Optional<Family> f) {
        try {
            return IpRouteParser.parse("ip-route.json", json, f);
        } catch (SnapshotException e) {
            throw new AssertionError(e);
        }
    }

    /** Each route as Route.toString prints it, as configured by capture-setup.sh. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.1.1.0/24 via 192.168.50.2 dev va0 proto 77 metric 5",
        "10.1.2.1 via 192.168.50.2 dev va0 proto static src 10.53.0.1",
        "10.1.3.0/24 table 100 via 192.168.50.2 dev va0 proto 77 metric 1",
        "10.1.3.0/24 table 100 via 192.168.50.2 dev va0 proto 77 metric 2",
        "10.1.4.0/24 via 192.168.50.2 dev va0 via 172.16.9.2 dev dum0 proto boot",
        "0.0.0.0/0 via 192.168.50.2 dev va0 proto boot",
        "blackhole 10.66.0.0/16 proto boot",
        "unreachable 10.67.0.0/16 proto boot metric 10",
        "prohibit 10.68.0.0/16 proto boot",
        "192.168.50.0/24 dev va0 proto kernel scope link src 192.168.50.1",
        "local 10.53.0.1 table local dev lo proto kernel scope host src 10.53.0.1",
        "local 127.0.0.0/8 table local dev lo proto kernel scope host src 127.0.0.1",
        "broadcast 192.168.50.255 table local dev va0 proto kernel scope link src 192.168.50.1",
        "::/0 table 100 via fd00:50::2 dev va0 proto boot metric 1024",
        "fd00:60::/64 via fd00:50::2 dev va0 proto 77 metric 7",
        "fd00:61::/64 via fd00:50::2 dev va0 via fd00:50::3 dev va0 proto boot metric 1024",
        "blackhole fd00:66::/48 proto boot metric 1024",
        "unreachable fd00:67::/48 proto boot metric 1024",
        "fd00:53::1 dev lo proto kernel metric 256",
        "local fd00:53::1 table local dev lo proto kernel",
        "anycast fd00:50:: table local dev va0 proto kernel",
        "multicast ff00::/8 table local dev va0 proto kernel metric 256",
    })
    void realRoutes(String expected) {
        assertThat(MIXED).extracting(Route::toString).contains(expected);
    }

    @Test
    void tableAllWithoutFamilyHoldsBothFamiliesAndDefaultIsReadPerFamily() {
        assertThat(MIXED).extracting(Route::family).contains(Family.V4, Family.V6);
        // every IPv6 route of the mixed dump is also in ip6-route.json
        assertThat(V6).containsExactlyInAnyOrderElementsOf(MIXED.stream().filter(r -> r.family() == Family.V6).toList());
        assertThat(MIXED).filteredOn(r -> r.dst().length() == 0).extracting(r -> r.dst().toString())
                .containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
    }

    @Test
    void multipathKeepsWeights() {
        Route r = MIXED.stream().filter(x -> x.dst().equals(Prefix.parse("10.1.4.0/24"))).findFirst().orElseThrow();
        assertThat(r.nexthops()).containsExactly(new NextHop(Optional.of(Ip.parse("192.168.50.2")), "va0", 1),
                new NextHop(Optional.of(Ip.parse("172.16.9.2")), "dum0", 3));
        Route r6 = V6.stream().filter(x -> x.dst().equals(Prefix.parse("fd00:61::/64"))).findFirst().orElseThrow();
        assertThat(r6.nexthops()).extracting(NextHop::weight).containsExactly(2, 1);
    }

    @Test
    void rejectRoutesHaveNoNextHopThoughIpv6ShowsDevLo() {
        assertThat(V6).filteredOn(r -> r.type() == Route.Type.BLACKHOLE || r.type() == Route.Type.UNREACHABLE)
                .hasSize(2).allMatch(r -> r.nexthops().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // handwritten shapes the kernel does not print but a snapshot may hold
        "[{\"dst\":\"10.1.2.3/24\",\"dev\":\"e\"}]|10.1.2.0/24 dev e proto boot",
        "[{\"dst\":\"fd00::1/64\",\"dev\":\"e\"}]|fd00::/64 dev e proto boot",
        "[{\"dst\":\"default\",\"dev\":\"e\",\"pref\":\"medium\"}]|::/0 dev e proto boot",
        "[{\"type\":\"unreachable\",\"dst\":\"default\",\"dev\":\"lo\",\"metric\":1024,\"pref\":\"medium\"}]|unreachable ::/0 proto boot metric 1024",
        "[{\"dst\":\"default\",\"prefsrc\":\"fd00::1\",\"dev\":\"e\"}]|::/0 dev e proto boot src fd00::1",
        "[{\"dst\":\"default\",\"via\":{\"family\":\"inet6\",\"host\":\"fe80::1\"},\"dev\":\"e\"}]|0.0.0.0/0 via fe80::1 dev e proto boot",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\",\"protocol\":\"bird\",\"scope\":\"universe\",\"table\":\"default\"}]|10.0.0.0/8 table default dev e proto bird",
        // ip -N, or a host without iproute2's rt_protos, prints BIRD's 12 as a number; rt_protos.d/anyloop.conf names 77
        "[{\"dst\":\"10.53.0.53\",\"gateway\":\"10.1.1.11\",\"dev\":\"srv\",\"protocol\":\"12\",\"metric\":1077}]|10.53.0.53 via 10.1.1.11 dev srv proto bird metric 1077",
        "[{\"dst\":\"10.53.0.53\",\"gateway\":\"10.1.1.11\",\"dev\":\"srv\",\"protocol\":\"anyloop\",\"metric\":1}]|10.53.0.53 via 10.1.1.11 dev srv proto 77 metric 1",
        "[{\"type\":\"throw\",\"dst\":\"10.0.0.0/8\",\"table\":\"7\"}]|throw 10.0.0.0/8 table 7 proto boot",
        // a host with /etc/iproute2/rt_protos.d/anyloop.conf names protocol 77
        "[{\"dst\":\"10.9.0.0/16\",\"dev\":\"e\",\"protocol\":\"anyloop\"}]|10.9.0.0/16 dev e proto 77",
    })
    void unusualButValidShapes(String json, String expected) throws SnapshotException {
        assertThat(IpRouteParser.parse("ip-route.json", json, Optional.empty())).extracting(Route::toString).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[{\"dev\":\"e\"}]||ip-route.json: [0].dst: expected a value, found none",
        "[{\"dst\":\"10.0.0.0/x\",\"dev\":\"e\"}]||ip-route.json: [0].dst: expected a prefix length after '/', found 'x'",
        "[{\"dst\":\"10.0.0.0/40\",\"dev\":\"e\"}]||[0].dst: expected a length 0-32, found 40",
        "[{\"dst\":\"nonsense\",\"dev\":\"e\"}]||[0].dst: expected \"default\", ADDR or ADDR/LEN, found 'nonsense'",
        "[{\"dst\":\"10.0.0.0/8\",\"type\":\"nat\"}]||[0].type: expected unicast, local,",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\",\"table\":\"red\"}]||[0].table: expected main, local, default or a table number, found 'red'",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\",\"scope\":\"site\"}]||[0].scope: expected global, link or host, found 'site'",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\",\"metric\":\"1\"}]||[0].metric: expected an integer, found the string \"1\"",
        "[{\"dst\":\"10.0.0.0/8\",\"gateway\":\"10.0.0.1\"}]||[0].gateway: expected a dev next to the gateway",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\",\"prefsrc\":\"fd00::1\"}]||[0].prefsrc: expected an ipv4 address, found 'fd00::1'",
        "[{\"dst\":\"10.0.0.0/8\",\"nexthops\":[{\"gateway\":\"10.0.0.1\"}]}]||[0].nexthops[0].dev: expected a value, found none",
        "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\"}]|V6|ip-route.json: [0].dst: expected an ipv6 route in this file, found an ipv4 one ('10.0.0.0/8')",
    })
    void errorsNameTheJsonPath(String json, String family, String message) {
        Optional<Family> f = family == null ? Optional.empty() : Optional.of(Family.valueOf(family));
        assertThatThrownBy(() -> IpRouteParser.parse("ip-route.json", json, f)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anyloopsProtocolReadsTheSameByNumberAndByName() throws SnapshotException {
        // with /etc/iproute2/rt_protos.d/anyloop.conf installed, ip prints the name instead of 77
        String byName = "[{\"dst\":\"10.9.0.0/16\",\"gateway\":\"10.0.0.2\",\"dev\":\"eth0\",\"protocol\":\"anyloop\",\"flags\":[]}]";
        String byNumber = byName.replace("\"anyloop\"", "\"77\"");
        List<Route> a = IpRouteParser.parse("ip-route.json", byName, Optional.empty());
        assertThat(a).isEqualTo(IpRouteParser.parse("ip-route.json", byNumber, Optional.empty()));
        assertThat(a.get(0).ownedByAnyloop()).isTrue();
    }
}
