package dev.anyloop.bgp;

import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.BgpDef.Announce;
import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.intent.BgpDef.Speaker;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes what every BGP speaker holds once BGP has converged on {@code network} as it is: speakers whose host
 * is missing (down) take no part, and a session is up only when both of its interfaces are. Prefixes do not
 * influence each other in BGP (no aggregation here), so prefixes with the same announcements share one solution.
 */
public final class Convergence {
    /** At most this many threads solve one family's groups at once. */
    static final int MAX_THREADS = 4;

    private Convergence() { }

    /** Every router's choices, with the {@code withdrawn} announcements not made. */
    public static Rib solve(Intent intent, Network network, Set<Bgp.Announcement> withdrawn) {
        BgpDef bgp = intent.bgp();
        if (!bgp.enabled()) return Rib.empty();
        List<Rib.Group> groups = new ArrayList<>();
        List<List<NextHop>[]> solved = new ArrayList<>();
        List<Speaker> present = bgp.speakers().values().stream().filter(s -> network.hosts().containsKey(s.host())).toList();
        for (Family f : Family.values()) {
            List<Session> up = bgp.sessions().stream().filter(s -> s.family() == f && up(network, s)).toList();
            Solver solver = new Solver(present, up);
            Map<List<Solver.Origin>, List<Prefix>> byOrigins = new LinkedHashMap<>();
            for (Announce a : bgp.services().values()) {
                ServiceDef s = intent.services().get(a.service());
                List<Solver.Origin> origins = origins(solver, s, a.preference(), withdrawn);
                if (origins.isEmpty()) continue;
                for (Ip x : s.addresses()) {
                    if (x.family() == f) byOrigins.computeIfAbsent(origins, k -> new ArrayList<>()).add(Prefix.host(x));
                }
            }
            List<Map.Entry<List<Solver.Origin>, List<Prefix>>> todo = new ArrayList<>(byOrigins.entrySet());
            // groups are independent: a few threads, each with a solver of its own (a solver's arrays are its working state)
            int threads = Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS), todo.size() / 64));
            @SuppressWarnings("unchecked")
            List<NextHop>[][] results = (List<NextHop>[][]) new List[todo.size()][];
            List<Thread> workers = new ArrayList<>();
            RuntimeException[] failure = new RuntimeException[1];
            for (int t = 0; t < threads; t++) {
                int from = todo.size() * t / threads, to = todo.size() * (t + 1) / threads, me = t;
                Runnable work = () -> {
                    try {
                        Solver mine = me == 0 ? solver : new Solver(present, up);
                        for (int g = from; g < to; g++) results[g] = mine.nextHops(todo.get(g).getKey());
                    } catch (RuntimeException e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                };
                if (threads == 1) {
                    work.run();
                } else {
                    Thread th = new Thread(work, "bgp-" + f + "-" + t);
                    th.start();
                    workers.add(th);
                }
            }
            for (Thread th : workers) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failure[0] != null) throw failure[0];
            for (int g = 0; g < todo.size(); g++) {
                // any solver of the family answers a later choice() alike: the first one keeps them
                groups.add(new Rib.Group(solver, todo.get(g).getKey(), todo.get(g).getValue()));
                solved.add(results[g]);
            }
        }
        Map<String, List<NextHop>[]> hops = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Solver solver = groups.get(g).solver();
            List<NextHop>[] hs = solved.get(g);
            for (int v = 0; v < hs.length; v++) {
                if (hs[v] == null) continue;
                int groupCount = groups.size();
                @SuppressWarnings("unchecked")
                List<NextHop>[] row = hops.computeIfAbsent(solver.host(v), h -> (List<NextHop>[]) new List[groupCount]);
                row[g] = hs[v];
            }
        }
        return new Rib(groups, hops);
    }

    /** The service's hosts that are up, with the MED or prepending their place in the host order gives them. */
    private static List<Solver.Origin> origins(Solver solver, ServiceDef s, BgpDef.Preference pref, Set<Bgp.Announcement> withdrawn) {
        List<Solver.Origin> out = new ArrayList<>();
        for (int k = 0; k < s.hosts().size(); k++) {
            int i = solver.indexOf(s.hosts().get(k));
            if (i < 0 || withdrawn.contains(new Bgp.Announcement(s.hosts().get(k), s.name()))) continue;
            out.add(new Solver.Origin(i, s.name(), pref.med(k), pref.prepend(k)));
        }
        return out;
    }

    /** Both hosts are there and both interfaces are up (a link down takes its BGP session and BFD with it). */
    static boolean up(Network n, Session s) {
        return linkUp(n, s.a().host(), s.a().dev()) && linkUp(n, s.b().host(), s.b().dev());
    }

    private static boolean linkUp(Network n, String host, String dev) {
        Optional<DeviceState> d = n.host(host);
        return d.isPresent() && d.get().link(dev).map(Link::up).orElse(false);
    }
}
