package dev.anyloop.fleet;

import dev.anyloop.net.Ip;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.sim.Step;
import dev.anyloop.sim.Trace;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Proves a {@link Rollout.Plan} with the simulator: every query reachable before and after the rollout (a
 * client of a service that stays) is reachable in every state the rollout can pass through. The hosts of a wave
 * change at the same time, in any order, so within a wave every combination of changed and unchanged hosts
 * counts; the proof visits only the combinations a query can tell apart. A round trip reads only the hosts it
 * passes (both ways) and the hosts that answer ARP for its next hops; a host of the wave that is neither, and
 * whose step adds or removes none of those addresses, cannot change the verdict whichever way it is. So from a
 * state, only the wave's hosts on the trace are tried both ways, recursively: exact, and small (a path crosses
 * a few hosts).
 */
public record RolloutProof(List<Violation> violations, int states, int roundTrips, int queries) {
    /** The most violations kept per wave: one proves the plan unsafe, a few show the pattern. */
    private static final int KEEP = 20;
    /** A path through more changing hosts than this would take 2^N states; the plan is refused as unprovable. */
    private static final int MAX_BRANCH = 12;

    /** A query that is cut off while the hosts {@code changed} of {@code wave} have had their step and the others not. */
    public record Violation(Rollout.Wave wave, Set<String> changed, Query query, RoundTrip during) {
        public String line() {
            return "wave " + wave.word() + (changed.isEmpty() ? " (before any host of it)" : " with " + String.join(", ", changed)
                    + " changed and the other hosts of the wave not yet") + ": " + query + " is " + Preview.word(during);
        }
    }

    public RolloutProof {
        violations = List.copyOf(violations);
    }

    public boolean safe() { return violations.isEmpty(); }

    /** Checks {@code plan} on {@code live} (every host as read; hosts anyloop cannot reach as planned) for {@code staying}. */
    public static RolloutProof check(Network live, Rollout.Plan plan, List<Query> staying) {
        Network base = live;
        Simulator baseSim = Simulator.of(base);
        List<Violation> violations = new ArrayList<>();
        int[] counts = new int[2];
        for (Rollout.Wave w : Rollout.Wave.values()) {
            List<Rollout.Step> steps = plan.waves().get(w);
            if (steps.isEmpty()) continue;
            Map<String, Rollout.Step> wave = new LinkedHashMap<>();
            for (Rollout.Step s : steps) wave.put(s.host(), s);
            Wave state = new Wave(w, base, baseSim, wave);
            int kept = 0;
            for (Query q : staying) {
                List<Violation> found = new ArrayList<>();
                state.explore(q, new TreeSet<>(), new TreeSet<>(), new HashSet<>(), found);
                for (Violation v : found) if (kept++ < KEEP) violations.add(v);
            }
            counts[0] += state.sims.size();
            counts[1] += state.roundTrips;
            Map<String, DeviceState> after = new LinkedHashMap<>();
            for (Rollout.Step s : steps) after.put(s.host(), s.simulated());
            base = Rollout.with(base, after);
            baseSim = state.sim(new TreeSet<>(wave.keySet()));
        }
        return new RolloutProof(violations, counts[0], counts[1], staying.size());
    }

    /** One wave: the state it starts from, its steps, and the simulators of the combinations visited. */
    private static final class Wave {
        final Rollout.Wave wave;
        final Network base;
        final Map<String, Rollout.Step> steps;
        final Map<Set<String>, Simulator> sims = new HashMap<>();
        int roundTrips;

        Wave(Rollout.Wave wave, Network base, Simulator baseSim, Map<String, Rollout.Step> steps) {
            this.wave = wave;
            this.base = base;
            this.steps = steps;
            sims.put(Set.of(), baseSim);
        }

        Simulator sim(Set<String> changed) {
            Set<String> key = Set.copyOf(changed);
            Simulator s = sims.get(key);
            if (s != null) return s;
            Map<String, DeviceState> states = new LinkedHashMap<>();
            for (String h : changed) states.put(h, steps.get(h).simulated());
            // shares the compiled hosts that did not change with the wave's starting state
            s = sims.get(Set.of()).derive(Rollout.with(base, states));
            sims.put(key, s);
            return s;
        }

        void explore(Query q, TreeSet<String> in, TreeSet<String> out, Set<Set<String>> seen, List<Violation> found) {
            if (!seen.add(Set.copyOf(in))) return;
            RoundTrip rt = sim(in).roundTrip(q.flow());
            roundTrips++;
            if (!rt.reachable()) {
                found.add(new Violation(wave, Set.copyOf(in), q, rt));
                return;
            }
            List<String> open = new ArrayList<>();
            for (String h : relevant(rt, q)) if (!in.contains(h) && !out.contains(h)) open.add(h);
            if (open.isEmpty()) return;
            if (open.size() > MAX_BRANCH) {
                throw new IllegalStateException(q + " crosses " + open.size() + " hosts that change in wave " + wave.word()
                        + ": too many combinations to prove");
            }
            for (int mask = 1; mask < (1 << open.size()); mask++) {
                TreeSet<String> in2 = new TreeSet<>(in);
                TreeSet<String> out2 = new TreeSet<>(out);
                for (int i = 0; i < open.size(); i++) {
                    if ((mask & (1 << i)) != 0) in2.add(open.get(i));
                    else out2.add(open.get(i));
                }
                explore(q, in2, out2, seen, found);
            }
        }

        /** The wave's hosts this round trip depends on: those it passes, and those whose step changes an address it uses as next hop or destination. */
        Set<String> relevant(RoundTrip rt, Query q) {
            Set<String> hosts = new TreeSet<>();
            Set<Ip> used = new HashSet<>();
            used.add(q.address());
            collect(rt.forward(), hosts, used);
            rt.reply().ifPresent(t -> collect(t, hosts, used));
            Set<String> out = new TreeSet<>();
            for (String h : hosts) if (steps.containsKey(h)) out.add(h);
            for (Rollout.Step s : steps.values()) {
                for (Ip ip : s.addressesChanged()) {
                    if (used.contains(ip)) out.add(s.host());
                }
            }
            return out;
        }

        private static void collect(Trace t, Set<String> hosts, Set<Ip> used) {
            for (Step s : t.steps()) {
                hosts.add(s.host());
                if (s instanceof Step.Sent) {
                    used.add(((Step.Sent) s).nexthop());
                    hosts.add(((Step.Sent) s).toHost());
                } else if (s instanceof Step.RouteLookup) {
                    ((Step.RouteLookup) s).route().ifPresent(r -> {
                        for (NextHop h : r.nexthops()) h.via().ifPresent(used::add);
                    });
                }
            }
        }
    }
}
