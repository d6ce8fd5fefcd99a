package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error the loader reports, as the exact "file:line:col: message" lines a user sees. */
class IntentLoaderErrorsTest {

    /** One file in src/test/resources/bad and the complete diagnostics it must produce, in order. */
    static Stream<Arguments> badFiles() {
        return Stream.of(
            row("address-octet-256",
                    "bad/address-octet-256.yaml:6:41: host router: interface eth0: invalid IPv4 address '10.0.0.256': octet 256 is over 255"),
            row("address-outside-segment",
                    "bad/address-outside-segment.yaml:6:41: host router: interface eth0: address 10.0.2.1/24 is outside every prefix of segment lan (10.0.1.0/24)"),
            row("address-wrong-length",
                    "bad/address-wrong-length.yaml:6:41: host router: interface eth0: address 10.0.1.1/16 has length /16, but segment lan's prefix 10.0.1.0/24 has /24"),
            row("allow-undefined",
                    "bad/allow-undefined.yaml:12:18: service web: allow: segment 'wan' is not defined (did you mean 'lan'?)",
                    "bad/allow-undefined.yaml:13:20: service web: allow: interface 'router:eth2': host router has no interface 'eth2' (did you mean 'eth1'?)",
                    "bad/allow-undefined.yaml:13:35: service web: allow: interface 'ruter:eth1': host 'ruter' is not defined (did you mean 'router'?)",
                    "bad/allow-undefined.yaml:13:49: service web: allow: invalid interface reference 'eth1': expected host:interface"),
            row("docker-port-clash",
                    "bad/docker-port-clash.yaml:8:13: service web: docker: host-port tcp/80 clashes with ports [tcp/443]: the published port must be one of the service's ports"),
            row("docker-port-range",
                    "bad/docker-port-range.yaml:7:49: service web: docker: container-port: 70000 is not in 1..65535",
                    "bad/docker-port-range.yaml:7:67: service web: docker: host-port: 0 is not in 1..65535"),
            row("docker-container-twice",
                    "bad/docker-container-twice.yaml:11:26: service blog: docker: container 'ghost' is already published by service web on host a"),
            row("docker-ipv6",
                    "bad/docker-ipv6.yaml:7:13: service web: docker: address fd00:99::10 is IPv6; anyloop emulates Docker's IPv4 publishing only"),
            row("source-to-blackhole",
                    "bad/source-to-blackhole.yaml:7:20: source-addresses entry 1: to 10.66.0.0/16 is routed by the blackhole route to 10.66.0.0/16 of host a, which sends nothing: only a unicast route can carry a source"),
            row("docker-two-hosts",
                    "bad/docker-two-hosts.yaml:8:13: service web: docker: a container runs on one host, but the service has 2 hosts (a, b)"),
            row("duplicate-address",
                    "bad/duplicate-address.yaml:9:41: host b: interface eth0: address 10.0.1.1 is already used by host a interface eth0"),
            row("duplicate-host",
                    "bad/duplicate-host.yaml:4:3: hosts: duplicate key 'router' (first at line 2)"),
            row("duplicate-key-in-interface",
                    "bad/duplicate-key-in-interface.yaml:8:9: host router: interface eth0: duplicate key 'segment' (first at line 7)"),
            row("duplicate-loopback",
                    "bad/duplicate-loopback.yaml:5:17: host b: loopback address 10.53.0.1 is already used by host a loopback"),
            row("empty",
                    "bad/empty.yaml:1:1: file is empty: expected a mapping with at least 'hosts'"),
            row("expect-port-and-reachable",
                    "bad/expect-port-and-reachable.yaml:4:41: expect entry 1: invalid port 'tcp': expected tcp/PORT, udp/PORT or icmp",
                    "bad/expect-port-and-reachable.yaml:4:57: expect entry 1: reachable: expected true or false, got 'yes'",
                    "bad/expect-port-and-reachable.yaml:5:5: expect entry 2: missing key 'reachable'"),
            row("expect-undefined",
                    "bad/expect-undefined.yaml:8:13: expect entry 1: host 'laptp' is not defined (did you mean 'laptop'?)",
                    "bad/expect-undefined.yaml:8:24: expect entry 1: service 'wbe' is not defined (did you mean 'web'?)"),
            row("forwarding-yes",
                    "bad/forwarding-yes.yaml:3:17: host router: forwarding: expected true or false, got 'yes'"),
            row("gateway-outside",
                    "bad/gateway-outside.yaml:6:64: host a: interface eth0: gateway 10.0.9.1 is outside the interface's subnets (10.0.1.0/24)"),
            row("host-name-upper",
                    "bad/host-name-upper.yaml:2:3: host name 'Router' is invalid: use a lower-case letter, then letters, digits or '-'"),
            row("hosts-is-list",
                    "bad/hosts-is-list.yaml:2:3: hosts: expected a mapping, got a list"),
            row("iface-colon",
                    "bad/iface-colon.yaml:6:7: host router: interface name 'eth0:1' contains ':', which Linux refuses (it marks old-style alias labels)"),
            row("iface-dotdot",
                    "bad/iface-dotdot.yaml:6:7: host router: interface name '..' is refused by Linux"),
            row("iface-empty",
                    "bad/iface-empty.yaml:6:7: host router: interface name is empty"),
            row("iface-lo",
                    "bad/iface-lo.yaml:6:7: host router: interface 'lo' is implicit: put its addresses under 'loopbacks'"),
            row("iface-semicolon",
                    "bad/iface-semicolon.yaml:6:7: host router: interface name 'eth0;reboot' contains ';': anyloop accepts only letters, digits, '_', '.' and '-'"),
            row("iface-slash",
                    "bad/iface-slash.yaml:6:7: host router: interface name 'eth0/1' contains '/', which Linux refuses"),
            row("iface-space",
                    "bad/iface-space.yaml:6:7: host router: interface name 'eth 0' contains whitespace or a control character, which Linux refuses"),
            row("iface-too-long",
                    "bad/iface-too-long.yaml:6:7: host router: interface name 'enp0s31f6abcdefgh' is 17 bytes long, over Linux's limit of 15"),
            row("loopback-not-host",
                    "bad/loopback-not-host.yaml:3:17: host router: loopback '10.53.0.0/24' must be /32 (a single address on lo)",
                    "bad/loopback-not-host.yaml:3:31: host router: loopback 'fd53::/64' must be /128 (a single address on lo)"),
            row("metric-negative",
                    "bad/metric-negative.yaml:4:45: host router: route to 10.9.0.0/16: metric: -1 is not in 0..4294967295"),
            row("metric-not-integer",
                    "bad/metric-not-integer.yaml:4:45: host router: route to 10.9.0.0/16: metric: expected an integer, got 'high'"),
            row("missing-hosts",
                    "bad/missing-hosts.yaml:1:1: missing key 'hosts'"),
            row("port-zero",
                    "bad/port-zero.yaml:6:13: service web: invalid port 'tcp/0': 0 is not in 1..65535",
                    "bad/port-zero.yaml:6:20: service web: invalid port 'tcp/65536': 65536 is not in 1..65535",
                    "bad/port-zero.yaml:6:31: service web: invalid port 'tcp/-1': '-1' is not a port number",
                    "bad/port-zero.yaml:6:39: service web: invalid port 'tcp/http': 'http' is not a port number",
                    "bad/port-zero.yaml:6:49: service web: invalid port 'sctp/80': protocol 'sctp' is not tcp or udp",
                    "bad/port-zero.yaml:6:58: service web: invalid port '80': expected tcp/PORT, udp/PORT or a range such as tcp/8000-8010"),
            row("prefix-host-bits",
                    "bad/prefix-host-bits.yaml:3:16: segment lan: invalid prefix '10.0.0.5/24': host bits are set (the network is 10.0.0.0/24)"),
            row("prefix-length-33",
                    "bad/prefix-length-33.yaml:3:16: segment lan: invalid prefix '10.0.0.0/33': length /33 is over /32 for ipv4"),
            row("route-dev-unknown",
                    "bad/route-dev-unknown.yaml:8:33: host a: route to 10.9.0.0/16: dev 'eth1' is not an interface of host a (did you mean 'eth0'?)"),
            row("route-missing-to",
                    "bad/route-missing-to.yaml:4:9: host a: route 1: missing key 'to'"),
            row("route-mixed-family",
                    "bad/route-mixed-family.yaml:8:33: host a: route to 10.9.0.0/16: via fd00::1 is IPv6 but to is IPv4"),
            row("route-no-via-no-dev",
                    "bad/route-no-via-no-dev.yaml:4:9: host a: route to 10.9.0.0/16: a unicast route needs 'via' or 'dev'"),
            row("route-src-not-own",
                    "bad/route-src-not-own.yaml:8:48: host a: route to 10.9.0.0/16: src 10.0.1.6 is not an address of host a"),
            row("route-type",
                    "bad/route-type.yaml:4:34: host a: route to 10.9.0.0/16: type: 'blakhole' is not one of unicast, blackhole, unreachable, prohibit (did you mean 'blackhole'?)"),
            row("route-via-not-connected",
                    "bad/route-via-not-connected.yaml:8:33: host a: route to 10.9.0.0/16: via 10.0.2.1 is not inside any connected subnet of host a (10.0.1.0/24)"),
            row("rp-filter-word",
                    "bad/rp-filter-word.yaml:3:16: host router: rp-filter: 'lose' is not one of off, strict, loose (did you mean 'loose'?)"),
            row("segment-is-list",
                    "bad/segment-is-list.yaml:7:18: host router: interface eth0: segment: expected a single value, got a list"),
            row("segments-overlap",
                    "bad/segments-overlap.yaml:3:21: segment dmz: prefix 10.0.5.0/24 overlaps 10.0.0.0/16 of segment lan"),
            row("service-address-of-host",
                    "bad/service-address-of-host.yaml:6:17: service dns: address 10.53.0.1 is also an address of host a loopback (a service address lives only on lo of the service's hosts)"),
            row("service-address-prefix",
                    "bad/service-address-prefix.yaml:5:17: service web: service address '10.10.10.0/24' must be a single address (/32)"),
            row("service-address-twice",
                    "bad/service-address-twice.yaml:9:17: service blog: address 10.10.10.10 is already the address of service web on hosts [a]: services sharing an address need the same hosts in the same order and the same routing"),
            row("service-host-twice",
                    "bad/service-host-twice.yaml:6:16: service web: hosts: 'a' is listed twice"),
            row("service-hosts-empty",
                    "bad/service-hosts-empty.yaml:6:12: service web: hosts: the list is empty"),
            row("service-name-too-long",
                    "bad/service-name-too-long.yaml:4:3: service name 'averyveryverylongservice' is 24 characters long, over the limit of 19"),
            row("source-from-not-loopback",
                    "bad/source-from-not-loopback.yaml:8:39: source-addresses entry 1: from 10.0.1.5 is neither a loopback of host a nor an address of a service it serves"),
            row("source-mixed-family",
                    "bad/source-mixed-family.yaml:5:39: source-addresses entry 1: from 10.53.0.1 is IPv4 but to fd00::/64 is IPv6"),
            row("source-to-not-routed",
                    "bad/source-to-not-routed.yaml:5:20: source-addresses entry 1: to 10.7.0.0/16 is not covered by any route of host a (connected prefixes, gateways, declared routes and the routes derived for services)"),
            row("syntax-indent",
                    "bad/syntax-indent.yaml:4:4: YAML syntax error: expected <block end>, but found '<block mapping start>' (while parsing a block mapping)"),
            row("syntax-unclosed-flow",
                    "bad/syntax-unclosed-flow.yaml:4:1: YAML syntax error: expected ',' or ']', but got <stream end> (while parsing a flow sequence)"),
            row("top-level-list",
                    "bad/top-level-list.yaml:1:1: top level: expected a mapping, got a list"),
            row("two-documents",
                    "bad/two-documents.yaml:2:1: YAML syntax error: expected a single document in the stream, but found another document"),
            row("two-gateways",
                    "bad/two-gateways.yaml:9:29: host a: interface eth0: gateway 10.0.1.2: host a already has an IPv4 gateway (10.0.1.1); at most one per family"),
            row("undefined-alias",
                    "bad/undefined-alias.yaml:1:8: YAML syntax error: found undefined alias nope"),
            row("undefined-segment",
                    "bad/undefined-segment.yaml:6:24: host router: interface eth0: segment 'lna' is not defined (did you mean 'lan'?)"),
            row("undefined-service-host",
                    "bad/undefined-service-host.yaml:7:18: service dns: host 'pi3' is not defined (did you mean 'pi2'?)"),
            row("unknown-key-adresses",
                    "bad/unknown-key-adresses.yaml:8:9: host router: interface eth0: unknown key 'adresses' (did you mean 'addresses'?)"),
            row("service-address-not-routable",
                    "bad/service-address-not-routable.yaml:9:17: service web: service address 0.0.0.0 is not a routable unicast address: 0.0.0.0/8 is 'this network' (0.0.0.0 is the unspecified address); Linux never routes it",
                    "bad/service-address-not-routable.yaml:9:26: service web: service address 255.255.255.255 is not a routable unicast address: 255.255.255.255 is the limited broadcast address",
                    "bad/service-address-not-routable.yaml:9:43: service web: service address 127.0.0.5 is not a routable unicast address: 127.0.0.0/8 is loopback; Linux drops it as a martian on every interface but lo",
                    "bad/service-address-not-routable.yaml:9:54: service web: service address ::1 is not a routable unicast address: ::1 is loopback; Linux drops it as a martian on every interface but lo",
                    "bad/service-address-not-routable.yaml:9:61: service web: service address 224.0.0.5 is not a routable unicast address: 224.0.0.0/4 is multicast, not an address of one host",
                    "bad/service-address-not-routable.yaml:9:72: service web: service address 169.254.1.1 is not a routable unicast address: 169.254.0.0/16 is link-local: valid on one link only, never routed",
                    "bad/service-address-not-routable.yaml:9:85: service web: service address ::ffff:10.10.10.10 is not a routable unicast address: ::ffff:0:0/96 is IPv4-mapped IPv6: a socket's view of an IPv4 peer, never on the wire",
                    "bad/service-address-not-routable.yaml:9:107: service web: service address fe80::5 is not a routable unicast address: fe80::/10 is link-local: valid on one link only, never routed",
                    "bad/service-address-not-routable.yaml:9:118: service web: service address ff02::1 is not a routable unicast address: ff00::/8 is multicast, not an address of one host",
                    "bad/service-address-not-routable.yaml:9:129: service web: service address :: is not a routable unicast address: :: is the unspecified address"),
            row("loopback-not-routable",
                    "bad/loopback-not-routable.yaml:3:17: host a: loopback 127.0.0.2 is not a routable unicast address: 127.0.0.0/8 is loopback; Linux drops it as a martian on every interface but lo",
                    "bad/loopback-not-routable.yaml:3:31: host a: loopback 239.1.1.1 is not a routable unicast address: 224.0.0.0/4 is multicast, not an address of one host"),
            row("socket-wildcard-clash",
                    "bad/socket-wildcard-clash.yaml:14:23: service admin: tcp/80 on host a: this service's bind: any socket 0.0.0.0:80 holds port 80 on every IPv4 address of host a, so Linux cannot also open service web's 10.10.10.10:80 (bind fails with EADDRINUSE): bind both to their own addresses, or use another port",
                    "bad/socket-wildcard-clash.yaml:19:13: service metrics: tcp/80 on host a: this service's bind: any socket 0.0.0.0:80 holds port 80 on every IPv4 address of host a, so Linux cannot also open service web's 10.10.10.10:80 (bind fails with EADDRINUSE): bind both to their own addresses, or use another port"),
            row("socket-shared-address-port",
                    "bad/socket-shared-address-port.yaml:10:23: service api: tcp/8005 on host a: service web's socket 10.10.10.10:8005 already takes it (two services on one address need different ports)"),
            row("route-blackhole-with-via",
                    "bad/route-blackhole-with-via.yaml:8:50: host a: route to 10.9.0.0/16: a blackhole route has no next hop, so 'via' cannot be given (Linux refuses it: gateway and device cannot be specified for this route type)",
                    "bad/route-blackhole-with-via.yaml:8:65: host a: route to 10.9.0.0/16: a blackhole route has no next hop, so 'dev' cannot be given (Linux refuses it: gateway and device cannot be specified for this route type)",
                    "bad/route-blackhole-with-via.yaml:9:49: host a: route to 10.8.0.0/16: a prohibit route has no next hop, so 'dev' cannot be given (Linux refuses it: gateway and device cannot be specified for this route type)"),
            row("route-collides",
                    "bad/route-collides.yaml:11:9: host r: route to 0.0.0.0/0: collides with the default route of interface eth0's gateway 10.0.1.254 (same destination and metric 0; Linux refuses the second with 'File exists'): give one of them another metric",
                    "bad/route-collides.yaml:12:9: host r: route to 10.0.2.0/24: collides with the connected route of interface eth1 (10.0.2.0/24) (same destination and metric 0; Linux refuses the second with 'File exists'): give one of them another metric",
                    "bad/route-collides.yaml:13:9: host r: route to 10.10.10.10/32: collides with the route anyloop derives for service web toward s (same destination and metric 1; Linux refuses the second with 'File exists'): give one of them another metric",
                    "bad/route-collides.yaml:15:9: host r: route to 10.7.0.0/16: collides with declared route 4 to 10.7.0.0/16 (same destination and metric 5; Linux refuses the second with 'File exists'): give one of them another metric"),
            row("expect-contradiction",
                    "bad/expect-contradiction.yaml:18:5: expect entry 3: contradicts expect entry 1 (line 16): a -> tcp 10.10.10.10:80 cannot be both reachable and not reachable"),
            row("host-named-switch",
                    "bad/host-named-switch.yaml:4:3: host name 'sw-lan' is the lab's name for segment lan's switch (namespace al-LAB-sw-lan): rename the host"),
            row("may-reach-bad",
                    "bad/may-reach-bad.yaml:4:17: segment guest: may-reach: segment 'intenret' is not defined (or write 'internet')",
                    "bad/may-reach-bad.yaml:4:44: segment guest: may-reach: 'staff' is listed twice",
                    "bad/may-reach-bad.yaml:6:67: segment a-very-long-segment-name: may-reach: the fence is chain AL-SEG-a-very-long-segment-name, over iptables' 28 characters: a fenced segment's name has at most 21"),
            row("gateway-link-local",
                    "bad/gateway-link-local.yaml:10:61: host a: interface eth0: link-local address fe80::1 is already used on this segment by host r interface eth0",
                    "bad/gateway-link-local.yaml:10:85: host a: interface eth0: gateway fe80::2 is link-local, and no other host on segment lan has it: give the router's interface there the address (addresses: [fe80::2/64])",
                    "bad/gateway-link-local.yaml:12:39: host a: route to 2001:db8:9::/64: via fe80::1 is link-local: give 'dev', the interface it is on",
                    "bad/gateway-link-local.yaml:15:41: host b: interface eth0: address 10.0.0.5/24 is outside every prefix of segment lan (2001:db8:1::/64)",
                    "bad/gateway-link-local.yaml:15:64: host b: interface eth0: gateway fe80::1 is IPv6, but the interface has no IPv6 address"),
            row("port-range-bad",
                    "bad/port-range-bad.yaml:6:13: service web: port range 'tcp/8010-8000' ends (8000) before it starts (8010)",
                    "bad/port-range-bad.yaml:6:28: service web: port range 'udp/1-20000' has 20000 ports, over the limit of 16384 (each is a socket on the service host)",
                    "bad/port-range-bad.yaml:6:56: service web: ports: tcp/8005 overlaps tcp/8000-8010; list each port once"),
            row("docker-publish-bad",
                    "bad/docker-publish-bad.yaml:9:7: service web: docker: host-port tcp/8080 clashes with ports [tcp/80, tcp/443]: the published port must be one of the service's ports",
                    "bad/docker-publish-bad.yaml:10:23: service web: docker: container-port: give either 'publish' or container-port/host-port/proto, not both",
                    "bad/docker-publish-bad.yaml:11:17: service web: docker: invalid publish '80': expected HOSTPORT:CONTAINERPORT[/tcp|udp], as docker run -p writes it without the address",
                    "bad/docker-publish-bad.yaml:11:23: service web: docker: invalid publish '443:2443/sctp': protocol 'sctp' is not tcp or udp",
                    "bad/docker-publish-bad.yaml:11:51: service web: docker: publish: host port tcp/80 is published twice"),
            row("routing-word",
                    "bad/routing-word.yaml:7:14: service web: routing: 'statc' is not one of static, none (did you mean 'static'?)"),
            row("unknown-top-key",
                    "bad/unknown-top-key.yaml:2:1: unknown key 'servics' (did you mean 'services'?)"));
    }

