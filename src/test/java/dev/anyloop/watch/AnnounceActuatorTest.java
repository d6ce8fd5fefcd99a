package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bgp.Announcer;
import dev.anyloop.intent.CheckSpec;
import dev.anyloop.intent.HealthDef.DampingDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The BGP server's actuator and the supervisor together, on a fake BIRD: a server's own check failing withdraws its
 * announcement even though it is the only instance watch knows (the other servers' announcements stay in the
 * network), per family; a second address of the same family goes out with the first and comes back only with it.
 */
class AnnounceActuatorTest {
    static final Ip V4 = Ip.parse("10.53.0.53");
    static final Ip V6 = Ip.parse("fd53::53");
    static final Ip V4B = Ip.parse("10.53.0.54");

    /** BIRD's announce protocols as birdc would switch them; records every switch. */
    static final class FakeBird implements Announcer {
        final Map<String, Map<Family, Boolean>> protocols = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        RuntimeException broken;

        FakeBird with(String service, Family... fs) {
            for (Family f : fs) protocols.computeIfAbsent(service, k -> new EnumMap<>(Family.class)).put(f, true);
            return this;
        }

        @Override public String describe() { return "BIRD at /run/t.ctl"; }

        @Override
        public Map<String, Map<Family, Boolean>> announcements() {
            Map<String, Map<Family, Boolean>> copy = new TreeMap<>();
            protocols.forEach((s, m) -> copy.put(s, new EnumMap<>(m)));
            return copy;
        }

        @Override public boolean withdraw(String service) { throw new AssertionError("the actuator switches one family at a time"); }

        @Override public boolean restore(String service) { throw new AssertionError("the actuator switches one family at a time"); }

        @Override public boolean withdraw(String service, Family f) { return set(service, f, false); }

        @Override public boolean restore(String service, Family f) { return set(service, f, true); }

        private boolean set(String service, Family f, boolean on) {
            if (broken != null) throw broken;
            calls.add((on ? "enable " : "disable ") + service + "." + f);
            Map<Family, Boolean> m = protocols.get(service);
            if (m == null || !m.containsKey(f)) return false;
            m.put(f, on);
            return true;
        }
    }

    /** watch's control loop without threads: read, observe, decide, apply, as Watch does on its fake clock. */
    static final class Rig {
        final FakeBird bird;
        final WatchPlan plan;
        final AnnounceActuator actuator;
        final Supervisor sup;
        final List<Event> events = new ArrayList<>();
        long now = 1_000_000;

        Rig(FakeBird bird, Ip... addresses) {
            this.bird = bird;
            CheckSpec check = new CheckSpec.Tcp(53, CheckSpec.Timing.DEFAULT);
            List<WatchPlan.Item> items = new ArrayList<>();
            for (Ip x : addresses) items.add(new WatchPlan.Item(inst(x), ServerPlan.announcement(x), Optional.of(check), Optional.empty()));
            plan = new WatchPlan("dns-a1", items, DampingDef.DEFAULT);
            actuator = new AnnounceActuator(plan, bird);
            Live live = actuator.read();
            sup = new Supervisor(Watch.members(plan, false), plan.damping(), live, now, actuator.holdsEveryCarrier());
            events.addAll(sup.reconcile(live, now));
        }

        void feed(Ip x, Outcome o, int n) {
            for (int k = 0; k < n; k++) {
                now += 100;
                events.addAll(sup.observe(inst(x), o, now));
                step();
            }
        }

        void step() {
            events.addAll(sup.reconcile(actuator.read(), now));
            Supervisor.Decision d = sup.decide(now);
            events.addAll(d.events());
            events.addAll(sup.applied(d.changes(), actuator.apply(d.changes())));
        }

        List<String> names() { return events.stream().map(Event::event).toList(); }
    }

    static Instance inst(Ip x) { return new Instance("dns", x, "dns-a1", 0); }

    static Outcome ok() { return Outcome.ok("answered", 1_000_000); }

    static Outcome fail() { return Outcome.fail("udp dns: timeout", 1_000_000); }

