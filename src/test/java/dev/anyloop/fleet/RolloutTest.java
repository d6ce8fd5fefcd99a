package dev.anyloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Route;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The make-before-break order on examples/home.yaml, its proof by the simulator, and the preview of what changes. */
class RolloutTest {
    static Intent home() throws Exception { return IntentLoader.load(Path.of("examples/home.yaml")); }

    /** home.yaml with {@code from} replaced by {@code to} once (the service moved, a port added, ...). */
    static Intent edited(String from, String to) throws Exception {
        String text = Files.readString(Path.of("examples/home.yaml"));
        assertThat(text).contains(from);
        return IntentLoader.parse("home-edited.yaml", text.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8));
    }

    static Intent webOnPi2() throws Exception {
        return edited("    ping: true\n    hosts: [desktop]", "    ping: true\n    hosts: [pi2]");
    }

    /** Every host as anyloop would have applied {@code live}: its lo addresses are the state file's. */
    static Map<String, Rollout.HostInput> inputs(Network live, Network desired) {
        Map<String, Rollout.HostInput> in = new LinkedHashMap<>();
        for (DeviceState d : desired.hosts().values()) {
            DeviceState l = live.host(d.host()).orElseThrow();
            Set<Address> lo = Set.copyOf(l.addressesOn("lo"));
            in.put(d.host(), new Rollout.HostInput(l, lo, d));
        }
        return in;
    }

    static List<Query> staying(Intent a, Intent b, Network live, Network desired) {
        Catalog c = Catalog.of(Optional.of(b), List.of(live, desired));
        List<Query> qs = c.queries(List.of(live, desired));
        return Preview.of(Simulator.of(live), Simulator.of(desired), qs, 2).staying();
    }

    @Test
    void movingWebFromDesktopToPi2AddsOnPi2ThenMovesTheRouteThenRemovesFromDesktop() throws Exception {
        Network live = Compiler.compile(home());
        Network desired = Compiler.compile(webOnPi2());
        Rollout.Plan plan = Rollout.plan(inputs(live, desired));
        Map<Rollout.Wave, List<String>> hosts = new LinkedHashMap<>();
        plan.waves().forEach((w, steps) -> hosts.put(w, steps.stream().map(Rollout.Step::host).toList()));
        // the router's part of MAKE is watch's new probe route to pi2's instance: additive, before anything moves
        assertThat(hosts.get(Rollout.Wave.MAKE)).containsExactly("router", "pi2");
        assertThat(hosts.get(Rollout.Wave.MOVE)).containsExactly("router");
        assertThat(hosts.get(Rollout.Wave.BREAK)).containsExactly("desktop");
        Rollout.Step make = plan.waves().get(Rollout.Wave.MAKE).get(1);
        assertThat(make.target().hasAddress(Ip.parse("10.10.10.10"))).isTrue();
        Rollout.Step moved = plan.waves().get(Rollout.Wave.MOVE).get(0);
        assertThat(moved.target().routes().stream().filter(r -> r.dst().toString().equals("10.10.10.10/32") && r.table() == Route.TABLE_MAIN)
                .map(Object::toString).toList())
                .singleElement().asString().contains("via 192.168.1.54");

        RolloutProof proof = RolloutProof.check(live, plan, staying(home(), webOnPi2(), live, desired));
        assertThat(proof.violations()).isEmpty();
        assertThat(proof.queries()).isGreaterThan(20);
    }

    @Test
    void theProofFindsAClientCutOffWhenTheOrderIsWrong() throws Exception {
        Network live = Compiler.compile(home());
        Network desired = Compiler.compile(webOnPi2());
        Rollout.Plan good = Rollout.plan(inputs(live, desired));
        // every host straight to its final state, all at once: desktop may lose web before the router moves
        Map<Rollout.Wave, List<Rollout.Step>> bad = new LinkedHashMap<>();
        bad.put(Rollout.Wave.MAKE, good.steps().stream().map(s -> new Rollout.Step(Rollout.Wave.MAKE, s.host(), desired.host(s.host()).orElseThrow(),
                desired.host(s.host()).orElseThrow(), Set.of(Ip.parse("10.10.10.10")))).collect(Collectors.toMap(s -> s.host(), s -> s, (a, b) -> b,
                LinkedHashMap::new)).values().stream().toList());
        RolloutProof proof = RolloutProof.check(live, new Rollout.Plan(bad), staying(home(), webOnPi2(), live, desired));
        assertThat(proof.safe()).isFalse();
        assertThat(proof.violations()).extracting(RolloutProof.Violation::line)
                .anyMatch(l -> l.contains("-> 10.10.10.10 tcp/80 (web)") && l.contains("desktop"));
    }

    @Test
    void thePreviewNamesEveryClientWhoseVerdictChanges() throws Exception {
        Network live = Compiler.compile(home());
        // web is opened to iot too: cam gains it, nobody loses anything
        Intent wider = edited("    hosts: [desktop]\n    allow:\n      segments: [lan]\n", "    hosts: [desktop]\n    allow:\n      segments: [lan, iot]\n");
        Network desired = Compiler.compile(wider);
        Catalog c = Catalog.of(Optional.of(wider), List.of(live, desired));
        Preview p = Preview.of(Simulator.of(live), Simulator.of(desired), c.queries(List.of(live, desired)), 2);
        assertThat(p.changes()).extracting(Preview.Change::line).contains(
                "cam -> 10.10.10.10 tcp/80 (web): " + Preview.word(p.changes().stream().filter(x -> x.query().client().equals("cam")
                        && x.query().proto() == Proto.TCP && x.query().address().equals(Ip.parse("10.10.10.10"))).findFirst().orElseThrow().before())
                        + " -> reachable");
        assertThat(p.changes()).allSatisfy(x -> assertThat(x.after().reachable()).isTrue());
        assertThat(p.changes()).extracting(x -> x.query().client()).containsOnly("cam");
        assertThat(p.changes().get(0).before().verdict().describe()).contains("router");
    }

    @Test
    void aRouterReadWithForwardingOffOnEveryDeviceForwardsOnceItsStepWritesIpForward() throws Exception {
        Network desired = Compiler.compile(home());
        DeviceState planned = desired.host("router").orElseThrow();
        // as a snapshot reads a fresh router: ip_forward 0 and conf.all, conf.default and each device's forwarding 0
        Map<String, String> off = new LinkedHashMap<>(planned.sysctls().values());
        off.put("net.ipv4.ip_forward", "0");
        for (String dev : List.of("all", "default", "eth0", "eth1", "eth2", "lo")) off.put("net.ipv4.conf." + dev + ".forwarding", "0");
        DeviceState read = new DeviceState("router", planned.links(), planned.addresses(), planned.routes(), planned.rules(),
                dev.anyloop.state.Sysctls.of(off), planned.ipv4(), planned.ipv6(), planned.listeners());
        Network live = Rollout.with(desired, Map.of("router", read));
        Query dns = new Query("laptop", Ip.parse("10.53.0.53"), Proto.UDP, 53, "dns");
        assertThat(Simulator.of(live).roundTrip(dns.flow()).verdict().describe()).contains("FORWARDING_DISABLED at router");
        Rollout.Plan plan = Rollout.plan(inputs(live, desired));
        Rollout.Step first = plan.steps().stream().filter(s -> s.host().equals("router")).findFirst().orElseThrow();
        assertThat(first.wave()).isEqualTo(Rollout.Wave.MAKE);
        // writing net.ipv4.ip_forward=1 turns forwarding on for every device (devinet.c inet_forward_change)
        assertThat(first.simulated().sysctls().ipv4Forwarding("eth1")).isTrue();
        Network after = Rollout.with(live, Map.of("router", first.simulated()));
        assertThat(Simulator.of(after).roundTrip(dns.flow()).reachable()).isTrue();
    }

    @Test
    void nothingToDoIsAnEmptyPlanAndNoChange() throws Exception {
        Network live = Compiler.compile(home());
        Rollout.Plan plan = Rollout.plan(inputs(live, live));
        assertThat(plan.isEmpty()).isTrue();
        Catalog c = Catalog.of(Optional.of(home()), List.of(live));
        assertThat(Preview.of(Simulator.of(live), Simulator.of(live), c.queries(List.of(live)), 1).changes()).isEmpty();
    }
}
