package dev.anyloop.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.anyloop.intent.CheckSpec.Timing;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The health: section: defaults, explicit checks, probe pairs, and every refusal with its position. The network is
 * health/base.yaml (29 lines); each case appends its health: section at line 30.
 */
class HealthReaderTest {
    static String base() throws IOException {
        try (InputStream in = HealthReaderTest.class.getResourceAsStream("/health/base.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Intent load(String health) throws Exception {
        return IntentLoader.parse("n.yaml", (base() + health).getBytes(StandardCharsets.UTF_8));
    }

    static List<String> errors(String health) throws Exception {
        ConfigException e = catchThrowableOfType(() -> load(health), ConfigException.class);
        assertThat(e).as("refused: " + health).isNotNull();
        return e.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void withoutAHealthSectionThereIsNone() throws Exception {
        assertThat(load("").health()).isEmpty();
        assertThat(ProbePairs.of(load(""))).isEmpty();
    }

    @Test
    void defaultsAreDerivedFromEachServicesPorts() throws Exception {
        HealthDef h = load("health:\n  probe-sources: [10.255.1.0/29]\n").health().orElseThrow();
        assertThat(h.check("dns")).contains(new CheckSpec.Dns(Proto.UDP, 53, ".", "NS", List.of(), Timing.DEFAULT));
        assertThat(h.check("web")).contains(new CheckSpec.Tcp(80, Timing.DEFAULT));
        assertThat(h.check("ntp")).as("udp/123 only and ping: false: nothing to check").isEmpty();
        assertThat(h.damping()).isEqualTo(HealthDef.DampingDef.DEFAULT);
        assertThat(Timing.DEFAULT.interval()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void explicitChecksAndTiming() throws Exception {
        HealthDef h = load("""
                health:
                  probe-sources: [10.255.1.0/29]
                  interval: 200ms
                  fall: 2
                  damping: { half-life: 10s, max-suppress: 1m0s }
                """.replace("1m0s", "60s") + """
                  services:
                    dns: { check: dns, port: tcp/53, query: whoami.anyloop, type: txt, rcodes: [noerror], rise: 2 }
                    web: { check: http, path: /healthz, status: [200, 204], timeout: 1.5s }
                    ntp: { check: none }
                """).health().orElseThrow();
        Timing t = new Timing(Duration.ofMillis(200), Duration.ofMillis(250), 2, 2);
        assertThat(h.check("dns")).contains(new CheckSpec.Dns(Proto.TCP, 53, "whoami.anyloop", "TXT", List.of("NOERROR"), t));
        assertThat(h.check("web")).contains(new CheckSpec.Http(80, "/healthz", List.of(200, 204),
                new Timing(Duration.ofMillis(200), Duration.ofMillis(1500), 5, 2)));
        assertThat(h.check("ntp")).isEmpty();
        assertThat(h.damping().halfLife()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void probePairs_oneSourceAndTablePerRouterAndHost() throws Exception {
        Intent i = load("health:\n  probe-sources: [10.255.1.0/29]\n");
        assertThat(ProbePairs.of(i)).containsExactly(
                new ProbePairs.Pair("router", "pi1", Family.V4, Ip.parse("10.255.1.1"), 7701, Ip.parse("192.168.1.53"), "eth1", "eth0",
                        Ip.parse("192.168.1.1")),
                new ProbePairs.Pair("router", "pi2", Family.V4, Ip.parse("10.255.1.2"), 7702, Ip.parse("192.168.1.54"), "eth1", "eth0",
                        Ip.parse("192.168.1.1")));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dsn: { check: dns }\n",
                        "n.yaml:33:5: health: services: service 'dsn' is not defined (did you mean 'dns'?)"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    web: { check: tcp, port: tcp/81 }\n",
                        "n.yaml:33:30: health: service web: port tcp/81 is not one of the service's ports [tcp/80]"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { port: udp/5353 }\n",
                        "n.yaml:33:18: health: service dns: port udp/5353 is not one of the service's ports [udp/53, tcp/53]"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  interval: 5ms\n",
                        "n.yaml:32:13: health: interval: 5ms is below the minimum of 10ms"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { interval: 9ms }\n",
                        "n.yaml:33:22: health: service dns: interval: 9ms is below the minimum of 10ms"),
                row("health:\n  probe-sources: [192.168.1.0/28]\n",
                        "n.yaml:31:19: health: probe-sources: 192.168.1.0/28 collides with segment lan's prefix 192.168.1.0/24: probe sources must be addresses nothing else in the network uses"),
                row("health:\n  probe-sources: [10.255.0.0/24]\n",
                        "n.yaml:31:19: health: probe-sources: 10.255.0.0/24 collides with host router's loopback 10.255.0.1: probe sources must be addresses nothing else in the network uses"),
                row("health:\n  probe-sources: [10.53.0.0/16]\n",
                        "n.yaml:31:19: health: probe-sources: 10.53.0.0/16 collides with service dns's address 10.53.0.53: probe sources must be addresses nothing else in the network uses"),
                row("health:\n  probe-sources: [10.255.1.0/31]\n",
                        "n.yaml:31:19: health: probe-sources: 10.255.1.0/31 has 1 usable address but 2 probe paths need one each"),
                row("health:\n  interval: 1s\n",
                        "n.yaml:31:3: health: probe-sources: no IPv4 prefix, but router router probes IPv4 services on pi1 (2 probe paths need an address each)"),
                row("health:\n  probe-sources: [10.255.1.0/29, 10.255.2.0/29]\n",
                        "n.yaml:31:34: health: probe-sources: 10.255.2.0/29 is a second IPv4 prefix (after 10.255.1.0/29): one per family"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    web: { check: icmp }\n",
                        "n.yaml:33:19: health: service web: check icmp: the service has ping: false, so its hosts drop echo requests"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    ntp: { check: tcp }\n",
                        "n.yaml:33:19: health: service ntp: check tcp: the service has no tcp port to check"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { check: http, port: udp/53 }\n",
                        "n.yaml:33:31: health: service dns: port udp/53: a http check needs a tcp port"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { check: tcp, query: x.example }\n",
                        "n.yaml:33:31: health: service dns: query: only a dns check takes it (this one is tcp)"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { check: ping }\n",
                        "n.yaml:33:19: health: service dns: check: 'ping' is not one of tcp, dns, http, icmp, none"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  timeout: 100\n",
                        "n.yaml:32:12: health: invalid duration '100': expected a number and ms or s, like 100ms or 2s"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  timeout: 0ms\n  rise: 0\n",
                        "n.yaml:32:12: health: timeout: must be at least 1ms",
                        "n.yaml:33:9: health: rise: 0 is not in 1..100"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  damping: { suppress: 700 }\n",
                        "n.yaml:32:12: health: damping: reuse 750 must be below suppress 700 (an instance is held out above suppress until its penalty decays below reuse)"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  damping: { half-life: 200s }\n",
                        "n.yaml:32:12: health: damping: max-suppress 120s is shorter than half-life 200s"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    dns: { query: 'bad name!', type: XX, rcodes: [NOERR] }\n",
                        "n.yaml:33:19: health: service dns: invalid DNS name 'bad name!': label 'bad name!' must be 1-63 letters, digits, '-' or '_', not starting or ending with '-'",
                        "n.yaml:33:38: health: service dns: invalid DNS type 'XX': expected one of [A, AAAA, ANY, CAA, CNAME, DNSKEY, DS, HTTPS, MX, NS, PTR, SOA, SRV, SVCB, TXT]",
                        "n.yaml:33:51: health: service dns: invalid DNS rcode 'NOERR': expected one of [FORMERR, NOERROR, NOTAUTH, NOTIMP, NOTZONE, NXDOMAIN, NXRRSET, REFUSED, SERVFAIL, YXDOMAIN, YXRRSET] (did you mean 'NOERROR'?)"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  services:\n    web: { check: http, path: 'healthz', status: 700 }\n",
                        "n.yaml:33:31: health: service web: invalid HTTP path 'healthz': must start with '/' and hold no blank or control character",
                        "n.yaml:33:50: health: service web: invalid HTTP status '700': expected 100..599"),
                row("health:\n  probe-sources: [10.255.1.0/29]\n  sevices: {}\n",
                        "n.yaml:32:3: health: unknown key 'sevices' (did you mean 'services'?)"),
                row("health: [1]\n",
                        "n.yaml:30:9: health: expected a mapping, got a list"));
    }

    static Arguments row(String health, String... expected) { return Arguments.of(health, List.of(expected)); }

    @ParameterizedTest
    @MethodSource("refusals")
    void refused(String health, List<String> expected) throws Exception {
        assertThat(errors(health)).containsExactlyElementsOf(expected);
    }

    @Test
    void durations() {
        assertThat(HealthReader.duration("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(HealthReader.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(HealthReader.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        for (String bad : List.of("1.0005s", "2h", "-1s", "1e3ms", "", "3601s")) {
            assertThat(catchThrowableOfType(() -> HealthReader.duration(bad), IllegalArgumentException.class)).as(bad).isNotNull();
        }
    }
}
