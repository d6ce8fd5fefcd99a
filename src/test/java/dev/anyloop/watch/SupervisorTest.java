package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.HealthDef.DampingDef;
import dev.anyloop.net.Ip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The supervisor's rules on a fake clock: failover, return after rise, the checker-fault rule, drains, damping. */
class SupervisorTest {
    static final Ip X = Ip.parse("10.53.0.53");
    static final Instance PI1 = new Instance("dns", X, "pi1", 0);
    static final Instance PI2 = new Instance("dns", X, "pi2", 1);
    static final Instance PI3 = new Instance("dns", X, "pi3", 2);
    static final DampingDef DAMPING = DampingDef.DEFAULT;

    /** A supervisor with a fake clock and an actuator that does everything it is asked. */
    static final class Rig {
        final Supervisor sup;
        long now = 1_000_000;
        final List<Change> made = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final Set<Instance> installed = new HashSet<>();

        Rig(Set<Instance> live, Instance... members) { this(live, Set.of(), DAMPING, members); }

        Rig(Set<Instance> live, Set<Instance> drained, DampingDef d, Instance... members) {
            List<Supervisor.Member> ms = new ArrayList<>();
            for (Instance i : members) ms.add(new Supervisor.Member(i, 5, 3));
            installed.addAll(live);
            sup = new Supervisor(ms, d, new Live(live, drained, Map.of()), now);
        }

        /** n checks of i with the same outcome, 100 ms apart, deciding after each as the daemon does. */
        void feed(Instance i, Outcome o, int n) {
            for (int k = 0; k < n; k++) {
                now += 100;
                events.addAll(sup.observe(i, o, now));
                step();
            }
        }

        void step() {
            Supervisor.Decision d = sup.decide(now);
            events.addAll(d.events());
            for (Change c : d.changes()) {
                if (c.kind() == Change.Kind.WITHDRAW) installed.remove(c.instance());
                else installed.add(c.instance());
            }
            made.addAll(d.changes());
            events.addAll(sup.applied(d.changes(), Map.of()));
        }

        List<String> eventNames() { return events.stream().map(Event::event).toList(); }
    }

    static Outcome ok() { return Outcome.ok("answered", 1_000_000); }

    static Outcome fail() { return Outcome.fail("udp dns: port unreachable", 1_000_000); }

