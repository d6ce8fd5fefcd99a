package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error of the bgp: section, as the exact "file:line:col: message" lines a user sees. Each file in
 * src/test/resources/bad-bgp is one small valid network (routers r1, r2; servers s1, s2 of service dns; client c1)
 * with one thing wrong in or around its bgp: section.
 */
class BgpLoaderErrorsTest {
    static Stream<Arguments> badFiles() {
        return Stream.of(
            row("asn-not-integer",
                    "bad-bgp/asn-not-integer.yaml:31:16: bgp: speaker r1: asn: expected an integer, got '65000.1'"),
            row("asn-range",
                    "bad-bgp/asn-range.yaml:31:16: bgp: speaker r1: asn: 0 is not in 1..4294967294",
                    "bad-bgp/asn-range.yaml:32:16: bgp: speaker r2: asn: 4294967295 is not in 1..4294967294"),
            row("asn-reserved",
                    "bad-bgp/asn-reserved.yaml:31:16: bgp: speaker r1: asn: 23456 is reserved (AS_TRANS, RFC 6793)",
                    "bad-bgp/asn-reserved.yaml:32:16: bgp: speaker r2: asn: 65535 is reserved (RFC 7300)"),
            row("bfd-word",
                    "bad-bgp/bfd-word.yaml:31:16: bgp: speaker r1: bfd: expected true or false, got 'on'"),
            row("hold-time-range",
                    "bad-bgp/hold-time-range.yaml:30:14: bgp: hold-time: 70000 is not in 0..65535"),
            row("hold-time",
                    "bad-bgp/hold-time.yaml:30:14: bgp: hold-time: 2 is neither 0 (no keepalives) nor at least 3 seconds (RFC 4271 4.2)"),
            row("no-router-on-segment",
                    "bad-bgp/no-router-on-segment.yaml:27:13: bgp: service dns: host s1 has no IPv4 BGP session to a router: no BGP router shares a segment and an IPv4 subnet with it, so it cannot announce 10.53.0.53",
                    "bad-bgp/no-router-on-segment.yaml:27:17: bgp: service dns: host s2 has no IPv4 BGP session to a router: no BGP router shares a segment and an IPv4 subnet with it, so it cannot announce 10.53.0.53"),
            row("not-mapping",
                    "bad-bgp/not-mapping.yaml:28:6: bgp: expected a mapping, got a list"),
            row("peer-itself",
                    "bad-bgp/peer-itself.yaml:31:19: bgp: speaker r1: peers: a host does not peer with itself"),
            row("peer-no-shared-segment",
                    "bad-bgp/peer-no-shared-segment.yaml:31:23: bgp: speaker s1: peers: host r2 shares no segment with s1 where both have an address of one family (BGP sessions here are direct, not multihop)"),
            row("peer-not-bgp",
                    "bad-bgp/peer-not-bgp.yaml:31:31: bgp: speaker r1: peers: host c1 does not speak BGP (not a BGP router, and serves no BGP service)"),
            row("peer-not-mutual",
                    "bad-bgp/peer-not-mutual.yaml:31:19: bgp: speaker r1: peers: host r2 is listed, but the peers of r2 do not list r1"),
            row("peer-server-server",
                    "bad-bgp/peer-server-server.yaml:31:23: bgp: speaker s1: peers: host s2 is a server, like s1: servers peer with routers only"),
            row("peer-twice",
                    "bad-bgp/peer-twice.yaml:31:31: bgp: speaker r1: peers: 's1' is listed twice"),
            row("peer-undefined",
                    "bad-bgp/peer-undefined.yaml:31:31: bgp: speaker r1: peers: host 'r3' is not defined (did you mean 'r1'?)"),
            row("peers-exclude-router",
                    "bad-bgp/peers-exclude-router.yaml:27:17: bgp: service dns: host s2 has no IPv4 BGP session to a router: no BGP router shares a segment and an IPv4 subnet with it, so it cannot announce 10.53.0.53 (bgp: speakers: s2: peers is [])"),
            row("peers-not-list",
                    "bad-bgp/peers-not-list.yaml:31:18: bgp: speaker r1: peers: expected a list, got 'r2'"),
            row("preference",
                    "bad-bgp/preference.yaml:30:24: bgp: service dns: preference: 'meds' is not one of med, prepend, equal (did you mean 'med'?)"),
            row("router-id-duplicate",
                    "bad-bgp/router-id-duplicate.yaml:31:22: bgp: router id 10.0.0.1 of host r2 is already the router id of host r1 (router ids must be unique)"),
            row("router-id-invalid",
                    "bad-bgp/router-id-invalid.yaml:31:22: bgp: speaker r1: invalid router id '10.0.0.256': octet 256 is over 255",
                    "bad-bgp/router-id-invalid.yaml:32:22: bgp: speaker r2: invalid router id '0.0.0.0': 0.0.0.0 is not a valid BGP identifier",
                    "bad-bgp/router-id-invalid.yaml:33:22: bgp: speaker s1: invalid router id 'fd00::1': a router id is written as an IPv4 address"),
            row("router-id-none",
                    "bad-bgp/router-id-none.yaml:24:3: bgp: host r3 has no IPv4 address to take a BGP router id from: set bgp: speakers: r3: router-id"),
            row("router-not-forwarding",
                    "bad-bgp/router-not-forwarding.yaml:30:17: bgp: routers: host c1 has forwarding: false; a BGP router forwards what it learns",
                    "bad-bgp/router-not-forwarding.yaml:30:21: bgp: routers: 'r1' is listed twice"),
            row("router-undefined",
                    "bad-bgp/router-undefined.yaml:30:17: bgp: routers: host 'r3' is not defined (did you mean 'r1'?)"),
            row("service-twice",
                    "bad-bgp/service-twice.yaml:29:19: bgp: services: 'dns' is listed twice"),
            row("service-undefined",
                    "bad-bgp/service-undefined.yaml:29:14: bgp: services: service 'dsn' is not defined (did you mean 'dns'?)"),
            row("service-v6-no-session",
                    "bad-bgp/service-v6-no-session.yaml:27:13: bgp: service dns: host s1 has no IPv6 BGP session to a router: no BGP router shares a segment and an IPv6 subnet with it, so it cannot announce fd53::53",
                    "bad-bgp/service-v6-no-session.yaml:27:17: bgp: service dns: host s2 has no IPv6 BGP session to a router: no BGP router shares a segment and an IPv6 subnet with it, so it cannot announce fd53::53"),
            row("services-empty",
                    "bad-bgp/services-empty.yaml:29:13: bgp: services: the list is empty"),
            row("services-missing",
                    "bad-bgp/services-missing.yaml:29:3: bgp: missing key 'services'"),
            row("services-scalar",
                    "bad-bgp/services-scalar.yaml:29:13: bgp: services: expected a list of service names or a mapping, got 'dns'"),
            row("speaker-not-bgp",
                    "bad-bgp/speaker-not-bgp.yaml:31:5: bgp: speakers: host c1 does not speak BGP: it is not a BGP router (forwarding: true, or listed in bgp: routers) and serves no service of bgp: services"),
            row("speaker-undefined",
                    "bad-bgp/speaker-undefined.yaml:31:5: bgp: speakers: host 'r3' is not defined (did you mean 'r1'?)"),
            row("static-routes",
                    "bad-bgp/static-routes.yaml:30:27: bgp: service dns: static-routes: expected true or false, got 'yes'"),
            row("unknown-key",
                    "bad-bgp/unknown-key.yaml:30:3: bgp: unknown key 'bdf' (did you mean 'bfd'?)"));
    }

