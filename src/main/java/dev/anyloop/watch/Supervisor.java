package dev.anyloop.watch;

import dev.anyloop.intent.HealthDef.DampingDef;
import dev.anyloop.watch.Event.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decisions of {@code anyloop watch}, without any I/O: fed check outcomes and the live state, it says which
 * instances to take out of service and which to put back, and why. Times are milliseconds of the caller's clock, so
 * tests drive it with a fake one.
 *
 * <p>The rules (docs/watch.md):
 * <ul>
 *   <li>an instance goes down after {@code fall} failed checks in a row and up after {@code rise} good ones;</li>
 *   <li>every instance that is up, not damped and not drained keeps its route, so the kernel's lowest metric (the
 *       most preferred healthy host) wins; a down one is withdrawn;</li>
 *   <li>each fall adds a damping penalty (RFC 2439); above suppress the instance is held out until it decays;</li>
 *   <li>an instance whose check cannot be made (no probe source, no probe route: {@link Outcome.Kind#LOCAL} or a
 *       probe fault of the live state) keeps its route as it is, and raises an alarm;</li>
 *   <li>when no instance of a service address would keep a route, nothing is withdrawn: all of them failing at once
 *       from here is taken as a fault of the checker, routes stay, an alarm is raised; if some are up but damped,
 *       damping gives way instead; and while every instance that would keep it is failing checks too (not down
 *       yet), withdrawals wait, so a fault that hits all of them within a few checks withdraws none;</li>
 *   <li>a drained instance is never put back and its checks do not count (its probe path went with the drain); watch
 *       never undrains; after an undrain the instance starts again as at startup, from the route undrain put back.</li>
 * </ul>
 */
public final class Supervisor {
    /** An instance and its check's hysteresis. */
    public record Member(Instance instance, int rise, int fall) { }

    /** What one instance looks like now, for the health table and the metrics. */
    public record View(Instance instance, boolean up, boolean installed, boolean drained, boolean suppressed, double penalty,
                       Optional<String> fault, Optional<Outcome> last, long healthChanges, long routeChanges) { }

    /** The changes to make now and the events that explain them. */
    public record Decision(List<Change> changes, List<Event> events) { }

    private static final class Slot {
        final Member member;
        Hysteresis health;
        Penalty penalty = Penalty.NONE;
        boolean installed;
        boolean drained;
        Optional<String> pathFault = Optional.empty();
        Optional<String> localFault = Optional.empty();
        boolean faultAlarm;
        Optional<Outcome> last = Optional.empty();
        long healthChanges;
        long routeChanges;

        Slot(Member m) { member = m; }

        Optional<String> fault() { return pathFault.isPresent() ? pathFault : localFault; }
    }

    private final DampingDef damping;
    private final boolean keepLast;
    private final Map<Instance, Slot> slots = new TreeMap<>();
    private final Map<Instance.Group, List<Slot>> groups = new TreeMap<>();
    private final Map<Instance.Group, String> alarms = new TreeMap<>();

    /**
     * Takes over {@code live} as it is: an instance in service starts up (it needs {@code fall} failures to go),
     * one out of service starts down (it needs {@code rise} good checks to come back), so a restarted watch
     * changes nothing until a change is due.
     */
    public Supervisor(List<Member> members, DampingDef damping, Live live, long now) {
        this(members, damping, live, now, true);
    }

    /**
     * As above; with {@code keepLast} false each instance stands alone: one that goes down is withdrawn even when no
     * other instance of its address keeps a route here (a BGP server's own announcement: the other servers' stay in
     * the network, {@link Actuator#holdsEveryCarrier()}).
     */
    public Supervisor(List<Member> members, DampingDef damping, Live live, long now, boolean keepLast) {
        this.damping = damping;
        this.keepLast = keepLast;
        for (Member m : members) {
            Slot s = new Slot(m);
            s.installed = live.installed().contains(m.instance());
            s.drained = live.drained().contains(m.instance());
            s.health = Hysteresis.starting(s.installed);
            s.pathFault = Optional.ofNullable(live.probeFaults().get(m.instance()));
            s.penalty = new Penalty(0, now, false);
            slots.put(m.instance(), s);
            groups.computeIfAbsent(m.instance().group(), g -> new ArrayList<>()).add(s);
        }
        for (List<Slot> g : groups.values()) g.sort((a, b) -> a.member.instance().compareTo(b.member.instance()));
    }

    /**
     * After a reload: every instance that is in both keeps its health, penalty and counters (and its check's new
     * rise/fall); new instances start from the live state as at startup.
     */
    public void carryOver(Supervisor old) {
        for (Slot s : slots.values()) {
            Slot was = old.slots.get(s.member.instance());
            if (was == null) continue;
            s.health = was.health;
            s.penalty = was.penalty;
            s.last = was.last;
            s.localFault = was.localFault;
            s.faultAlarm = was.faultAlarm;
            s.healthChanges = was.healthChanges;
            s.routeChanges = was.routeChanges;
        }
        for (Map.Entry<Instance.Group, String> a : old.alarms.entrySet()) if (groups.containsKey(a.getKey())) alarms.put(a.getKey(), a.getValue());
    }

    /** Feeds one check outcome; returns the health changes it caused. */
    public List<Event> observe(Instance i, Outcome o, long now) {
        Slot s = slots.get(i);
        if (s == null) return List.of();
        List<Event> events = new ArrayList<>();
        s.last = Optional.of(o);
        // a drain withdraws the probe table's route too (Drains.withdraws: every table), so a drained instance's
        // probe follows the main table to another host: its outcome says nothing about this one (no health, no penalty)
        if (s.drained) return events;
        s.localFault = o.kind() == Outcome.Kind.LOCAL ? Optional.of(o.detail()) : Optional.empty();
        Hysteresis before = s.health;
        s.health = before.next(o, s.member.rise(), s.member.fall());
        if (before.up() && !s.health.up()) {
            s.healthChanges++;
            boolean wasSuppressed = s.penalty.at(now, damping).suppressed();
            s.penalty = s.penalty.flap(now, damping);
            events.add(Event.of(Level.WARN, "down", i, "reason", s.member.fall() + " failed check" + plural(s.member.fall())
                    + " in a row: " + o.detail(), "penalty", Long.toString(Math.round(s.penalty.value()))));
            if (!wasSuppressed && s.penalty.suppressed()) {
                events.add(Event.of(Level.WARN, "suppressed", i, "penalty", Long.toString(Math.round(s.penalty.value())),
                        "reason", "flapping: damping penalty " + Math.round(s.penalty.value()) + " reached suppress "
                                + Math.round(damping.suppress()) + "; held out until it decays below " + Math.round(damping.reuse())
                                + " (in " + seconds(s.penalty.reuseAt(damping) - now) + ")"));
            }
        } else if (!before.up() && s.health.up()) {
            s.healthChanges++;
            events.add(Event.of(Level.INFO, "up", i, "reason", s.member.rise() + " good check" + plural(s.member.rise()) + " in a row"));
        }
        return events;
    }

    /** Takes in what the host holds now (drains, routes changed by someone else, probe paths); returns what it noticed. */
    public List<Event> reconcile(Live live, long now) {
        List<Event> events = new ArrayList<>();
        // another anyloop is changing the host (apply, drain, undrain): its routes may be half-way; read again later
        if (live.changing()) return events;
        for (Slot s : slots.values()) {
            Instance i = s.member.instance();
            boolean drained = live.drained().contains(i);
            boolean installed = live.installed().contains(i);
            if (drained && !s.drained) events.add(Event.of(Level.INFO, "drained", i, "reason", "drained by an operator (anyloop drain): watch leaves it out"));
            if (!drained && s.drained) {
                events.add(Event.of(Level.INFO, "undrained", i, "reason", "undrained by an operator (anyloop undrain)"));
                // back under watch's control as at startup: with its route (undrain put it back) it needs fall failures to go
                s.health = Hysteresis.starting(installed);
            }
            // undrain puts the route back itself: that is not someone else's change
            if (!drained && !s.drained && installed != s.installed) {
                events.add(Event.of(Level.WARN, "external-change", i, "reason", (installed ? "route put back" : "route removed")
                        + " by something other than watch"));
            }
            s.drained = drained;
            s.installed = installed;
            s.pathFault = Optional.ofNullable(live.probeFaults().get(i));
        }
        return events;
    }

    /** The changes due at {@code now}, restores first (make before break), and the alarms raised or cleared. */
    public Decision decide(long now) {
        List<Change> restores = new ArrayList<>();
        List<Change> withdrawals = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (Slot s : slots.values()) {
            Penalty before = s.penalty;
            s.penalty = s.penalty.at(now, damping);
            if (before.suppressed() && !s.penalty.suppressed()) {
                events.add(Event.of(Level.INFO, "reused", s.member.instance(), "penalty", Long.toString(Math.round(s.penalty.value())),
                        "reason", "damping penalty decayed below reuse " + Math.round(damping.reuse())));
            }
            boolean faulty = s.fault().isPresent();
            if (faulty != s.faultAlarm) {
                s.faultAlarm = faulty;
                events.add(faulty
                        ? Event.of(Level.ERROR, "alarm", s.member.instance(), "alarm", "probe-fault", "reason",
                                "cannot check this instance (" + s.fault().get() + "): its route is kept as it is")
                        : Event.of(Level.INFO, "alarm-cleared", s.member.instance(), "alarm", "probe-fault", "reason", "checks run again"));
            }
        }
        for (Map.Entry<Instance.Group, List<Slot>> e : groups.entrySet()) decide(e.getKey(), e.getValue(), restores, withdrawals, events);
        List<Change> all = new ArrayList<>(restores);
        all.addAll(withdrawals);
        return new Decision(all, events);
    }

    private void decide(Instance.Group g, List<Slot> members, List<Change> restores, List<Change> withdrawals, List<Event> events) {
        Map<Slot, String> wanted = new LinkedHashMap<>();
        List<Slot> active = members.stream().filter(s -> !s.drained).toList();
        for (Slot s : active) {
            if (s.fault().isPresent()) {
                if (s.installed) wanted.put(s, "kept: cannot be checked");
            } else if (s.health.up() && !s.penalty.suppressed()) {
                wanted.put(s, s.member.rise() + " good check" + plural(s.member.rise()) + " in a row");
            }
        }
        String alarm = null;
        if (keepLast && wanted.isEmpty() && !active.isEmpty()) {
            for (Slot s : active) {
                if (s.fault().isEmpty() && s.health.up()) wanted.put(s, "damping set aside: no other instance is up");
            }
            if (wanted.isEmpty()) {
                long failing = active.stream().filter(s -> s.fault().isEmpty()).count();
                alarm = failing == active.size()
                        ? "all " + active.size() + " instance" + plural(active.size()) + " fail their checks at once: taken as a fault of the checker, routes kept as they are"
                        : "no instance can be checked or is up: routes kept as they are";
                for (Slot s : active) if (s.installed) wanted.put(s, "kept");
            }
        }
        String before = alarms.get(g);
        if (alarm != null && before == null) {
            alarms.put(g, alarm);
            events.add(Event.of(Level.ERROR, "alarm", g, "alarm", "checker-fault", "reason", alarm));
        } else if (alarm == null && before != null) {
            alarms.remove(g);
            events.add(Event.of(Level.INFO, "alarm-cleared", g, "alarm", "checker-fault", "reason", "an instance is up again"));
        }
        // "At once": while every instance that would keep the address is itself failing checks (not down yet),
        // a withdrawal waits; either they recover and it goes ahead, or they go down too and all are kept.
        boolean hold = keepLast && wanted.keySet().stream().noneMatch(s -> s.fault().isEmpty() && s.health.failRun() == 0);
        for (Slot s : active) {
            boolean want = wanted.containsKey(s);
            if (want && !s.installed) {
                restores.add(new Change(Change.Kind.RESTORE, s.member.instance(), wanted.get(s)));
            } else if (!want && s.installed && !hold) {
                withdrawals.add(new Change(Change.Kind.WITHDRAW, s.member.instance(), whyOut(s)));
            }
        }
    }

    private String whyOut(Slot s) {
        if (!s.health.up()) {
            return "down: " + s.member.fall() + " failed check" + plural(s.member.fall()) + " in a row"
                    + s.last.map(o -> ": " + o.detail()).orElse("");
        }
        return "suppressed by damping: penalty " + Math.round(s.penalty.value()) + ", reused below " + Math.round(damping.reuse());
    }

    /** Records what the actuator did: every change made, except {@code failed} (change to reason). */
    public List<Event> applied(List<Change> changes, Map<Change, String> failed) {
        List<Event> events = new ArrayList<>();
        for (Change c : changes) {
            Slot s = slots.get(c.instance());
            if (s == null) continue;
            String error = failed.get(c);
            if (error != null) {
                events.add(Event.of(Level.ERROR, "change-failed", c.instance(), "change", c.kind().word(), "reason", error));
                continue;
            }
            s.installed = c.kind() == Change.Kind.RESTORE;
            s.routeChanges++;
            events.add(Event.of(c.kind() == Change.Kind.WITHDRAW ? Level.WARN : Level.INFO,
                    c.kind() == Change.Kind.WITHDRAW ? "withdrawn" : "restored", c.instance(), "reason", c.reason()));
        }
        return events;
    }

    /** Every instance, in order. */
    public List<View> view() {
        List<View> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            out.add(new View(s.member.instance(), s.health.up(), s.installed, s.drained, s.penalty.suppressed(), s.penalty.value(),
                    s.fault(), s.last, s.healthChanges, s.routeChanges));
        }
        return out;
    }

    /** The service addresses with a raised checker-fault alarm, and why. */
    public Map<Instance.Group, String> alarms() { return Collections.unmodifiableMap(new TreeMap<>(alarms)); }

    /** The instance whose route wins now (the lowest rank in service), if any. */
    public Optional<Instance> preferred(Instance.Group g) {
        return groups.getOrDefault(g, List.of()).stream().filter(s -> s.installed && !s.drained)
                .map(s -> s.member.instance()).min((a, b) -> Integer.compare(a.rank(), b.rank()));
    }

    public List<Instance.Group> groups() { return List.copyOf(groups.keySet()); }

    static String plural(long n) { return n == 1 ? "" : "s"; }

    static String seconds(long ms) { return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0); }
}
