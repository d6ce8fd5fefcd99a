package dev.anyloop.watch;

import dev.anyloop.bgp.Announcer;
import dev.anyloop.bgp.BirdNames;
import dev.anyloop.net.Family;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The BGP server side (issue 12, item 5): an instance is in service while the server announces it, that is while
 * BIRD's {@code announce.SERVICE.FAMILY} static protocol is up; withdrawing disables that protocol and restoring
 * enables it ({@link Announcer}, through birdc: no BIRD restart, the sessions stay up, so the routers only see an
 * UPDATE withdrawing the prefixes and fail over to the next server at BGP's speed).
 *
 * <p>One protocol carries every address of its service and family: an instance that goes down withdraws its
 * siblings of the same family with it (a client of any of them would reach the failing daemon), and the
 * announcement comes back only when every one of them is wanted in again; until then a restored sibling is held
 * out with the others and reads as in service. The decisions are pure; the {@link Announcer} does the I/O.
 *
 * <p>Drains are a router's ({@code anyloop drain}); a server has none. An announce protocol that BIRD does not have
 * (it runs a bird.conf older than network.yaml) is a fault: the instance is left as it is and an alarm is raised.
 */
public final class AnnounceActuator implements Actuator {
    /** One BIRD protocol: a service's announcement of one family. */
    private record Key(String service, Family family) {
        static Key of(Instance i) { return new Key(i.service(), i.address().family()); }

        String protocol() { return BirdNames.announce(service, family); }
    }

    private final WatchPlan plan;
    private final Announcer announcer;
    /** What watch last asked for each instance: true in, false out; absent until it asked. */
    private final Map<Instance, Boolean> wanted = new HashMap<>();
    /** The instances in service at the last read. */
    private Set<Instance> lastInstalled = Set.of();

    public AnnounceActuator(WatchPlan plan, Announcer announcer) {
        this.plan = plan;
        this.announcer = announcer;
    }

    @Override
    public String describe() { return "BGP announcements of " + plan.router() + " (" + announcer.describe() + ")"; }

    @Override
    public boolean holdsEveryCarrier() { return false; }

    @Override
    public Live read() { return live(announcer.announcements()); }

    /** The live state from BIRD's announce protocols (pure: tests feed it what birdc would say). */
    Live live(Map<String, Map<Family, Boolean>> protocols) {
        List<Instance> installed = new ArrayList<>();
        Map<Instance, String> faults = new LinkedHashMap<>();
        for (WatchPlan.Item item : plan.items()) {
            Instance i = item.instance();
            Key k = Key.of(i);
            Boolean up = protocols.getOrDefault(k.service(), Map.of()).get(k.family());
            if (up == null) {
                faults.put(i, announcer.describe() + " has no protocol " + k.protocol() + ": it runs a bird.conf that does not "
                        + "announce this service (render it again from this network.yaml, then birdc configure)");
            } else if (up || heldOut(i)) {
                installed.add(i);
            }
        }
        lastInstalled = Set.copyOf(installed);
        return new Live(lastInstalled, Set.of(), faults);
    }

    /** Wanted in, but its announcement is down because a sibling of the same family is wanted out. */
    private boolean heldOut(Instance i) {
        return Boolean.TRUE.equals(wanted.get(i)) && siblings(i).stream().anyMatch(j -> Boolean.FALSE.equals(wanted.get(j)));
    }

    /** The other checked instances announced by the same protocol. */
    private List<Instance> siblings(Instance i) {
        Key k = Key.of(i);
        return plan.checked().stream().map(WatchPlan.Item::instance).filter(j -> !j.equals(i) && Key.of(j).equals(k)).toList();
    }

    @Override
    public Map<Change, String> apply(List<Change> changes) {
        Map<Key, List<Change>> byProtocol = new LinkedHashMap<>();
        for (Change c : changes) {
            wanted.put(c.instance(), c.kind() == Change.Kind.RESTORE);
            if (c.kind() == Change.Kind.WITHDRAW) {
                // the siblings it takes out with it were in service: they are held out now, wanted in
                for (Instance j : siblings(c.instance())) if (lastInstalled.contains(j)) wanted.putIfAbsent(j, true);
            }
            byProtocol.computeIfAbsent(Key.of(c.instance()), k -> new ArrayList<>()).add(c);
        }
        // one switch per protocol, restores before withdrawals (make before break, as the caller sorted them)
        List<Map.Entry<Key, Boolean>> switches = new ArrayList<>();
        for (Key k : byProtocol.keySet()) {
            Boolean on = target(k, byProtocol.get(k));
            if (on != null) switches.add(Map.entry(k, on));
        }
        switches.sort((a, b) -> Boolean.compare(b.getValue(), a.getValue()));
        Map<Change, String> failed = new HashMap<>();
        for (Map.Entry<Key, Boolean> s : switches) {
            Key k = s.getKey();
            String error;
            try {
                boolean found = s.getValue() ? announcer.restore(k.service(), k.family()) : announcer.withdraw(k.service(), k.family());
                error = found ? null : announcer.describe() + " has no protocol " + k.protocol();
            } catch (RuntimeException e) {
                error = String.valueOf(e.getMessage());
            }
            if (error != null) for (Change c : byProtocol.get(k)) failed.put(c, error);
        }
        return failed;
    }

    /**
     * What protocol {@code k} must become after {@code changes}: off when one of them withdraws, on when every checked
     * instance it carries is wanted in, else null (a restore held out by a sibling that is still out: nothing to do).
     */
    Boolean target(Key k, List<Change> changes) {
        if (changes.stream().anyMatch(c -> c.kind() == Change.Kind.WITHDRAW)) return false;
        boolean all = plan.checked().stream().map(WatchPlan.Item::instance).filter(j -> Key.of(j).equals(k))
                .allMatch(j -> Boolean.TRUE.equals(wanted.get(j)));
        return all ? true : null;
    }
}
