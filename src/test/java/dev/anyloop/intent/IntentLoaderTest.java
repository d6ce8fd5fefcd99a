package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.Routing;
import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.RpFilter;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config touching every key of docs/network-yaml.md loads into exactly the expected records and defaults. */
class IntentLoaderTest {
    private static final String F = "good/full.yaml";

    private static Intent full() throws Exception {
        return IntentLoader.parse(F, IntentLoaderErrorsTest.resource(F));
    }

    private static Pos at(int line, int col) { return new Pos(F, line, col); }

    private static Ip ip(String s) { return Ip.parse(s); }

    private static InterfaceAddress ia(String s) { return InterfaceAddress.parse(s); }

    @Test
    void segmentsInFileOrder() throws Exception {
        Intent i = full();
        assertThat(i.file()).isEqualTo(F);
        assertThat(i.segments()).containsExactly(
                java.util.Map.entry("lan", new SegmentDef("lan", List.of(Prefix.parse("192.168.1.0/24"), Prefix.parse("fd00:1::/64")), at(3, 3))),
                java.util.Map.entry("iot", new SegmentDef("iot", List.of(Prefix.parse("192.168.2.0/24")), at(5, 3))));
    }

    @Test
    void routerWithEveryHostKey() throws Exception {
        HostDef r = full().hosts().get("router");
        assertThat(r.forwarding()).isTrue();
        assertThat(r.rpFilter()).isEqualTo(RpFilter.STRICT);
        assertThat(r.interfaces().keySet()).containsExactly("eth1", "eth2");
        assertThat(r.interfaces().get("eth1")).isEqualTo(new InterfaceDef("eth1", "lan",
                List.of(ia("192.168.1.1/24"), ia("fd00:1::1/64")), List.of(ip("192.168.1.254"), ip("fd00:1::fe")), at(13, 7)));
        assertThat(r.interfaces().get("eth2").gateways()).isEmpty();
        assertThat(r.loopbacks()).containsExactly(ia("10.53.0.1/32"), ia("10.53.0.2/32"), ia("fd53::1/128"));
        assertThat(r.routes()).containsExactly(
                new RouteDef(Prefix.parse("10.99.0.0/16"), Optional.of(ip("192.168.1.50")), Optional.of("eth1"), 10,
                        Optional.of(ip("10.53.0.1")), "unicast", at(22, 9)),
                new RouteDef(Prefix.parse("10.98.0.0/16"), Optional.empty(), Optional.empty(), 0, Optional.empty(),
                        "blackhole", at(28, 9)));
        assertThat(r.pos()).isEqualTo(at(9, 3));
    }

    @Test
    void hostDefaults() throws Exception {
        HostDef d = full().hosts().get("desktop");
        assertThat(d.forwarding()).isFalse();
        assertThat(d.rpFilter()).isEqualTo(RpFilter.LOOSE);
        assertThat(d.loopbacks()).isEmpty();
        assertThat(d.routes()).isEmpty();
        assertThat(d.interfaces().get("eth0").gateways()).containsExactly(ip("192.168.1.1")); // scalar form
        assertThat(full().hosts().keySet()).containsExactly("router", "desktop", "laptop", "iot");
    }