    @Test
    void aDownPrimaryIsWithdrawnAfterFallAndRestoredAfterRise() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        r.feed(PI1, fail(), 2);
        assertThat(r.made).isEmpty();
        r.feed(PI1, fail(), 1);
        assertThat(r.made).extracting(Change::kind, Change::instance).containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Kind.WITHDRAW, PI1));
        assertThat(r.made.get(0).reason()).contains("3 failed checks in a row").contains("port unreachable");
        assertThat(r.installed).containsExactly(PI2);
        assertThat(r.sup.preferred(PI1.group())).contains(PI2);
        r.feed(PI1, ok(), 4);
        assertThat(r.made).hasSize(1);
        r.feed(PI1, ok(), 1);
        assertThat(r.made).hasSize(2);
        assertThat(r.made.get(1).kind()).isEqualTo(Change.Kind.RESTORE);
        assertThat(r.installed).containsExactlyInAnyOrder(PI1, PI2);
        assertThat(r.sup.preferred(PI1.group())).contains(PI1);
        assertThat(r.eventNames()).containsSubsequence("down", "withdrawn", "up", "restored");
    }

    @Test
    void aGoodCheckBetweenFailuresStartsTheCountAgain() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        for (int k = 0; k < 10; k++) {
            r.feed(PI1, fail(), 2);
            r.feed(PI1, ok(), 1);
        }
        assertThat(r.made).isEmpty();
    }

    @Test
    void allInstancesFailingAtOnceIsACheckerFault_routesKept_alarmRaisedAndCleared() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        for (int k = 0; k < 5; k++) {
            r.feed(PI1, fail(), 1);
            r.feed(PI2, fail(), 1);
        }
        assertThat(r.made).isEmpty();
        assertThat(r.installed).containsExactlyInAnyOrder(PI1, PI2);
        assertThat(r.sup.alarms()).containsKey(PI1.group());
        assertThat(r.events).filteredOn(e -> e.event().equals("alarm")).singleElement()
                .satisfies(e -> assertThat(e.field("reason")).contains("all 2 instances fail their checks at once").contains("routes kept"))
                .satisfies(e -> assertThat(e.level()).isEqualTo(Event.Level.ERROR));
        // pi2 answers again: the alarm clears and pi1, still failing, goes now that pi2 is there for it
        r.feed(PI2, ok(), 5);
        assertThat(r.sup.alarms()).isEmpty();
        assertThat(r.eventNames()).contains("alarm-cleared");
        assertThat(r.made).extracting(Change::instance).containsExactly(PI1);
        assertThat(r.installed).containsExactly(PI2);
    }

    @Test
    void theLastRouteOfAServiceIsNeverWithdrawn() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        r.feed(PI1, fail(), 3);
        assertThat(r.installed).containsExactly(PI2);
        r.feed(PI2, fail(), 10);
        assertThat(r.installed).containsExactly(PI2);
        assertThat(r.made).hasSize(1);
        assertThat(r.sup.alarms()).containsKey(PI2.group());
    }

    @Test
    void aSingleHostServiceKeepsItsRouteWhenItFails() {
        Instance web = new Instance("web", Ip.parse("10.10.10.10"), "desktop", 0);
        Rig r = new Rig(Set.of(web), web);
        r.feed(web, fail(), 10);
        assertThat(r.made).isEmpty();
        assertThat(r.sup.alarms()).containsKey(web.group());
    }

    @Test
    void aWithdrawalWaitsWhileTheOtherInstanceIsFailingToo() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, fail(), 1);
        r.feed(PI1, fail(), 3);
        assertThat(r.made).as("pi2 is failing as well: maybe the checker").isEmpty();
        r.feed(PI2, ok(), 1);
        assertThat(r.made).extracting(Change::instance).containsExactly(PI1);
    }

    @Test
    void aCheckThatCannotBeMadeKeepsTheRoute_andRaisesAnAlarm() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        r.feed(PI1, Outcome.local("cannot bind probe source 10.255.1.1: Cannot assign requested address"), 20);
        assertThat(r.made).isEmpty();
        assertThat(r.events).filteredOn(e -> e.event().equals("alarm")).singleElement()
                .satisfies(e -> assertThat(e.field("alarm")).isEqualTo("probe-fault"))
                .satisfies(e -> assertThat(e.field("reason")).contains("cannot bind probe source"));
        r.feed(PI1, ok(), 1);
        assertThat(r.eventNames()).contains("alarm-cleared");
        assertThat(r.made).isEmpty();
    }

    @Test
    void everyProbeSourceGone_noWithdrawalAnywhere() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        for (int k = 0; k < 10; k++) {
            r.feed(PI1, Outcome.local("no probe source"), 1);
            r.feed(PI2, Outcome.local("no probe source"), 1);
        }
        assertThat(r.made).isEmpty();
        assertThat(r.events).filteredOn(e -> e.event().equals("alarm")).hasSize(2);
    }

    @Test
    void aProbePathMissingFromTheLiveStateFreezesTheInstance() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.sup.reconcile(new Live(Set.of(PI1, PI2), Set.of(), Map.of(PI1, "no rule from 10.255.1.1 in the router's policy rules")), r.now);
        r.feed(PI2, ok(), 1);
        r.feed(PI1, fail(), 10);
        assertThat(r.made).isEmpty();
        r.sup.reconcile(new Live(Set.of(PI1, PI2), Set.of(), Map.of()), r.now);
        r.feed(PI1, fail(), 1);
        assertThat(r.made).extracting(Change::instance).containsExactly(PI1);
    }

    @Test
    void restartTakesOverTheLiveStateWithoutAChange() {
        // a previous watch withdrew pi1; this one starts with pi1 out, pi2 in
        Rig r = new Rig(Set.of(PI2), PI1, PI2);
        r.step();
        r.feed(PI2, ok(), 3);
        r.feed(PI1, fail(), 3);
        assertThat(r.made).isEmpty();
        r.feed(PI1, ok(), 5);
        assertThat(r.made).extracting(Change::kind).containsExactly(Change.Kind.RESTORE);
    }

    @Test
    void aDrainedInstanceIsNeverPutBack() {
        Rig r = new Rig(Set.of(PI2), Set.of(PI1), DAMPING, PI1, PI2);
        r.feed(PI1, ok(), 20);
        r.feed(PI2, ok(), 20);
        assertThat(r.made).isEmpty();
        // drained while watch runs: the drain removed the route; watch notices and leaves it
        Rig s = new Rig(Set.of(PI1, PI2), PI1, PI2);
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI2), Set.of(PI1), Map.of()), s.now));
        s.feed(PI1, ok(), 20);
        assertThat(s.made).isEmpty();
        assertThat(s.eventNames()).contains("drained");
        // the drained instance is not counted as the remaining one: pi2 failing alone keeps its route
        s.feed(PI2, fail(), 5);
        assertThat(s.made).isEmpty();
    }

    @Test
    void aDrainedInstancesChecksDoNotCount_andAnUndrainStartsItAgainFromItsRoute() {
        Rig s = new Rig(Set.of(PI1, PI2), PI1, PI2);
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI2), Set.of(PI1), Map.of()), s.now));
        // while drained pi1 flaps (its probe went to pi2 through the main table, or nowhere): no health change, no penalty
        for (int k = 0; k < 6; k++) {
            s.feed(PI1, fail(), 4);
            s.feed(PI1, ok(), 6);
        }
        assertThat(s.made).isEmpty();
        assertThat(s.eventNames()).doesNotContain("down", "up", "suppressed");
        assertThat(s.sup.view().get(0).penalty()).isZero();
        s.feed(PI1, fail(), 4);
        // undrain with pi1's last checks failing: it starts up from the route undrain put back, nothing withdrawn at once
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI1, PI2), Set.of(), Map.of()), s.now));
        s.step();
        assertThat(s.made).isEmpty();
        assertThat(s.sup.view().get(0).up()).isTrue();
        // and watch has it again: fall failures take it out, rise good checks put it back
        s.feed(PI1, fail(), 2);
        assertThat(s.made).isEmpty();
        s.feed(PI1, fail(), 1);
        assertThat(s.made).extracting(Change::kind).containsExactly(Change.Kind.WITHDRAW);
        s.feed(PI1, ok(), 5);
        assertThat(s.made).extracting(Change::kind).containsExactly(Change.Kind.WITHDRAW, Change.Kind.RESTORE);
    }

    @Test
    void aDrainInFlight_thenRecorded_thenUndrained_isNeverUndone() {
        Rig s = new Rig(Set.of(PI1, PI2), PI1, PI2);
        // drain has removed pi1's route but not saved its record yet (journal present): nothing is concluded
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI2), Set.of(), Map.of(), true), s.now));
        s.feed(PI1, ok(), 10);
        assertThat(s.made).isEmpty();
        assertThat(s.eventNames()).doesNotContain("external-change");
        // the record is saved with the drain: watch leaves pi1 out
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI2), Set.of(PI1), Map.of()), s.now));
        s.feed(PI1, ok(), 10);
        assertThat(s.made).isEmpty();
        assertThat(s.eventNames()).contains("drained");
        // undrain put the route back itself: noted as an undrain, not as someone else's change, and nothing to do
        s.events.addAll(s.sup.reconcile(new Live(Set.of(PI1, PI2), Set.of(), Map.of()), s.now));
        s.feed(PI1, ok(), 10);
        assertThat(s.made).isEmpty();
        assertThat(s.eventNames()).contains("undrained").doesNotContain("external-change");
        // and from then on pi1 is watched as before: down after fall, withdrawn
        s.feed(PI1, fail(), 3);
        assertThat(s.made).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Change.Kind.WITHDRAW));
    }

    @Test
    void aRouteSomeoneElseRemovedIsPutBackWhileHealthy() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.events.addAll(r.sup.reconcile(new Live(Set.of(PI2), Set.of(), Map.of()), r.now));
        r.step();
        assertThat(r.eventNames()).contains("external-change");
        assertThat(r.made).extracting(Change::kind, Change::instance)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Kind.RESTORE, PI1));
    }

    @Test
    void restoresComeBeforeWithdrawals() {
        Rig r = new Rig(Set.of(PI1), PI1, PI2);
        r.feed(PI2, ok(), 4);
        r.feed(PI1, fail(), 2);
        r.now += 100;
        r.sup.observe(PI2, ok(), r.now);
        r.sup.observe(PI1, fail(), r.now);
        Supervisor.Decision d = r.sup.decide(r.now);
        assertThat(d.changes()).extracting(Change::kind).containsExactly(Change.Kind.RESTORE, Change.Kind.WITHDRAW);
    }

    @Test
    void aFlappingInstanceIsHeldOutUntilItsPenaltyDecays() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        for (int k = 0; k < 3; k++) {
            r.feed(PI1, fail(), 3);
            r.feed(PI1, ok(), 5);
        }
        // flaps 1 and 2 withdrew and restored; flap 3 brought the penalty to ~2900 >= 2000: suppressed
        assertThat(r.eventNames()).contains("suppressed");
        long changesAtSuppression = r.made.size();
        assertThat(changesAtSuppression).isEqualTo(5);
        Supervisor.View v = r.sup.view().get(0);
        assertThat(v.up()).isTrue();
        assertThat(v.installed()).isFalse();
        assertThat(v.suppressed()).isTrue();
        // healthy all along, but held out: 40 s later the penalty (~1100) is still above reuse 750
        for (int k = 0; k < 400; k++) {
            r.feed(PI1, ok(), 1);
            r.feed(PI2, ok(), 0);
        }
        assertThat(r.made).hasSize(5);
        // it decays below 750 within log2(2900/750) * 30 s = 58.5 s of the third fall
        for (int k = 0; k < 200; k++) r.feed(PI1, ok(), 1);
        assertThat(r.made).hasSize(6);
        assertThat(r.made.get(5).kind()).isEqualTo(Change.Kind.RESTORE);
        assertThat(r.eventNames()).contains("reused");
    }

    @Test
    void dampingGivesWayWhenTheDampedInstanceIsTheOnlyOneUp() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        for (int k = 0; k < 3; k++) {
            r.feed(PI1, fail(), 3);
            r.feed(PI1, ok(), 5);
        }
        assertThat(r.sup.view().get(0).suppressed()).isTrue();
        r.feed(PI2, fail(), 3);
        assertThat(r.installed).containsExactly(PI1);
        assertThat(r.made.get(r.made.size() - 2).reason()).contains("damping set aside");
    }

    @Test
    void threeInstances_theMostPreferredHealthyOneWins() {
        Rig r = new Rig(Set.of(PI1, PI2, PI3), PI1, PI2, PI3);
        r.feed(PI3, ok(), 1);
        r.feed(PI1, fail(), 3);
        r.feed(PI2, fail(), 3);
        assertThat(r.installed).containsExactly(PI3);
        assertThat(r.sup.preferred(PI1.group())).contains(PI3);
        r.feed(PI2, ok(), 5);
        assertThat(r.sup.preferred(PI1.group())).contains(PI2);
    }

    @Test
    void aFailedChangeIsLoggedAndTheBeliefKept() {
        Rig r = new Rig(Set.of(PI1, PI2), PI1, PI2);
        r.feed(PI2, ok(), 1);
        for (int k = 0; k < 3; k++) {
            r.now += 100;
            r.sup.observe(PI1, fail(), r.now);
        }
        Supervisor.Decision d = r.sup.decide(r.now);
        Map<Change, String> failed = new HashMap<>();
        failed.put(d.changes().get(0), "ip: RTNETLINK answers: Operation not permitted");
        List<Event> ev = r.sup.applied(d.changes(), failed);
        assertThat(ev).extracting(Event::event).containsExactly("change-failed");
        assertThat(r.sup.decide(r.now).changes()).hasSize(1);
    }

    @Test
    void dampingNeverHoldsLongerThanMaxSuppress() {
        DampingDef d = new DampingDef(1000, 2000, 750, Duration.ofSeconds(10), Duration.ofSeconds(30));
        Rig r = new Rig(Set.of(PI1, PI2), Set.of(), d, PI1, PI2);
        r.feed(PI2, ok(), 1);
        for (int k = 0; k < 30; k++) {
            r.feed(PI1, fail(), 3);
            r.feed(PI1, ok(), 5);
        }
        long suppressedAt = r.now;
        int before = r.made.size();
        while (r.made.size() == before) r.feed(PI1, ok(), 1);
        assertThat(r.now - suppressedAt).isBetween(29_000L, 30_100L);
    }
}
