package dev.anyloop.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bgp.BgpPath.Learned;
import dev.anyloop.bgp.BgpPath.Origin;
import dev.anyloop.bgp.BgpPath.Originated;
import dev.anyloop.bgp.Decision.Criterion;
import dev.anyloop.net.Ip;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;

/** BIRD's bgp_rte_better() step by step: each pair differs from the base route in one attribute. */
class DecisionTest {
    private static final Decision AS65000 = new Decision(65000, true);

    static Learned from(String peer, long asn, String id, String addr, boolean ibgp) {
        return new Learned(peer + ".v4", peer, asn, Ip.parse(id), Ip.parse(addr), "eth0", ibgp);
    }

    static BgpPath path(Learned l, List<Long> as, OptionalLong med, long pref) {
        return new BgpPath(l, as, med, pref, Origin.IGP);
    }

    static final Learned P = from("p", 65001, "10.0.0.5", "10.1.0.5", false);
    static final BgpPath BASE = path(P, List.of(65001L, 4200000000L), OptionalLong.of(5), 100);

    static Stream<Arguments> worse() {
        Learned higherId = from("q", 65002, "10.0.0.6", "10.1.0.4", false);
        Learned higherAddr = from("p", 65001, "10.0.0.5", "10.1.0.6", false);
        return Stream.of(
            Arguments.of("lower local pref", path(P, BASE.asPath(), BASE.med(), 90), Criterion.LOCAL_PREF),
            Arguments.of("longer AS path", path(P, List.of(65001L, 65003L, 4200000000L), OptionalLong.of(0), 100), Criterion.AS_PATH),
            Arguments.of("worse origin", new BgpPath(P, BASE.asPath(), BASE.med(), 100, Origin.INCOMPLETE), Criterion.ORIGIN),
            Arguments.of("higher MED", path(P, BASE.asPath(), OptionalLong.of(6), 100), Criterion.MED),
            Arguments.of("iBGP", path(from("p", 65000, "10.0.0.1", "10.1.0.1", true), BASE.asPath(), BASE.med(), 100), Criterion.EBGP),
            Arguments.of("higher router id", path(higherId, List.of(65002L, 4200000000L), BASE.med(), 100), Criterion.ROUTER_ID),
            Arguments.of("higher peer address", path(higherAddr, BASE.asPath(), BASE.med(), 100), Criterion.PEER_ADDRESS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("worse")
    void theBaseWinsByExactlyThatStep(String what, BgpPath other, Criterion why) {
        assertThat(AS65000.compare(BASE, other)).isEqualTo(new Decision.Outcome(-1, why));
        assertThat(AS65000.compare(other, BASE)).isEqualTo(new Decision.Outcome(1, why));
    }

    @Test
    void ownAnnouncementBeatsEveryBgpRoute() {
        BgpPath own = new BgpPath(new Originated("r1", "dns"), List.of(), OptionalLong.empty(), 100, Origin.IGP);
        assertThat(AS65000.compare(own, path(P, List.of(), OptionalLong.of(0), 1000)).criterion()).isEqualTo(Criterion.PREFERENCE);
        assertThat(AS65000.mergable(own, BASE)).isFalse();
    }

    @Test
    void aMissingMedIsZero() {
        BgpPath none = path(P, BASE.asPath(), OptionalLong.empty(), 100);
        assertThat(AS65000.compare(none, BASE)).isEqualTo(new Decision.Outcome(-1, Criterion.MED));
    }

    @Test
    void withoutMedMetricMedIsComparedOnlyFromTheSameNeighbourAs() {
        Decision standard = new Decision(65000, false);
        BgpPath otherAs = path(from("q", 65002, "10.0.0.6", "10.1.0.6", false), List.of(65002L, 4200000000L), OptionalLong.of(0), 100);
        assertThat(standard.compare(BASE, otherAs).criterion()).isEqualTo(Criterion.ROUTER_ID); // MED 5 vs 0 skipped
        assertThat(AS65000.compare(BASE, otherAs).criterion()).isEqualTo(Criterion.MED);
        assertThat(standard.mergable(BASE, otherAs)).isTrue();
        assertThat(AS65000.mergable(BASE, otherAs)).isFalse();
    }

    @Test
    void mergableIgnoresRouterIdAndPeerAddressOnly() {
        BgpPath twin = path(from("q", 65002, "10.0.0.6", "10.1.0.6", false), List.of(65002L, 4200000000L), BASE.med(), 100);
        assertThat(AS65000.mergable(BASE, twin)).isTrue();
        worse().map(a -> (BgpPath) a.get()[1]).filter(p -> p.source().learned().orElseThrow().peerRouterId().equals(P.peerRouterId())
                && !p.source().learned().orElseThrow().peerAddress().equals(P.peerAddress()))
                .forEach(p -> assertThat(AS65000.mergable(BASE, p)).isTrue());
        assertThat(AS65000.mergable(BASE, path(P, BASE.asPath(), OptionalLong.of(6), 100))).isFalse();
        assertThat(AS65000.mergable(BASE, path(from("p", 65000, "10.0.0.1", "10.1.0.1", true), BASE.asPath(), BASE.med(), 100))).isFalse();
    }
}