    @Test
    void servicesWithEveryKeyAndDefaults() throws Exception {
        Intent i = full();
        assertThat(i.services().keySet()).containsExactly("web", "dns", "blog");
        ServiceDef web = i.services().get("web");
        assertThat(web.allow().interfaces().get(0).pos()).isEqualTo(at(53, 20));
        assertThat(web).isEqualTo(new ServiceDef("web", List.of(ip("10.10.10.10")), List.of(new PortDef(Proto.TCP, 80)), false,
                List.of("desktop"),
                new AllowDef(List.of(new AllowEntry(AllowEntry.Kind.SEGMENT, "lan", Optional.empty(), Optional.empty(), at(51, 18)),
                        new AllowEntry(AllowEntry.Kind.SOURCE, "192.168.1.0/24", Optional.of(Prefix.parse("192.168.1.0/24")),
                                Optional.empty(), at(52, 17)),
                        new AllowEntry(AllowEntry.Kind.INTERFACE, "router:eth1", Optional.empty(),
                                Optional.of(new IfaceRef("router", "eth1", at(53, 20))), at(53, 20))), at(51, 7)),
                Bind.ANY, Optional.of(new DockerDef("ghost", List.of(new Intent.Publish(Proto.TCP, 80, 2368)), at(55, 7))),
                Routing.STATIC, at(44, 3), Optional.empty()));
        assertThat(web.allow().segments()).containsExactly("lan");
        assertThat(web.allow().sources()).containsExactly(Prefix.parse("192.168.1.0/24"));
        ServiceDef dns = i.services().get("dns");
        assertThat(dns.ping()).isTrue();
        assertThat(dns.bind()).isEqualTo(Bind.ADDRESS);
        assertThat(dns.allow().anyone()).isTrue();
        assertThat(dns.docker()).isEmpty();
        assertThat(dns.hosts()).containsExactly("router", "desktop"); // preference order -> metric 1, 2
        assertThat(dns.addresses()).containsExactly(ip("10.53.53.53"), ip("fd53::53"));
        assertThat(dns.ports()).containsExactly(new PortDef(Proto.UDP, 53), new PortDef(Proto.TCP, 53));
        DockerDef blog = i.services().get("blog").docker().orElseThrow();
        assertThat(blog.publish()).containsExactly(new Intent.Publish(Proto.TCP, 8080, 8080)); // host-port defaults to container-port
        assertThat(i.services().get("blog").ports()).isEmpty();
    }

    @Test
    void sourcesAndExpectations() throws Exception {
        Intent i = full();
        assertThat(i.sources()).containsExactly(
                new SourceDef("router", Prefix.parse("192.168.1.0/24"), ip("10.53.0.2"), at(68, 5)),
                new SourceDef("router", Prefix.parse("10.99.0.0/16"), ip("10.53.53.53"), at(69, 5)));
        assertThat(i.expectations()).containsExactly(
                new ExpectDef("laptop", "web", Proto.TCP, 80, true, at(72, 5)),
                new ExpectDef("iot", "10.10.10.10", Proto.ICMP, 0, false, at(73, 5)),
                new ExpectDef("laptop", "fd53::53", Proto.UDP, 53, true, at(74, 5))); // canonical address
    }

    @Test
    void minimalFileNeedsOnlyHosts() throws Exception {
        Intent i = IntentLoader.parse("min.yaml", "hosts:\n  lonely:\n".getBytes(StandardCharsets.UTF_8));
        assertThat(i.hosts().get("lonely")).isEqualTo(new HostDef("lonely", false, RpFilter.LOOSE, java.util.Map.of(),
                List.of(), List.of(), new Pos("min.yaml", 2, 3)));
        assertThat(i.segments()).isEmpty();
        assertThat(i.services()).isEmpty();
        assertThat(i.sources()).isEmpty();
        assertThat(i.expectations()).isEmpty();
    }

    @Test
    void byteOrderMarkIsAccepted() throws Exception {
        Intent i = IntentLoader.parse("bom.yaml", "\uFEFFhosts:\n  a: {}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(i.hosts()).containsKey("a");
    }

    @Test
    void anchorsWithinTheBudgetAreFine() throws Exception {
        String yaml = "segments:\n  lan: { prefixes: &p [10.0.0.0/24] }\nhosts:\n  a:\n    interfaces:\n"
                + "      eth0: &e { segment: lan, addresses: [10.0.0.1/24] }\n  b:\n    interfaces:\n"
                + "      eth0: { segment: lan, addresses: [10.0.0.2/24] }\n";
        assertThat(IntentLoader.parse("a.yaml", yaml.getBytes(StandardCharsets.UTF_8)).hosts()).hasSize(2);
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("network.yaml");
        Files.write(file, IntentLoaderErrorsTest.resource(F));
        assertThat(IntentLoader.load(file)).isEqualTo(IntentLoader.parse(file.toString(), IntentLoaderErrorsTest.resource(F)));
    }
}