    private static Arguments row(String name, String... lines) { return Arguments.of(name, List.of(lines)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void reportsExactDiagnostics(String name, List<String> expected) throws IOException {
        String file = "bad/" + name + ".yaml";
        assertThat(messageLines(file, resource(file))).containsExactlyElementsOf(expected);
    }

    /** A bad file without a row in the table would be a test that cannot fail. */
    @Test
    void everyBadFileHasARow() throws IOException {
        Set<String> listed = badFiles().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/bad"))) {
            files.forEach(p -> present.add(p.getFileName().toString().replaceFirst("\\.yaml$", "")));
        }
        assertThat(listed).isEqualTo(present).hasSizeGreaterThanOrEqualTo(35);
    }

    static Stream<Arguments> badBytes() {
        String deep = "hosts: " + "[".repeat(65) + "]".repeat(65) + "\n";
        String manyAliases = "x: &x [1]\nhosts: {}\ny: [" + "*x, ".repeat(YamlInput.MAX_ALIASES + 1) + "]\n";
        byte[] big = new byte[YamlInput.MAX_BYTES + 1];
        Arrays.fill(big, (byte) '#');
        return Stream.of(
            Arguments.of("latin-1 e-acute", bytes("hosts:\n  caf", 0xe9, ": {}\n"),
                    List.of("in.yaml:2:6: file is not UTF-8: byte 0xE9 cannot be decoded")),
            Arguments.of("truncated sequence after valid multibyte text", bytes("# \u00e9t\u00e9\nhosts:\n  r\u00fc", 0xc3),
                    List.of("in.yaml:3:5: file is not UTF-8: byte 0xC3 cannot be decoded")),
            Arguments.of("overlong encoding of '/'", bytes("hosts:\n  a", 0xc0, 0xaf, ": {}\n"),
                    List.of("in.yaml:2:4: file is not UTF-8: byte 0xC0 cannot be decoded")),
            Arguments.of("control character", utf8("hosts:\n  a\u0007: {}\n"),
                    List.of("in.yaml:2:4: character U+0007 is not allowed in YAML")),
            Arguments.of("tab indentation", utf8("hosts:\n\trouter: {}\n"),
                    List.of("in.yaml:2:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token. "
                            + "(Do not use \\t(TAB) for indentation) (while scanning for the next token)")),
            Arguments.of("nesting over the limit", utf8(deep),
                    List.of("in.yaml:1:71: nesting is deeper than 64 levels")),
            Arguments.of("nesting that would overflow the composer's stack", utf8("hosts: " + "[".repeat(200_000)),
                    List.of("in.yaml:1:71: nesting is deeper than 64 levels")),
            Arguments.of("too many aliases", utf8(manyAliases),
                    List.of("in.yaml:3:" + (5 + 4 * YamlInput.MAX_ALIASES) + ": more than 1000 aliases (YAML alias bomb?)")),
            Arguments.of("recursive alias", utf8("hosts: &h\n  a: *h\n"),
                    List.of("in.yaml:1:8: recursive alias: this node contains itself")),
            Arguments.of("file over the size limit", big,
                    List.of("in.yaml:0:0: file is 4194305 bytes, over the limit of 4194304 bytes")),
            Arguments.of("only whitespace", utf8("\n   \n"),
                    List.of("in.yaml:1:1: file is empty: expected a mapping with at least 'hosts'")),
            Arguments.of("explicit null document", utf8("~\n"),
                    List.of("in.yaml:1:1: file is empty: expected a mapping with at least 'hosts'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBytes")
    void refusesBadBytes(String what, byte[] content, List<String> expected) {
        assertThat(messageLines("in.yaml", content)).containsExactlyElementsOf(expected);
    }

    /** The classic 9-level "billion laughs": 10^9 nodes if walked, so it must be refused, and quickly. */
    @Test
    void aliasBombIsRefusedQuickly() {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            String prev = "*" + (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [").append(String.join(",", java.util.Collections.nCopies(9, prev)))
                    .append("]\n");
        }
        sb.append("hosts: *i\n");
        byte[] bomb = utf8(sb.toString());
        List<String> lines = assertTimeoutPreemptively(Duration.ofMillis(1000), () -> messageLines("bomb.yaml", bomb));
        assertThat(lines).singleElement().asString().matches("bomb\\.yaml:1:1: document expands to more than 100000 nodes from \\d+ "
                + "written ones \\(aliases may multiply a document by at most 10, or up to 100000 nodes; YAML alias bomb\\?\\)");
    }

    /** The budget scales with the file: 10,000 hosts written out (no aliases) are far more than 100,000 nodes, and load. */
    @Test
    void aLargeFileWithoutAliasesIsNoBomb() throws ConfigException {
        StringBuilder sb = new StringBuilder("segments:\n  lan: { prefixes: [10.0.0.0/16] }\nhosts:\n");
        for (int h = 0; h < 10_000; h++) {
            sb.append("  h").append(h).append(":\n    interfaces:\n      eth0: { segment: lan, addresses: [10.0.")
                    .append(h / 250).append('.').append(1 + h % 250).append("/16] }\n");
        }
        Intent i = IntentLoader.parse("big.yaml", utf8(sb.toString()));
        assertThat(i.hosts()).hasSize(10_000);
    }

    /** Aliases that multiply a large file more than tenfold are refused even past the 100,000-node floor. */
    @Test
    void expansionIsBoundedRelativeToTheFile() {
        StringBuilder sb = new StringBuilder("x: &x [");
        for (int k = 0; k < 20_000; k++) sb.append(k == 0 ? "" : ",").append(k);
        sb.append("]\ny: [").append("*x,".repeat(11)).append("]\nhosts: {}\n");
        List<String> lines = messageLines("wide.yaml", utf8(sb.toString()));
        // 20,007 nodes written (the list, its items, keys, the top mapping), 11 more copies of the 20,001-node list: over ten times what is written
        assertThat(lines).singleElement().asString().contains("document expands to more than 200070 nodes from 20007 written ones");
    }

    @Test
    void missingFileIsReportedOnLineZero(@TempDir Path dir) {
        Path file = dir.resolve("network.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> IntentLoader.load(file));
        assertThat(e.getMessage()).isEqualTo(file + ":0:0: cannot read file: no such file");
        assertThat(e.diagnostics()).containsExactly(new Diagnostic(new Pos(file.toString(), 0, 0), "cannot read file: no such file"));
    }

    @Test
    void directoryIsNotAFile(@TempDir Path dir) {
        assertThatThrownBy(() -> IntentLoader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir + ":0:0: cannot read file: it is a directory");
    }

    @Test
    void loadNamesTheFileAsGiven(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("network.yaml");
        Files.writeString(file, "hosts:\n  router:\n    forwarding: maybe\n");
        assertThatThrownBy(() -> IntentLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3:17: host router: forwarding: expected true or false, got 'maybe'");
    }

    /** Errors in every section, of every kind, come back together, sorted by position. */
    @Test
    void reportsEveryErrorAtOnce() {
        String yaml = String.join("\n",
                "segments:",
                "  lan: { prefixes: [10.0.0.5/24] }",
                "hosts:",
                "  router:",
                "    forwarding: yes",
                "    interfaces:",
                "      eth0: { segment: lna, adresses: [] }",
                "      eth0/1: { segment: lan }",
                "services:",
                "  web:",
                "    addresses: [10.0.0.256]",
                "    hosts: [ruter]",
                "expect:",
                "  - { from: laptop, to: web, port: sctp/1, reachable: true }",
                "");
        assertThat(messageLines("network.yaml", utf8(yaml))).containsExactly(
                "network.yaml:2:21: segment lan: invalid prefix '10.0.0.5/24': host bits are set (the network is 10.0.0.0/24)",
                "network.yaml:5:17: host router: forwarding: expected true or false, got 'yes'",
                "network.yaml:7:24: host router: interface eth0: segment 'lna' is not defined (did you mean 'lan'?)",
                "network.yaml:7:29: host router: interface eth0: unknown key 'adresses' (did you mean 'addresses'?)",
                "network.yaml:8:7: host router: interface name 'eth0/1' contains '/', which Linux refuses",
                "network.yaml:11:17: service web: invalid IPv4 address '10.0.0.256': octet 256 is over 255",
                "network.yaml:12:13: service web: host 'ruter' is not defined (did you mean 'router'?)",
                "network.yaml:14:13: expect entry 1: host 'laptop' is not defined",
                "network.yaml:14:36: expect entry 1: invalid port 'sctp/1': protocol 'sctp' is not tcp or udp (icmp takes no port)");
    }

    static List<String> messageLines(String file, byte[] content) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> IntentLoader.parse(file, content));
        assertThat(e).as("a ConfigException for " + file).isNotNull();
        assertThat(e.diagnostics()).isSorted();
        return List.of(e.getMessage().split("\n"));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = IntentLoaderErrorsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** UTF-8 text with raw bytes spliced in: strings are encoded, integers are single bytes. */
    static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer) out.write((Integer) p);
            else out.writeBytes(utf8((String) p));
        }
        return out.toByteArray();
    }
}
