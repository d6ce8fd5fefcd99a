package dev.anyloop.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheRealTwoHostSnapshot() throws SnapshotException {
        Network n = SnapshotReader.read(Fixtures.realDir());
        assertThat(n.hosts().keySet()).containsExactly("peer", "router");
        DeviceState r = n.host("router").orElseThrow();
        assertThat(r.hasAddress(Ip.parse("10.53.0.1"))).isTrue();
        // each IPv6 route once although ip-route.json and ip6-route.json both list it
        assertThat(r.routes(Family.V6)).doesNotHaveDuplicates()
                .filteredOn(x -> x.dst().toString().equals("fd00:60::/64")).hasSize(1);
        assertThat(r.routes(Family.V4)).extracting(Route::toString).contains("10.1.1.0/24 via 192.168.50.2 dev va0 proto 77 metric 5");
        assertThat(r.rules(Family.V4)).hasSize(11);
        assertThat(r.rules(Family.V6)).hasSize(4);
        assertThat(r.ipv4().chain("filter", "LOOPBACK_ADDR")).isPresent();
        assertThat(r.ipv6().chain("filter", "SVC")).isPresent();
        assertThat(r.sysctls().ipv4Forwarding()).isTrue();
        assertThat(r.listeners()).hasSize(14);
        // a fresh namespace: empty iptables-save, no listeners
        DeviceState p = n.host("peer").orElseThrow();
        assertThat(p.ipv4().tables()).isEmpty();
        assertThat(p.listeners()).isEmpty();
    }

    @Test
    void segmentsFromLinksAndOverlappingPrefixes() throws SnapshotException {
        Network n = SnapshotReader.read(Fixtures.realDir());
        assertThat(n.segments()).extracting(Segment::name)
                .containsExactly("router:va0--peer:vb0", "auto-172.16.9.0/24", "auto-172.16.10.0/24");
        assertThat(n.segmentOf("peer", "vb0").orElseThrow().ports()).containsExactly(new Segment.Port("router", "va0"),
                new Segment.Port("peer", "vb0"));
        assertThat(n.segmentOf("router", "lo")).isEmpty();
    }

    @Test
    void withoutLinksTxtTheVethIsFoundByItsPrefix() throws Exception {
        Path dir = copyReal();
        Files.delete(dir.resolve("links.txt"));
        Network n = SnapshotReader.read(dir);
        Segment s = n.segmentOf("router", "va0").orElseThrow();
        assertThat(s.name()).isEqualTo("auto-192.168.50.0/24");
        assertThat(s.ports()).containsExactly(new Segment.Port("peer", "vb0"), new Segment.Port("router", "va0"));
    }

    @Test
    void segmentsGroupTransitivelyAndNeverTakeLo() {
        Map<String, DeviceState> hosts = new java.util.LinkedHashMap<>();
        hosts.put("a", host("a", "eth0", "10.0.0.1/16", "lo", "10.0.0.9/32"));
        hosts.put("b", host("b", "eth0", "10.0.1.1/24", "eth1", "192.168.1.1/24"));
        hosts.put("c", host("c", "eth0", "10.0.2.1/24", "eth1", "fd00::1/64"));
        hosts.put("d", host("d", "eth0", "192.168.1.2/25", "eth1", "fd00::2/64"));
        List<Segment> segs = Segments.build(hosts, List.of());
        assertThat(segs).extracting(s -> s.name() + "=" + s.ports()).containsExactly(
                "auto-10.0.0.0/16=[a:eth0, b:eth0, c:eth0]",
                "auto-192.168.1.0/24=[b:eth1, d:eth0]",
                "auto-fd00::/64=[c:eth1, d:eth1]");
    }

    private static DeviceState host(String name, String dev1, String a1, String dev2, String a2) {
        List<Link> links = List.of(new Link(dev1, dev1.equals("lo") ? Link.Kind.LOOPBACK : Link.Kind.ETHER, true),
                new Link(dev2, dev2.equals("lo") ? Link.Kind.LOOPBACK : Link.Kind.ETHER, true));
        List<Address> addrs = List.of(Address.global(dev1, InterfaceAddress.parse(a1)), Address.global(dev2, InterfaceAddress.parse(a2)));
        return new DeviceState(name, links, addrs, List.of(), List.of(), dev.anyloop.state.Sysctls.of(Map.of()),
                dev.anyloop.state.Netfilter.empty(Family.V4), dev.anyloop.state.Netfilter.empty(Family.V6), List.of());
    }

    @Test
    void optionalFilesAbsentMeanDefaults() throws Exception {
        Path dir = tmp.resolve("snap");
        Path h = Files.createDirectories(dir.resolve("h1"));
        Files.writeString(h.resolve("ip-addr.json"), Fixtures.real("peer/ip-addr.json"));
        Files.writeString(h.resolve("ip-route.json"), Fixtures.real("peer/ip-route.json"));
        DeviceState d = SnapshotReader.read(dir).host("h1").orElseThrow();
        assertThat(d.rules()).containsExactlyElementsOf(
                Stream.concat(PolicyRule.defaults(Family.V4).stream(), PolicyRule.defaults(Family.V6).stream()).toList());
        assertThat(d.ipv4().isEmpty()).isTrue();
        assertThat(d.ipv6().isEmpty()).isTrue();
        assertThat(d.listeners()).isEmpty();
        assertThat(d.sysctls().values()).isEmpty();
        // without ip6-route.json the IPv6 routes come from the mixed "table all" dump
        assertThat(d.routes(Family.V6)).isNotEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "router/ip-addr.json|router/ip-addr.json: this file is required and is missing",
        "router/ip-route.json|router/ip-route.json: this file is required and is missing",
    })
    void missingRequiredFileIsNamed(String file, String message) throws Exception {
        Path dir = copyReal();
        Files.delete(dir.resolve(file));
        assertThatThrownBy(() -> SnapshotReader.read(dir)).isInstanceOf(SnapshotException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "router/iptables.rules|*filter\\n-A INPUT -j ACCEPT\\nCOMMIT|router/iptables.rules:2: expected a chain declared in table 'filter'",
        "router/ip-route.json|[{\"dst\":\"x\"}]|router/ip-route.json: [0].dst: expected \"default\", ADDR or ADDR/LEN, found 'x'",
        "router/ip6-route.json|[{\"dst\":\"10.0.0.0/8\",\"dev\":\"e\"}]|router/ip6-route.json: [0].dst: expected an ipv6 route in this file",
        "router/ip6-rule.json|[{\"priority\":1,\"src\":\"10.0.0.0\",\"srclen\":8,\"table\":\"main\"}]|router/ip6-rule.json: [0].src: expected an ipv6 address",
        "router/sysctl.txt|oops|router/sysctl.txt:1: expected 'key = value', found 'oops'",
        "router/listen.txt|\\nicmp x|router/listen.txt:2: expected 'tcp' or 'udp'",
        "links.txt|# cable\\nrouter va0 nohost vb0|links.txt:2: expected a host of this snapshot (peer, router), found 'nohost'",
        "links.txt|router eth7 peer vb0|links.txt:1: expected an interface of router (lo, va0, dum0p, dum0, br0, dum1p, dum1), found 'eth7'",
        "links.txt|router va0 peer|links.txt:1: expected 'hostA ifA hostB ifB', found 3 words: 'router va0 peer'",
        "links.txt|router va0 router va0|links.txt:1: expected two different interfaces, found router:va0 twice",
        "links.txt|router va0 peer vb0\\nrouter va0 router br0 # again|links.txt:2: router:va0 is already cabled at line 1",
        "links.txt|router lo peer vb0|links.txt:1: expected a cabled interface, found router:lo",
    })
    void errorsInAnyFileNameHostFileAndPlace(String file, String content, String message) throws Exception {
        Path dir = copyReal();
        Files.writeString(dir.resolve(file), content.replace("\\n", "\n"));
        assertThatThrownBy(() -> SnapshotReader.read(dir)).isInstanceOf(SnapshotException.class).hasMessageStartingWith(message);
    }

    @Test
    void folderWithoutHostsOrMissingIsAnError() throws IOException {
        assertThatThrownBy(() -> SnapshotReader.read(tmp)).hasMessageContaining("expected one folder per host");
        assertThatThrownBy(() -> SnapshotReader.read(tmp.resolve("nope"))).hasMessageContaining("expected a snapshot folder, found none");
    }

    private Path copyReal() throws IOException {
        Path dst = tmp.resolve("copy");
        Path src = Fixtures.realDir();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return dst;
    }
}
