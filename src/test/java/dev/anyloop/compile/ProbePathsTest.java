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
}
