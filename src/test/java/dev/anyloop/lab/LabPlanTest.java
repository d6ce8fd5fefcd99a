package dev.anyloop.lab;

import static dev.anyloop.lab.Hosts.host;
import static dev.anyloop.lab.Hosts.network;
import static dev.anyloop.lab.Hosts.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabPlanTest {
    @Test
    void twoMemberSegmentsAreDirectPairsNamedAsDeclared() {
        LabPlan p = LabPlan.of("t", Hosts.routed());
        assertThat(p.namespaces()).extracting(LabPlan.Namespace::name).containsExactly("al-t-client", "al-t-router", "al-t-server");
        assertThat(p.veths()).containsExactly(
                new LabPlan.Veth(new LabPlan.End("al-t-client", "eth0", Optional.empty()), new LabPlan.End("al-t-router", "eth0", Optional.empty())),
                new LabPlan.Veth(new LabPlan.End("al-t-router", "eth1", Optional.empty()), new LabPlan.End("al-t-server", "eth0", Optional.empty())));
        assertThat(p.bridges()).isEmpty();
        assertThat(p.createBatch()).isEqualTo(
                "link add eth0 netns al-t-client type veth peer name eth0 netns al-t-router\n"
                + "link add eth1 netns al-t-router type veth peer name eth0 netns al-t-server\n");
    }

    @Test
    void multiAccessSegmentGetsASwitchNamespaceWithABridge() {
        LabPlan p = LabPlan.of("t", Hosts.shared());
        assertThat(p.namespaces()).contains(new LabPlan.Namespace("al-t-sw-lan", LabPlan.Role.SWITCH, "lan"));
        assertThat(p.bridges()).containsExactly(new LabPlan.Bridge("al-t-sw-lan", "br0"));
        assertThat(p.veths()).hasSize(3).allSatisfy(v -> {
            assertThat(v.a().name()).isEqualTo("eth0");
            assertThat(v.b().namespace()).isEqualTo("al-t-sw-lan");
            assertThat(v.b().master()).contains("br0");
        });
        assertThat(p.interfacesIn("al-t-sw-lan")).containsExactly("br0", "v0-h1", "v1-h2", "v2-h3");
        assertThat(p.linkBatch("al-t-sw-lan", Hosts.shared())).isEqualTo("link set dev lo up\nlink set dev br0 up\n"
                + "link set dev v0-h1 master br0\nlink set dev v0-h1 up\nlink set dev v1-h2 master br0\nlink set dev v1-h2 up\n"
                + "link set dev v2-h3 master br0\nlink set dev v2-h3 up\n");
    }

    @Test
    void hostBridgeIsTheHubOfItsSegment() {
        LabPlan p = LabPlan.of("t", Hosts.docker());
        assertThat(p.namespaces()).extracting(LabPlan.Namespace::role).containsOnly(LabPlan.Role.HOST);
        assertThat(p.bridges()).containsExactly(new LabPlan.Bridge("al-t-desktop", "docker0"));
        assertThat(p.veths()).containsExactly(new LabPlan.Veth(new LabPlan.End("al-t-desktop-ghost", "eth0", Optional.empty()),
                new LabPlan.End("al-t-desktop", "v0-desktop-ghos", Optional.of("docker0"))));
    }

    @Test
    void unattachedInterfaceGetsAStubPairInsideItsNamespace() {
        Network n = network(List.of(host("a").iface("eth0", "10.0.0.1/24").iface("eth9", "10.9.0.1/24").build(),
                host("b").iface("eth0", "10.0.0.2/24").build()), segment("s", "a:eth0", "b:eth0"));
        LabPlan p = LabPlan.of("t", n);
        assertThat(p.veths()).contains(new LabPlan.Veth(new LabPlan.End("al-t-a", "eth9", Optional.empty()),
                new LabPlan.End("al-t-a", "v0-eth9", Optional.empty())));
    }

    @Test
    void generatedNamesAvoidDeclaredOnes() {
        Network n = network(List.of(host("d").bridge("br", "172.17.0.1/16").iface("v0-c", "10.1.0.1/24").build(),
                host("c").iface("eth0", "172.17.0.2/16").build()), segment("s", "d:br", "c:eth0"));
        LabPlan p = LabPlan.of("t", n);
        assertThat(p.interfacesIn("al-t-d")).contains("v0-c", "v1-c", "br");
    }

    @Test
    void everyCreatedDeviceNamesItsNamespaceSoNothingLandsInTheRootNamespace() {
        for (Network n : List.of(Hosts.routed(), Hosts.shared(), Hosts.docker())) {
            LabPlan p = LabPlan.of("t", n);
            for (String line : p.createBatch().split("\n")) {
                assertThat(line).matches("link add \\S+ netns al-t-\\S+ type (bridge|veth peer name \\S+ netns al-t-\\S+)");
            }
        }
    }

    @Test
    void planIsDeterministic() {
        assertThat(LabPlan.of("x", Hosts.shared())).isEqualTo(LabPlan.of("x", Hosts.shared()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "1lab", "my-lab", "lab_1", "abcdefghijklm", "lab.x", "l b"})
    void badLabNamesAreRejectedWithTheReason(String lab) {
        assertThatThrownBy(() -> LabPlan.of(lab, Hosts.routed())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid lab name '" + lab + "'");
    }

    @Test
    void aPortOnTwoSegmentsIsRejected() {
        Network n = network(List.of(host("a").iface("eth0", "10.0.0.1/24").build(), host("b").iface("eth0", "10.0.0.2/24").build(),
                host("c").iface("eth0", "10.0.0.3/24").build()), segment("s1", "a:eth0", "b:eth0"), segment("s2", "a:eth0", "c:eth0"));
        assertThatThrownBy(() -> LabPlan.of("t", n)).hasMessage("port a:eth0 is on two segments (second: s2)");
    }

    @Test
    void aPortOfAnUnknownHostIsRejected() {
        Network n = network(List.of(host("a").iface("eth0", "10.0.0.1/24").build()), segment("s", "a:eth0", "zz:eth0"));
        assertThatThrownBy(() -> LabPlan.of("t", n)).hasMessageContaining("names host 'zz', which is not in the network");
    }

    @Test
    void aLoopbackPortIsRejected() {
        Network n = network(List.of(host("a").build(), host("b").iface("eth0", "10.0.0.2/24").build()), segment("s", "a:lo", "b:eth0"));
        assertThatThrownBy(() -> LabPlan.of("t", n)).hasMessageContaining("is the loopback");
    }

    @Test
    void aHostNamedLikeASwitchNamespaceIsRejected() {
        Network n = network(List.of(host("a").iface("eth0", "10.0.0.1/24").build(), host("b").iface("eth0", "10.0.0.2/24").build(),
                host("c").iface("eth0", "10.0.0.3/24").build(), host("sw-lan").build()), segment("lan", "a:eth0", "b:eth0", "c:eth0"));
        assertThatThrownBy(() -> LabPlan.of("t", n)).hasMessageContaining("namespace 'al-t-sw-lan' would stand for both host 'sw-lan' and switch 'lan'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijklmnop", "eth/0", "eth 0", "."})
    void invalidInterfaceNamesAreRejected(String dev) {
        Network n = network(List.of(host("a").iface(dev, "10.0.0.1/24").build()));
        assertThatThrownBy(() -> LabPlan.of("t", n)).hasMessageContaining("invalid interface name '" + dev + "'");
    }

    @Test
    void unknownHostHasNoNamespace() {
        assertThatThrownBy(() -> LabPlan.of("t", Hosts.routed()).namespaceOf("nope")).hasMessage("no host 'nope' in lab t");
    }

    /** Random networks: in every namespace, interface names are unique, at most 15 bytes, and every declared link exists. */
    @Property(tries = 200)
    void namesAreShortAndUniquePerNamespace(@ForAll @IntRange(min = 1, max = 30) int hosts,
                                            @ForAll @IntRange(min = 0, max = 8) int segments, @ForAll long seed) {
        Network n = Generated.network(hosts, segments, seed);
        LabPlan p = LabPlan.of("prop", n);
        Set<String> nsNames = new HashSet<>();
        for (LabPlan.Namespace ns : p.namespaces()) {
            assertThat(nsNames.add(ns.name())).isTrue();
            List<String> names = new ArrayList<>(p.interfacesIn(ns.name()));
            assertThat(new HashSet<>(names)).hasSameSizeAs(names);
            assertThat(names).allSatisfy(x -> assertThat(x.getBytes(StandardCharsets.UTF_8).length).isBetween(1, 15));
            if (ns.role() == LabPlan.Role.HOST) {
                DeviceState d = n.host(ns.owner()).orElseThrow();
                d.links().stream().filter(l -> !l.name().equals("lo")).forEach(l -> assertThat(names).contains(l.name()));
            }
        }
        assertThat(LabPlan.of("prop", n)).isEqualTo(p);
    }
}
