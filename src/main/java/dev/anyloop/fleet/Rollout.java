package dev.anyloop.fleet;

import dev.anyloop.apply.Ownership;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order fleet apply changes hosts in, make before break, as a pure plan: each host goes from its live state
 * to its desired one in up to three steps, one per wave, and every host of a wave is changed at once.
 * <ol>
 * <li>{@link Wave#MAKE}: new service addresses on lo, new chains and their jumps, new routes and rules, sysctls;
 *     nothing that exists changes or goes, so nobody routes anywhere new yet;</li>
 * <li>{@link Wave#MOVE}: routes, rules, source addresses and changed chains as desired: traffic moves to where the
 *     addresses already are; addresses and chains that go away are still there;</li>
 * <li>{@link Wave#BREAK}: what nobody routes to any more goes (old addresses on lo, old chains).</li>
 * </ol>
 * A host with nothing to do in a wave has no step in it. {@link RolloutProof} checks with the simulator that no
 * client of a service that stays loses it in any state the waves pass through.
 */
public final class Rollout {
    private Rollout() { }

    /** The three waves, in order. */
    public enum Wave {
        MAKE("make: addresses, new chains and routes"), MOVE("move: routes and rules switch"), BREAK("break: what is left unused goes");

        private final String what;

        Wave(String what) { this.what = what; }

        public String what() { return what; }

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** One host as read and as it is to be; {@code ownedLo} are the lo addresses its state file says anyloop added. */
    public record HostInput(DeviceState live, Set<Address> ownedLo, DeviceState desired) {
        public HostInput {
            ownedLo = Set.copyOf(ownedLo.stream().map(Ownership::key).toList());
        }

        boolean owns(Address a) { return ownedLo.contains(Ownership.key(a)); }
    }

    /**
     * One host's step: {@code target} is what apply converges it to (the desired host with this step's owned part),
     * {@code simulated} what the host holds afterwards (its live state with that part), for the proof.
     */
    public record Step(Wave wave, String host, DeviceState target, DeviceState simulated, Set<Ip> addressesChanged) { }

    /** The steps by wave, and per host how many it takes. */
    public record Plan(Map<Wave, List<Step>> waves) {
        public Plan {
            Map<Wave, List<Step>> m = new EnumMap<>(Wave.class);
            for (Wave w : Wave.values()) m.put(w, List.copyOf(waves.getOrDefault(w, List.of())));
            waves = java.util.Collections.unmodifiableMap(m);
        }

        public List<Step> steps() {
            List<Step> out = new ArrayList<>();
            for (Wave w : Wave.values()) out.addAll(waves.get(w));
            return out;
        }

        public boolean isEmpty() { return steps().isEmpty(); }

        /** Hosts that change at all, in network order. */
        public List<String> hosts() { return steps().stream().map(Step::host).distinct().toList(); }
    }

    /** The plan for {@code hosts} (in the order given). */
    public static Plan plan(Map<String, HostInput> hosts) {
        Map<Wave, List<Step>> waves = new LinkedHashMap<>();
        for (Map.Entry<String, HostInput> e : hosts.entrySet()) {
            HostInput in = e.getValue();
            OwnedParts live = OwnedParts.of(in.live(), in::owns);
            OwnedParts desired = OwnedParts.of(in.desired(), a -> true);
            OwnedParts make = OwnedParts.make(live, desired);
            OwnedParts moved = OwnedParts.moved(live, desired);
            OwnedParts previous = live;
            boolean sysctls = !sysctlsHeld(in.live(), in.desired());
            for (Wave w : Wave.values()) {
                OwnedParts now = w == Wave.MAKE ? make : w == Wave.MOVE ? moved : desired;
                // sysctls go with a host's first step; a host whose only change is a sysctl still gets that step
                if (now.sameAs(previous) && !(previous == live && sysctls && w == Wave.MAKE)) continue;
                DeviceState target = now.onto(in.desired(), a -> true);
                DeviceState sim = withSysctls(now.onto(in.live(), in::owns), in.desired());
                waves.computeIfAbsent(w, x -> new ArrayList<>()).add(new Step(w, e.getKey(), target, sim, now.addressesChangedFrom(previous)));
                previous = now;
            }
        }
        return new Plan(waves);
    }

    /** True when {@code live} already has every sysctl {@code desired} sets, with its value. */
    private static boolean sysctlsHeld(DeviceState live, DeviceState desired) {
        for (Map.Entry<String, String> s : desired.sysctls().values().entrySet()) {
            if (!live.sysctls().get(s.getKey()).map(String::strip).equals(java.util.Optional.of(s.getValue().strip()))) return false;
        }
        return true;
    }

    /**
     * {@code d} with {@code desired}'s sysctls written over its own as the kernel writes them (apply sets them in a
     * host's first step; ip_forward=1 turns forwarding on for every device too) and its
     * services listening: the plan assumes every service of network.yaml runs where it says (anyloop does not start
     * them); fleet apply checks that they do, on the live hosts, before it moves any route to them.
     */
    static DeviceState withSysctls(DeviceState d, DeviceState desired) {
        List<dev.anyloop.state.Listener> listeners = new ArrayList<>(d.listeners());
        for (dev.anyloop.state.Listener l : desired.listeners()) if (!listeners.contains(l)) listeners.add(l);
        return new DeviceState(d.host(), d.links(), d.addresses(), d.routes(), d.rules(), d.sysctls().written(desired.sysctls().values()), d.ipv4(), d.ipv6(), listeners);
    }

    /** {@code n} with every host of {@code states} replaced. */
    static Network with(Network n, Map<String, DeviceState> states) {
        Map<String, DeviceState> hosts = new LinkedHashMap<>(n.hosts());
        hosts.putAll(states);
        return new Network(hosts, n.segments());
    }
}