    @Test
    void theServersOwnFailingCheckWithdrawsItsAnnouncementAndRiseRestoresIt() {
        Rig r = new Rig(new FakeBird().with("dns", Family.V4, Family.V6), V4, V6);
        r.feed(V6, ok(), 1);
        r.feed(V4, fail(), 2);
        assertThat(r.bird.calls).isEmpty();
        r.feed(V4, fail(), 1);
        // alone on this server, and still withdrawn: no checker-fault alarm, no "kept"
        assertThat(r.bird.calls).containsExactly("disable dns.V4");
        assertThat(r.bird.protocols.get("dns")).containsEntry(Family.V4, false).containsEntry(Family.V6, true);
        assertThat(r.names()).contains("down", "withdrawn").doesNotContain("alarm", "external-change");
        assertThat(r.actuator.read().installed()).containsExactly(inst(V6));
        r.feed(V4, ok(), 4);
        assertThat(r.bird.calls).hasSize(1);
        r.feed(V4, ok(), 1);
        assertThat(r.bird.calls).containsExactly("disable dns.V4", "enable dns.V4");
        assertThat(r.actuator.read().installed()).containsExactly(inst(V4), inst(V6));
        assertThat(r.names()).endsWith("up", "restored");
    }

    @Test
    void aSecondAddressOfTheFamilyGoesOutWithTheFirstAndBackOnlyWithIt() {
        Rig r = new Rig(new FakeBird().with("dns", Family.V4), V4, V4B);
        r.feed(V4, fail(), 3);
        assertThat(r.bird.calls).containsExactly("disable dns.V4");
        r.feed(V4B, ok(), 10);
        // V4B is healthy and held out with V4: read as in service, nothing switched, no external change noticed
        assertThat(r.actuator.read().installed()).containsExactly(inst(V4B));
        assertThat(r.bird.calls).containsExactly("disable dns.V4");
        assertThat(r.names()).doesNotContain("external-change");
        r.feed(V4, ok(), 5);
        assertThat(r.bird.calls).containsExactly("disable dns.V4", "enable dns.V4");
        assertThat(r.bird.protocols.get("dns")).containsEntry(Family.V4, true);
    }

    @Test
    void aBirdRestartThatAnnouncesAFailingServiceAgainIsWithdrawnAgain() {
        Rig r = new Rig(new FakeBird().with("dns", Family.V4), V4);
        r.feed(V4, fail(), 3);
        r.bird.protocols.get("dns").put(Family.V4, true); // BIRD restarted: every protocol enabled, as its config says
        r.feed(V4, fail(), 1);
        assertThat(r.names()).contains("external-change");
        assertThat(r.bird.calls).containsExactly("disable dns.V4", "disable dns.V4");
        assertThat(r.bird.protocols.get("dns")).containsEntry(Family.V4, false);
    }

    @Test
    void aStartOnAWithdrawnServiceRestoresItOnlyAfterRise() {
        FakeBird bird = new FakeBird().with("dns", Family.V4);
        bird.protocols.get("dns").put(Family.V4, false);
        Rig r = new Rig(bird, V4);
        r.feed(V4, ok(), 4);
        assertThat(bird.calls).isEmpty();
        r.feed(V4, ok(), 1);
        assertThat(bird.calls).containsExactly("enable dns.V4");
    }

    @Test
    void aProtocolBirdDoesNotHaveIsAFaultAndNothingIsSwitched() {
        Rig r = new Rig(new FakeBird().with("dns", Family.V6), V4, V6);
        assertThat(r.actuator.read().probeFaults()).containsOnlyKeys(inst(V4));
        assertThat(r.actuator.read().probeFaults().get(inst(V4))).contains("has no protocol announce.dns.v4");
        r.feed(V4, fail(), 5);
        assertThat(r.bird.calls).isEmpty();
        assertThat(r.names()).contains("alarm");
    }

    @Test
    void aBirdcErrorFailsTheChangeWithItsMessage() {
        FakeBird bird = new FakeBird().with("dns", Family.V4);
        Rig r = new Rig(bird, V4);
        bird.broken = new IllegalStateException("birdc disable announce.dns.v4 on /run/t.ctl: Unable to connect to server control socket");
        r.feed(V4, fail(), 3);
        assertThat(r.events).filteredOn(e -> e.event().equals("change-failed")).first()
                .satisfies(e -> assertThat(e.field("reason")).contains("Unable to connect"));
        bird.broken = null;
        r.feed(V4, fail(), 1); // the next turn asks again (Watch itself waits a second before it does)
        assertThat(bird.protocols.get("dns")).containsEntry(Family.V4, false);
    }
}
