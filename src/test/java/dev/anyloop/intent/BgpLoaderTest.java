package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bgp.BgpNet;
import dev.anyloop.intent.BgpDef.Preference;
import dev.anyloop.intent.BgpDef.Role;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bgp: section as read and completed by the default plan. */
class BgpLoaderTest {
    static Intent parse(String yaml) throws ConfigException { return IntentLoader.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)); }

    @Test
    void anycastGetsTheDefaultPlanForItsServers() throws Exception {
        BgpDef bgp = IntentLoader.load(Path.of("examples/anycast.yaml")).bgp();
        assertThat(bgp.speakers().values()).extracting(BgpDef.Speaker::host, BgpDef.Speaker::role, BgpDef.Speaker::asn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ra", Role.ROUTER, 65001L), org.assertj.core.groups.Tuple.tuple("rb", Role.ROUTER, 65002L),
                        org.assertj.core.groups.Tuple.tuple("dns-a1", Role.SERVER, 4200000000L), org.assertj.core.groups.Tuple.tuple("dns-a2", Role.SERVER, 4200000001L),
                        org.assertj.core.groups.Tuple.tuple("dns-b1", Role.SERVER, 4200000002L), org.assertj.core.groups.Tuple.tuple("dns-b2", Role.SERVER, 4200000003L));
        // router ids: a loopback first, else the first IPv4 interface address (never the shared service address)
        assertThat(bgp.speakers().get("ra").routerId()).isEqualTo(Ip.parse("10.255.0.1"));
        assertThat(bgp.speakers().get("dns-a1").routerId()).isEqualTo(Ip.parse("10.1.1.11"));
        // one session per shared segment and family; servers never peer with servers
        assertThat(bgp.sessions()).hasSize(10);
        assertThat(bgp.sessions()).noneMatch(s -> s.a().host().startsWith("dns") && s.b().host().startsWith("dns"));
        assertThat(bgp.sessionsOf("ra")).extracting(s -> s.peerOf("ra").host() + "/" + s.family())
                .containsExactly("rb/V4", "rb/V6", "dns-a1/V4", "dns-a1/V6", "dns-a2/V4", "dns-a2/V6");
        assertThat(bgp.services().get("dns").preference()).isEqualTo(Preference.MED);
        assertThat(bgp.replacesStatic("dns")).isTrue();
        assertThat(bgp.bfd()).isTrue();
        assertThat(bgp.holdTime()).isEqualTo(9);
    }

    /**
     * The validator and the health checks run on the resolved bgp: section. Before, they saw every service as
     * statically routed: a health: section on anycast.yaml was refused for want of probe-sources (the routers seemed
     * to probe the DNS servers along static routes that BGP replaces), and the compiler then built those probe paths.
     */
    @Test
    void healthOnABgpServiceNeedsNoRouterProbePaths() throws Exception {
        String yaml = java.nio.file.Files.readString(Path.of("examples/anycast.yaml"))
                + "\nhealth:\n  services:\n    dns: { check: dns, port: udp/53, query: whoami.anyloop, type: TXT }\n";
        Intent i = parse(yaml);
        assertThat(i.warnings()).isEmpty();
        assertThat(ProbePairs.of(i)).isEmpty();
        assertThat(dev.anyloop.compile.Compiler.compile(i).host("ra").orElseThrow().rules())
                .noneMatch(r -> r.priority() > ProbePairs.TABLE_BASE && r.priority() < ProbePairs.TABLE_BASE + 100);
        // beside static routes (static-routes: true) the routers do probe their servers, and need the prefix
        String beside = yaml.replace("  services: [dns]                        # announced", "  services: { dns: { static-routes: true } }   # announced");
        assertThat(beside).isNotEqualTo(yaml);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(beside)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe-sources");
    }

    /** A source address on a BGP router toward a BGP-announced service is carried by the route BIRD installs. */
    @Test
    void aSourceOnABgpRouterTowardABgpServiceIsRouted() throws Exception {
        String yaml = java.nio.file.Files.readString(Path.of("examples/anycast.yaml"))
                + "\nsource-addresses:\n  - { host: ra, to: 10.53.0.53, from: 10.255.0.1 }\n";
        assertThat(parse(yaml).sources()).hasSize(1);
        String off = yaml.replace("{ host: ra, to: 10.53.0.53,", "{ host: ra, to: 10.99.0.1,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(off)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("to 10.99.0.1/32 is not covered by any route of host ra");
    }

    @Test
    void theDefaultPlanSkipsNumbersWrittenForOtherHosts() throws Exception {
        Intent i = parse(new BgpNet().router("r1").router("r2", 64512L).router("r3").lan(List.of("r1"), "s1", "s2")
                .service("dns", 52, "med", "s1", "s2").speaker("s2", "asn: 4200000000").yaml());
        assertThat(i.bgp().speakers().values()).extracting(BgpDef.Speaker::asn).containsExactly(64513L, 64512L, 64514L, 4200000001L, 4200000000L);
    }

    @Test
    void pastTheSixteenBitRangeRoutersContinueInTheUpperPrivateRange() throws Exception {
        StringBuilder y = new StringBuilder("segments:\n");
        for (int k = 0; k < 1024; k++) y.append("  n").append(k).append(": { prefixes: [10.").append(k / 256).append('.').append(k % 256).append(".0/24] }\n");
        y.append("hosts:\n");
        for (int k = 0; k < 1024; k++) {
            y.append("  r").append(k).append(":\n    forwarding: true\n    interfaces:\n      e0: { segment: n").append(k)
                    .append(", addresses: [10.").append(k / 256).append('.').append(k % 256).append(".1/24] }\n");
        }
        y.append("  s0:\n    interfaces:\n      e0: { segment: n0, addresses: [10.0.0.2/24] }\n");
        y.append("services:\n  dns: { addresses: [10.53.0.53], hosts: [s0] }\nbgp:\n  services: [dns]\n");
        BgpDef bgp = parse(y.toString()).bgp();
        assertThat(bgp.speakers().get("r1022").asn()).isEqualTo(65534L);
        assertThat(bgp.speakers().get("r1023").asn()).isEqualTo(4250000000L);
        assertThat(bgp.speakers().get("s0").asn()).isEqualTo(4200000000L);
    }

    @Test
    void servicesAsAMappingCarryPreferenceAndStaticRoutes() throws Exception {
        String yaml = new BgpNet().router("r1").lan(List.of("r1"), "s1", "s2").service("dns", 52, "prepend", "s1", "s2")
                .service("web", 79, "equal", "s2").yaml().replace("web: { preference: equal }", "web: { preference: equal, static-routes: true }");
        BgpDef bgp = parse(yaml).bgp();
        assertThat(bgp.services().get("dns").preference()).isEqualTo(Preference.PREPEND);
        assertThat(bgp.services().get("web").preference()).isEqualTo(Preference.EQUAL);
        assertThat(bgp.replacesStatic("dns")).isTrue();
        assertThat(bgp.replacesStatic("web")).isFalse();
        assertThat(bgp.announce("web").orElseThrow().staticRoutes()).isTrue();
        assertThat(Preference.MED.med(2)).hasValue(2);
        assertThat(Preference.PREPEND.med(2)).isEmpty();
        assertThat(Preference.PREPEND.prepend(2)).isEqualTo(2);
        assertThat(Preference.EQUAL.prepend(2)).isZero();
    }

    @Test
    void peersNarrowTheSessionsAndRoutersCanBeListed() throws Exception {
        // r1 and r2 share the LAN with s1: s1 peers with r1 only; r3 is forwarding but not a BGP router
        Intent i = parse(new BgpNet().router("r1").router("r2").router("r3").link("r1", "r2").link("r2", "r3").lan(List.of("r1", "r2"), "s1")
                .service("dns", 52, "med", "s1").speaker("s1", "peers: [r1]").bgp("  routers: [r1, r2]\n").yaml());
        assertThat(i.bgp().speakers()).doesNotContainKey("r3");
        assertThat(i.bgp().sessionsOf("s1")).extracting(s -> s.peerOf("s1").host()).containsExactly("r1");
        assertThat(i.bgp().sessionsOf("r2")).extracting(s -> dev.anyloop.bgp.BirdNames.session(s, "r2")).containsExactly("r1.v4", "r1.v4.2"); // link and LAN
    }

    @Test
    void bfdCanBeTurnedOffForAllOrOneHost() throws Exception {
        Intent i = parse(new BgpNet().router("r1").lan(List.of("r1"), "s1", "s2").service("dns", 52, "med", "s1", "s2")
                .speaker("s2", "bfd: false").yaml());
        assertThat(i.bgp().speakers().get("s1").bfd()).isTrue();
        assertThat(i.bgp().speakers().get("s2").bfd()).isFalse();
        Intent off = parse(new BgpNet().router("r1").lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").bgp("  bfd: false\n").yaml());
        assertThat(off.bgp().speakers().values()).noneMatch(BgpDef.Speaker::bfd);
    }

    @Test
    void onlyFamiliesWithBgpServiceAddressesGetSessions() throws Exception {
        Intent i = parse(new BgpNet().dualStack().router("r1").lan(List.of("r1"), "s1").service("dns", 52, "med", "s1").yaml()
                .replace(", \"fd53::35\"", ""));
        assertThat(i.bgp().sessions()).extracting(BgpDef.Session::family).containsOnly(Family.V4);
    }

    @Test
    void withoutABgpSectionNothingChanges() throws Exception {
        Intent home = IntentLoader.load(Path.of("examples/home.yaml"));
        assertThat(home.bgp()).isSameAs(BgpDef.NONE);
        assertThat(home.bgp().enabled()).isFalse();
        assertThat(home.bgp().replacesStatic("dns")).isFalse();
    }
}
