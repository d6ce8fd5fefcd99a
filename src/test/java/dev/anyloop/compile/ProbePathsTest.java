package dev.anyloop.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The simulator's view of watch's probe paths on examples/home.yaml: a probe from a pair's source reaches the host
 * the pair names, whatever the main table prefers, and gets its answer back. The kernel's view is WatchLabRootTest's.
 */
class ProbePathsTest {
    static final Ip DNS = Ip.parse("10.53.0.53");

    @Test
    void eachProbeSourceReachesItsOwnHost() throws Exception {
        Intent intent = IntentLoader.load(Path.of("examples/home.yaml"));
        Network n = Compiler.compile(intent);
        Simulator sim = Simulator.of(n);
        assertThat(ProbePairs.of(intent, "router")).extracting(ProbePairs.Pair::host).containsExactly("desktop", "pi1", "pi2");
        for (ProbePairs.Pair p : ProbePairs.of(intent, "router")) {
            for (var s : intent.services().values()) {
                if (!s.hosts().contains(p.host()) || s.hosts().contains("router")) continue;
                int port = intent.health().get().check(s.name()).orElseThrow().accept(new dev.anyloop.intent.CheckSpec.Visitor<Integer>() {
                    public Integer tcp(dev.anyloop.intent.CheckSpec.Tcp c) { return c.port(); }

                    public Integer dns(dev.anyloop.intent.CheckSpec.Dns c) { return c.port(); }

                    public Integer http(dev.anyloop.intent.CheckSpec.Http c) { return c.port(); }

                    public Integer icmp(dev.anyloop.intent.CheckSpec.Icmp c) { return 0; }
                });
                Proto proto = s.ports().stream().filter(x -> x.port() == port).findFirst().orElseThrow().proto();
                RoundTrip rt = sim.roundTrip("router", p.source(), s.addresses().get(0), proto, port);
                assertThat(rt.reachable()).as(p + " " + s.name() + "\n" + rt.render()).isTrue();
                // a Docker-published service is answered by the container on that host ("desktop-ghost")
                assertThat(rt.forward().verdict().step().host()).as(p + " " + s.name()).matches(p.host() + "(-.*)?");
            }
        }
        // without a probe source the main table decides: metric 1, pi1
        assertThat(sim.roundTrip("router", DNS, Proto.UDP, 53).forward().verdict().step().host()).isEqualTo("pi1");
    }

    @Test
    void noHealthSectionNoProbePaths() throws Exception {
        String home = java.nio.file.Files.readString(Path.of("examples/home.yaml"));
        String without = home.substring(0, home.indexOf("\nhealth:"));
        Intent intent = IntentLoader.parse("home.yaml", without.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var router = Compiler.compile(intent).host("router").orElseThrow();
        assertThat(router.rules()).allMatch(r -> r.priority() == 0 || r.priority() >= 32766);
        assertThat(router.routes()).allMatch(r -> r.table() == 254 || r.table() == 255);
    }

    @Test
    void ipv6ServicesGetIpv6ProbePaths() throws Exception {
        String yaml = """
                segments:
                  lan: { prefixes: [192.168.1.0/24, "fd00:1::/64"] }
                hosts:
                  router:
                    forwarding: true
                    interfaces:
                      eth1: { segment: lan, addresses: [192.168.1.1/24, "fd00:1::1/64"] }
                  a:
                    interfaces:
                      eth0: { segment: lan, addresses: [192.168.1.10/24, "fd00:1::10/64"], gateway: [192.168.1.1, "fd00:1::1"] }
                  b:
                    interfaces:
                      eth0: { segment: lan, addresses: [192.168.1.11/24, "fd00:1::11/64"], gateway: [192.168.1.1, "fd00:1::1"] }
                services:
                  dns:
                    addresses: [10.53.0.53, "fd00:53::53"]
                    ports: [udp/53]
                    hosts: [a, b]
                health:
                  probe-sources: [10.255.1.0/24, "fd00:255::/64"]
                """;
        Intent intent = IntentLoader.parse("v6.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Simulator sim = Simulator.of(Compiler.compile(intent));
        assertThat(ProbePairs.of(intent, "router")).extracting(p -> p.host() + " " + p.source() + " " + p.table())
                .containsExactly("a 10.255.1.1 7701", "a fd00:255::1 7701", "b 10.255.1.2 7702", "b fd00:255::2 7702");
        for (ProbePairs.Pair p : ProbePairs.of(intent, "router")) {
            Ip x = p.family() == dev.anyloop.net.Family.V4 ? DNS : Ip.parse("fd00:53::53");
            RoundTrip rt = sim.roundTrip("router", p.source(), x, Proto.UDP, 53);
            assertThat(rt.reachable()).as(p + "\n" + rt.render()).isTrue();
            assertThat(rt.forward().verdict().step().host()).isEqualTo(p.host());
        }
    }
}
