package dev.anyloop.bgp;

import dev.anyloop.bgp.BgpPath.Learned;
import dev.anyloop.bgp.BgpPath.Originated;
import dev.anyloop.intent.BgpDef.Role;
import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.intent.BgpDef.Speaker;
import dev.anyloop.net.Ip;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * BGP path vector over the sessions of one address family that are up, run to its fixed point for one set of
 * announcements. What moves between speakers is what BIRD, configured as {@code BirdRenderer} writes it,
 * sends: a speaker exports its best route only; not back over the session it came from (BIRD's
 * {@code bgp_preexport}: "reject our routes"); never from iBGP to iBGP (no route reflection); servers export
 * only their own announcements and import nothing; routers send nothing to servers. On eBGP the sender prepends
 * its AS and drops a MED its export filter did not set (only a service host's own announcement carries one);
 * the receiver refuses a path with its own AS in it and sets local preference 100. Every router sets itself as
 * next hop ({@code next hop self}).
 */
final class Solver {
    /** One session seen from one end. */
    record Link(int peer, int reverse, Learned learned, boolean ibgp) { }

    /** One announcement: the speaker, the service, the MED its export filter sets (if any), how often it prepends its AS. */
    record Origin(int speaker, String service, OptionalLong med, int prepend) { }

    private final String[] host;
    private final long[] asn;
    private final boolean[] router;
    private final Link[][] links;
    private final Decision[] decision;
    private final Map<String, Integer> index = new HashMap<>();

    /** The speakers present and the sessions up; both in a stable order so a solution is deterministic. */
    Solver(List<Speaker> speakers, List<Session> sessions) {
        int n = speakers.size();
        host = new String[n];
        asn = new long[n];
        router = new boolean[n];
        decision = new Decision[n];
        Ip[] id = new Ip[n];
        for (int i = 0; i < n; i++) {
            Speaker s = speakers.get(i);
            host[i] = s.host();
            asn[i] = s.asn();
            router[i] = s.role() == Role.ROUTER;
            id[i] = s.routerId();
            decision[i] = new Decision(s.asn(), true);
            index.put(s.host(), i);
        }
        List<List<Link>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new ArrayList<>());
        for (Session s : sessions) {
            int a = index.get(s.a().host()), b = index.get(s.b().host());
            boolean ibgp = asn[a] == asn[b];
            int ra = out.get(a).size(), rb = out.get(b).size();
            // a's link carries what a learns from b: b's address, a's device, a's protocol name for the session
            out.get(a).add(new Link(b, rb, new Learned(BirdNames.session(s, host[a]), host[b], asn[b], id[b], s.b().address(),
                    s.a().dev(), ibgp), ibgp));
            out.get(b).add(new Link(a, ra, new Learned(BirdNames.session(s, host[b]), host[a], asn[a], id[a], s.a().address(),
                    s.b().dev(), ibgp), ibgp));
        }
        links = new Link[n][];
        for (int i = 0; i < n; i++) links[i] = out.get(i).toArray(new Link[0]);
    }

    int indexOf(String h) {
        Integer i = index.get(h);
        return i == null ? -1 : i;
    }

    int size() { return host.length; }

    String host(int i) { return host[i]; }

    boolean router(int i) { return router[i]; }

    /** Runs to convergence; the choice of every router that holds a route (null for the others). */
    Choice[] solve(List<Origin> origins) {
        int n = host.length;
        BgpPath[][] in = new BgpPath[n][];
        for (int i = 0; i < n; i++) in[i] = new BgpPath[links[i].length];
        BgpPath[] best = new BgpPath[n];
        int[] bestLink = new int[n];
        Arrays.fill(bestLink, -1);
        Origin[] own = new Origin[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        boolean[] queued = new boolean[n];
        for (Origin o : origins) {
            own[o.speaker()] = o;
            best[o.speaker()] = ownPath(o);
            queue.add(o.speaker());
            queued[o.speaker()] = true;
        }
        long edges = 0;
        for (Link[] ls : links) edges += ls.length;
        long budget = (n + 1L) * (edges + n) + 1000; // Bellman-Ford's bound: each best changes at most n times
        while (!queue.isEmpty()) {
            if (--budget < 0) {
                throw new IllegalStateException("BGP did not converge for the announcements of " + origins.get(0).service()
                        + ": the policies keep changing each other's best routes");
            }
            int u = queue.poll();
            queued[u] = false;
            for (int l = 0; l < links[u].length; l++) {
                Link link = links[u][l];
                int v = link.peer();
                if (!router[v]) continue; // a server imports nothing
                BgpPath sent = exported(u, l, best[u], bestLink[u], own[u], v);
                if (Objects.equals(in[v][link.reverse()], sent)) continue;
                in[v][link.reverse()] = sent;
                if (reselect(v, in[v], own[v], best, bestLink) && !queued[v]) {
                    queue.add(v);
                    queued[v] = true;
                }
            }
        }
        Choice[] out = new Choice[n];
        for (int v = 0; v < n; v++) {
            if (router[v] && best[v] != null) out[v] = choice(v, in[v], own[v]);
        }
        return out;
    }

    private BgpPath ownPath(Origin o) {
        return new BgpPath(new Originated(host[o.speaker()], o.service()), List.of(), OptionalLong.empty(), BgpPath.DEFAULT_LOCAL_PREF,
                BgpPath.Origin.IGP);
    }

    /** What {@code u} sends over its link {@code l} to router {@code v}: its best route as changed on the way, or nothing. */
    private BgpPath exported(int u, int l, BgpPath b, int bLink, Origin o, int v) {
        if (b == null || bLink == l) return null;
        Link link = links[u][l];
        if (!router[u] && !b.originated()) return null;
        if (!b.originated() && link.ibgp() && links[u][bLink].ibgp()) return null;
        List<Long> path = b.asPath();
        OptionalLong med = b.med();
        if (b.originated()) {
            path = Collections.nCopies(o.prepend(), asn[u]);
            med = o.med();
        }
        if (!link.ibgp()) {
            List<Long> p = new ArrayList<>(path.size() + 1);
            p.add(asn[u]);
            p.addAll(path);
            path = p;
            if (!b.originated()) med = OptionalLong.empty();
        }
        if (path.contains(asn[v])) return null; // the receiver's loop check
        long pref = link.ibgp() ? b.localPref() : BgpPath.DEFAULT_LOCAL_PREF;
        Learned learned = links[v][link.reverse()].learned();
        return new BgpPath(learned, path, med, pref, b.origin());
    }

    /** Picks {@code v}'s best route again; true when it changed. */
    private boolean reselect(int v, BgpPath[] in, Origin own, BgpPath[] best, int[] bestLink) {
        if (own != null) return false; // its own announcement (preference 200) always wins
        BgpPath pick = null;
        int pickLink = -1;
        Decision d = decision[v];
        for (int l = 0; l < in.length; l++) {
            if (in[l] == null) continue;
            if (pick == null || d.compare(in[l], pick).sign() < 0) {
                pick = in[l];
                pickLink = l;
            }
        }
        boolean changed = !Objects.equals(pick, best[v]) || pickLink != bestLink[v];
        best[v] = pick;
        bestLink[v] = pickLink;
        return changed;
    }

    /** The sorted candidates, and under {@code merge paths} (limit 16, as BIRD's default) the best plus its equals. */
    private Choice choice(int v, BgpPath[] in, Origin own) {
        List<BgpPath> all = new ArrayList<>();
        if (own != null) all.add(ownPath(own));
        for (BgpPath p : in) if (p != null) all.add(p);
        Decision d = decision[v];
        all.sort(d.order());
        BgpPath best = all.get(0);
        List<BgpPath> installed = new ArrayList<>();
        if (!best.originated()) {
            for (BgpPath p : all) if (p == best || d.mergable(best, p)) installed.add(p);
        }
        return new Choice(all, installed, all.size() > 1 ? Optional.of(d.compare(all.get(0), all.get(1))) : Optional.empty());
    }
}
