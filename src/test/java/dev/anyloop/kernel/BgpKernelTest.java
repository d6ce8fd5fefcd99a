package dev.anyloop.kernel;

import dev.anyloop.apply.Backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.bgp.BgpNet;
import dev.anyloop.bgp.RandomBgp;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.LabProbe;
import dev.anyloop.lab.Probe;
import dev.anyloop.lab.ProbeResult;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Birdc;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Step;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * BGP judged by the kernel: the network built in namespaces with BIRD in every BGP host; once BGP has converged
 * every router's kernel FIB for the service prefixes is the simulator's prediction route for route (next hops
 * included; {@code lab up} waits for exactly that, and this test checks it again), and real probes agree with the
 * simulator: as built, with each server failed in turn, with a whole site down. A server announcing a foreign
 * prefix is filtered at its router; a server whose service died is withdrawn through birdc. Random topologies
 * (seeded, {@code -Danyloop.bgp.seeds=N}, default 3) agree as well.
 */
@Tag("root")
class BgpKernelTest {
    private static final int SEEDS = Integer.getInteger("anyloop.bgp.seeds", 3);
    private static final long FIRST_SEED = Long.getLong("anyloop.bgp.seed", 1);

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-bg"));
    }

    @Test
    void anycastAgreesWithTheKernelThroughFailuresAHijackAndAWithdrawal() throws Exception {
        Intent intent = IntentLoader.load(Path.of("examples/anycast.yaml"));
        Network n = Compiler.compile(intent);
        LabPlan plan = LabPlan.of("bgany", n);
        try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
            LabBird bird = lab.bird().orElseThrow();
            Network expected = Bgp.converge(intent, n).network();
            fibsAreThePrediction(bird, expected);
            assertThat(bird.kernelRoutes("ra")).hasSize(2);

            // every query check derives, the failover scenarios (each server failed in turn) made real one by one
            LabProbe.Plan queries = LabProbe.queries(intent, expected, List.of());
            List<LabProbe.Result> results = LabProbe.run(lab, queries.queries());
            assertThat(results).as(lines(results)).allMatch(LabProbe.Result::agree).noneMatch(LabProbe.Result::failedExpectation);
            assertThat(results.stream().filter(r -> r.query().scenario().isPresent()).count()).isGreaterThanOrEqualTo(32);

            // a whole site's servers down: its clients are answered by the other site, over the core
            lab.fail("dns-a1");
            lab.fail("dns-a2");
            Network siteDown = n.without("dns-a1").without("dns-a2");
            bird.awaitRoutes(siteDown, LabBird.CONVERGE);
            fibsAreThePrediction(bird, Bgp.converge(intent, siteDown).network());
            Simulator sim = Simulator.of(Bgp.converge(intent, siteDown).network());
            for (String dst : List.of("10.53.0.53", "fd53::53")) {
                Flow f = Flow.of("client-a", Ip.parse(dst), Proto.UDP, 53);
                ProbeResult k = lab.probe("client-a", new Probe.Dns(f.dst(), 53, false));
                assertThat(k.answeredBy()).as(k.detail()).isEqualTo("dns-b1");
                assertThat(sim.roundTrip(f).forward().verdict().step().host()).isEqualTo("dns-b1");
            }
            lab.restore();
            fibsAreThePrediction(bird, expected);

            hijackIsFilteredAtTheRouter(lab, bird);
            fibsAreThePrediction(bird, expected);

            deadServiceIsWithdrawnThroughBirdc(lab, bird, intent, n);
        }
    }

    /** dns-a2's BIRD is reconfigured by hand to announce 10.66.6.6/32 too: it sends it, ra refuses it. */
    private static void hijackIsFilteredAtTheRouter(Lab lab, LabBird bird) throws Exception {
        Path conf = Path.of("/run/anyloop-lab/bgany/bird/dns-a2.conf");
        String original = Files.readString(conf);
        String hijack = original.replace("  route 10.53.0.53/32 blackhole;\n", "  route 10.53.0.53/32 blackhole;\n  route 10.66.6.6/32 blackhole;\n")
                .replace("function announce_v4() {\n", "function announce_v4() {\n  if net = 10.66.6.6/32 then return true;\n");
        assertThat(hijack).isNotEqualTo(original).contains("10.66.6.6/32 blackhole");
        Birdc a2 = bird.birdc("dns-a2");
        Birdc ra = bird.birdc("ra");
        Files.writeString(conf, hijack);
        try {
            assertThat(a2.run(List.of("configure")).out()).contains("Reconfigured");
            long deadline = System.nanoTime() + 10_000_000_000L;
            String exported = "";
            while (System.nanoTime() < deadline && !(exported = a2.run(List.of("show", "route", "export", "'ra.v4'")).out()).contains("10.66.6.6/32")) {
                Thread.sleep(100);
            }
            assertThat(exported).as("the tampered server announces the foreign prefix").contains("10.66.6.6/32");
            Thread.sleep(1000); // ra has had it for a while: long past BGP's own propagation in the lab
            assertThat(ra.run(List.of("show", "route", "for", "10.66.6.6")).out()).doesNotContain("10.66.6.6/32");
            assertThat(ra.run(List.of("show", "protocols", "all", "'dns-a2.v4'")).out()).containsPattern("Import updates:\\s+\\d+\\s+\\d+\\s+[1-9]");
            assertThat(lab.exec("ra", List.of("ip", "route", "show", "10.66.6.6")).out()).isBlank();
        } finally {
            Files.writeString(conf, original);
            a2.run(List.of("configure"));
        }
    }

    /** dns-a1's dnsmasq is killed: the kernel still sends client-a there until birdc withdraws its announcement. */
    private static void deadServiceIsWithdrawnThroughBirdc(Lab lab, LabBird bird, Intent intent, Network n) throws Exception {
        long pid = Long.parseLong(Files.readString(Path.of("/run/anyloop-lab/bgany/dns-a1-dnsmasq.pid")).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Probe dns = new Probe.Dns(Ip.parse("10.53.0.53"), 53, false);
        assertThat(lab.probe("client-a", dns).reachable()).as("no answer while the dead server is still announced").isFalse();
        Set<Bgp.Announcement> withdrawn = Set.of(new Bgp.Announcement("dns-a1", "dns"));
        bird.withdraw("dns-a1", "dns");
        bird.awaitRoutes(n, withdrawn, LabBird.CONVERGE);
        Network after = Bgp.converge(intent, n, withdrawn).network();
        fibsAreThePrediction(bird, after);
        assertThat(lab.probe("client-a", dns).answeredBy()).isEqualTo("dns-a2");
        assertThat(Simulator.of(after).roundTrip("client-a", Ip.parse("10.53.0.53"), Proto.UDP, 53).forward().verdict().step().host())
                .isEqualTo("dns-a2");
        assertThat(bird.birdc("dns-a1").protocols()).containsPattern("announce\\.dns\\.v4\\s+Static\\s+master4\\s+down");
        assertThat(bird.birdc("dns-a1").announced()).as("what a health check's actuator reads").isEmpty();
        assertThat(bird.birdc("dns-a2").announced()).containsExactly("dns");
        bird.restore("dns-a1", "dns");
        assertThat(bird.birdc("dns-a1").announced()).containsExactly("dns");
        bird.awaitRoutes(n, LabBird.CONVERGE);
        fibsAreThePrediction(bird, Bgp.converge(intent, n).network());
    }

    private static void fibsAreThePrediction(LabBird bird, Network expected) {
        for (String r : bird.routers()) {
            if (!expected.hosts().containsKey(r)) continue;
            assertThat(bird.kernelRoutes(r)).as("kernel FIB of %s", r).isEqualTo(LabBird.normal(expected.hosts().get(r).routes()));
        }
    }

    @Test
    void randomBgpNetworksAgreeWithTheKernel() {
        int probes = 0, ecmp = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            BgpNet net = RandomBgp.generate(seed);
            Intent intent = net.intent();
            Network n = Compiler.compile(intent);
            LabPlan plan = LabPlan.of("bgr" + seed, n);
            // lab up returns only once every router's kernel holds exactly the simulator's BGP routes
            try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
                LabBird bird = lab.bird().orElseThrow();
                Network expected = Bgp.converge(intent, n).network();
                fibsAreThePrediction(bird, expected);
                for (DeviceState d : expected.hosts().values()) {
                    ecmp += (int) d.routes().stream().filter(r -> Bgp.installedByBird(r) && r.nexthops().size() > 1).count();
                }
                probes += agree(lab, intent, expected, net, "seed " + seed);
                // one server of a service down: BGP reconverges in the kernel exactly as simulated, and probes agree
                String victim = intent.services().get("svc0").hosts().get(new Random(seed).nextInt(intent.services().get("svc0").hosts().size()));
                lab.fail(victim);
                Network down = n.without(victim);
                bird.awaitRoutes(down, LabBird.CONVERGE);
                fibsAreThePrediction(bird, Bgp.converge(intent, down).network());
                probes += agree(lab, intent, Bgp.converge(intent, down).network(), net, "seed " + seed + " without " + victim);
            }
        }
        System.out.printf("bgp kernel agreement: %d random networks, %d probes agree, %d ECMP routes%n", SEEDS, probes, ecmp);
        assertThat(probes).isGreaterThan(10 * SEEDS);
    }

    /** Every client and router to every service address: the kernel's answer is one the simulator allows. */
    private static int agree(Lab lab, Intent intent, Network expected, BgpNet net, String what) {
        List<Flow> flows = new ArrayList<>();
        List<String> from = new ArrayList<>(net.clients());
        from.addAll(net.routers());
        for (String h : from) {
            if (!expected.hosts().containsKey(h)) continue;
            for (var s : intent.services().values()) for (Ip x : s.addresses()) flows.add(Flow.of(h, x, Proto.UDP, 53));
        }
        List<ProbeResult> kernel = lab.probeAll(flows.stream().map(f -> new Lab.Query(f.from(), new Probe.Dns(f.dst(), 53, false))).toList());
        for (int k = 0; k < flows.size(); k++) {
            Set<String> allowed = possibleAnswers(expected, flows.get(k), 0);
            ProbeResult r = kernel.get(k);
            String got = r.reachable() ? r.answeredBy() : "unreachable";
            assertThat(allowed).as("%s: %s: kernel %s (%s)", what, flows.get(k), got, r.detail()).contains(got);
        }
        return flows.size();
    }

    /**
     * The answers the simulator allows for {@code f}: the answering host, or "unreachable". Where the walk takes a
     * multipath route, the kernel hashes the flow onto one path the simulator cannot name, so each path is followed.
     */
    static Set<String> possibleAnswers(Network n, Flow f, int depth) {
        RoundTrip rt = Simulator.of(n).roundTrip(f);
        Set<String> out = new TreeSet<>();
        Optional<Step.RouteLookup> multi = rt.forward().steps().stream().filter(s -> s instanceof Step.RouteLookup)
                .map(s -> (Step.RouteLookup) s).filter(l -> l.route().isPresent() && l.route().get().nexthops().size() > 1).findFirst();
        if (multi.isEmpty() || depth > 3) {
            out.add(rt.reachable() ? rt.forward().verdict().step().host() : "unreachable");
            return out;
        }
        Route r = multi.get().route().get();
        DeviceState d = n.hosts().get(multi.get().host());
        for (var hop : r.nexthops()) {
            Route one = new Route(r.type(), r.dst(), r.table(), List.of(hop), r.metric(), r.src(), r.proto(), r.scope());
            out.addAll(possibleAnswers(n.with(d.withRoutes(d.routes().stream().map(x -> x.equals(r) ? one : x).toList())), f, depth + 1));
        }
        return out;
    }

    private static String lines(List<LabProbe.Result> results) {
        StringBuilder sb = new StringBuilder();
        for (LabProbe.Result r : results) if (!r.agree() || r.failedExpectation()) sb.append(r.line()).append('\n');
        return sb.toString();
    }
}