    private static Arguments row(String name, String... lines) { return Arguments.of(name, List.of(lines)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsExactDiagnostics(String name, List<String> expected) throws IOException {
        String file = "bad-bgp/" + name + ".yaml";
        assertThat(IntentLoaderErrorsTest.messageLines(file, IntentLoaderErrorsTest.resource(file))).containsExactlyElementsOf(expected);
    }

    /** A bad file without a row in the table would be a test that cannot fail. */
    @Test
    void everyBadFileHasARow() throws IOException {
        Set<String> listed = badFiles().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/bad-bgp"))) {
            files.forEach(p -> present.add(p.getFileName().toString().replaceFirst("\\.yaml$", "")));
        }
        assertThat(listed).isEqualTo(present).hasSizeGreaterThanOrEqualTo(30);
    }

    /** The base network of the bad files is itself valid: each file's errors come from its one change. */
    @Test
    void theBaseNetworkIsValid() throws Exception {
        String bad = new String(IntentLoaderErrorsTest.resource("bad-bgp/service-twice.yaml"), java.nio.charset.StandardCharsets.UTF_8);
        Intent ok = IntentLoader.parse("ok.yaml", bad.replace("[dns, dns]", "[dns]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ok.bgp().speakers().keySet()).containsExactly("r1", "r2", "s1", "s2");
    }
}
