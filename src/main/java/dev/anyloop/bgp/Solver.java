package dev.anyloop.bgp;

import dev.anyloop.bgp.BgpPath.Learned;
import dev.anyloop.bgp.BgpPath.Originated;
import dev.anyloop.intent.BgpDef.Role;
import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.intent.BgpDef.Speaker;
import dev.anyloop.net.Ip;
import dev.anyloop.state.NextHop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** One session seen from one end, with the kernel next hop of what is learned over it. */
    record Link(int peer, int reverse, Learned learned, boolean ibgp, List<NextHop> hop) {
        Link(int peer, int reverse, Learned learned, boolean ibgp) {
            this(peer, reverse, learned, ibgp, List.of(NextHop.via(learned.peerAddress(), learned.dev())));
        }
    }

    /** BIRD's default {@code merge paths} limit: at most 16 next hops in one ECMP route. */
    static final int MERGE_LIMIT = 16;

    /** One announcement: the speaker, the service, the MED its export filter sets (if any), how often it prepends its AS. */
    record Origin(int speaker, String service, OptionalLong med, int prepend) { }

    private final String[] host;
    private final long[] asn;
    private final boolean[] router;
    private final Link[][] links;
    private final Decision[] decision;
    private final Map<String, Integer> index = new HashMap<>();
    private final long edges;
    // the working state of one solve, guarded by the solver's lock (nextHops and choice are synchronized)
    private final BgpPath[][] in;
    private final BgpPath[] best;
    private final int[] bestLink;
    private final Origin[] own;
    private final Buckets queue;

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
        long e = 0;
        for (int i = 0; i < n; i++) {
            links[i] = out.get(i).toArray(new Link[0]);
            e += links[i].length;
        }
        edges = e;
        in = new BgpPath[n][];
        for (int i = 0; i < n; i++) in[i] = new BgpPath[router[i] ? links[i].length : 0]; // a server imports nothing
        best = new BgpPath[n];
        bestLink = new int[n];
        own = new Origin[n];
        queue = new Buckets(n);
    }

    int indexOf(String h) {
        Integer i = index.get(h);
        return i == null ? -1 : i;
    }

    int size() { return host.length; }

    String host(int i) { return host[i]; }

    boolean router(int i) { return router[i]; }

    /**
     * Runs to convergence; per speaker, the next hops of its kernel route (null for servers, for routers without a
     * route and where the best route is the router's own announcement): the best path's and those mergable with it,
     * ordered as BIRD's {@code nexthop_compare_node()} does (gateway address), at most {@link #MERGE_LIMIT}.
     */
    synchronized List<NextHop>[] nextHops(List<Origin> origins) {
        run(origins);
        @SuppressWarnings("unchecked")
        List<NextHop>[] out = (List<NextHop>[]) new List[host.length];
        for (int v = 0; v < host.length; v++) {
            if (!router[v] || best[v] == null || best[v].originated()) continue;
            BgpPath b = best[v];
            List<NextHop> hops = null;
            for (int l = 0; l < in[v].length; l++) {
                BgpPath p = in[v][l];
                if (p == null || (l != bestLink[v] && !decision[v].mergable(b, p))) continue;
                List<NextHop> h = links[v][l].hop();
                if (hops == null) {
                    hops = h;
                } else {
                    if (hops.size() == 1) hops = new ArrayList<>(hops);
                    if (!hops.contains(h.get(0))) hops.add(h.get(0));
                }
            }
            if (hops.size() > 1) {
                hops.sort(Comparator.comparing((NextHop h) -> h.via().orElseThrow()));
                hops = List.copyOf(hops.subList(0, Math.min(hops.size(), MERGE_LIMIT)));
            }
            out[v] = hops;
        }
        return out;
    }

    /** {@code host}'s whole choice once {@code origins} have converged, or empty when it holds no route. */
    synchronized Optional<Choice> choice(List<Origin> origins, String h) {
        Integer v = index.get(h);
        if (v == null || !router[v]) return Optional.empty();
        run(origins);
        return best[v] == null ? Optional.empty() : Optional.of(choice(v, in[v], own[v], best[v]));
    }

    /** Runs the announcements to convergence in the working arrays. */
    private void run(List<Origin> origins) {
        int n = host.length;
        // the working arrays are the solver's, reused from one set of announcements to the next (less garbage: a large
        // network solves a thousand of them); what a Choice keeps is copied out at the end
        BgpPath[][] in = this.in;
        BgpPath[] best = this.best;
        int[] bestLink = this.bestLink;
        Origin[] own = this.own;
        for (int i = 0; i < n; i++) {
            Arrays.fill(in[i], null);
            best[i] = null;
            bestLink[i] = -1;
            own[i] = null;
        }
        // Speakers whose best route changed wait in buckets by that route's AS path length and are handled shortest
        // first, as Dijkstra would: a route is mostly passed on once it can no longer be beaten by a shorter one. The
        // order changes only how fast the fixed point is reached, not which one: BGP sends the same messages either way.
        Buckets queue = this.queue;
        queue.reset();
        for (Origin o : origins) {
            own[o.speaker()] = o;
            best[o.speaker()] = ownPath(o);
            queue.push(o.speaker(), 0);
        }
        long budget = (n + 1L) * (edges + n) + 1000; // Bellman-Ford's bound: each best changes at most n times
        while (!queue.isEmpty()) {
            if (--budget < 0) {
                throw new IllegalStateException("BGP did not converge for the announcements of " + origins.get(0).service()
                        + ": the policies keep changing each other's best routes");
            }
            int u = queue.pop();
            for (int l = 0; l < links[u].length; l++) {
                Link link = links[u][l];
                int v = link.peer();
                if (!router[v]) continue; // a server imports nothing
                BgpPath sent = exported(u, l, best[u], bestLink[u], own[u], v);
                if (same(in[v][link.reverse()], sent)) continue;
                in[v][link.reverse()] = sent;
                if (reselect(v, in[v], own[v], best, bestLink)) queue.push(v, best[v] == null ? 0 : best[v].asPath().size());
            }
        }
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
        AsPath path = (AsPath) b.asPath();
        OptionalLong med = b.med();
        if (b.originated()) {
            path = AsPath.EMPTY.prepend(asn[u], o.prepend());
            med = o.med();
        }
        if (!link.ibgp()) {
            path = path.prepend(asn[u]);
            if (!b.originated()) med = OptionalLong.empty();
        }
        if (path.containsAs(asn[v])) return null; // the receiver's loop check
        long pref = link.ibgp() ? b.localPref() : BgpPath.DEFAULT_LOCAL_PREF;
        Learned learned = links[v][link.reverse()].learned();
        return new BgpPath(learned, path, med, pref, b.origin());
    }

    /**
     * Equal paths, cheaply: a learned path's source is the one {@link Learned} of its link, so the same object;
     * the AS paths are compared last.
     */
    private static boolean same(BgpPath a, BgpPath b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        return a.source() == b.source() && a.localPref() == b.localPref() && a.origin() == b.origin() && a.med().equals(b.med())
                && a.asPath().equals(b.asPath());
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
        boolean changed = !same(pick, best[v]) || pickLink != bestLink[v];
        best[v] = pick;
        bestLink[v] = pickLink;
        return changed;
    }

    /** Everything {@code v} holds, its best first among equals as the solver picked it. */
    private Choice choice(int v, BgpPath[] in, Origin own, BgpPath best) {
        int n = own != null ? 1 : 0;
        for (BgpPath p : in) if (p != null) n++;
        BgpPath[] all = new BgpPath[n];
        int k = 0;
        if (own != null) all[k++] = best;
        for (BgpPath p : in) if (p != null) all[k++] = p;
        return new Choice(best, all, decision[v]);
    }

    /** A queue of speakers by key (AS path length), lowest first; a speaker queued again moves to its new key. */
    private static final class Buckets {
        private final List<ArrayDeque<Integer>> buckets = new ArrayList<>();
        private final int[] key;
        private int low = Integer.MAX_VALUE;
        private int size;

        Buckets(int n) {
            key = new int[n];
            Arrays.fill(key, -1);
        }

        void push(int v, int k) {
            if (key[v] == k) return;
            if (key[v] < 0) size++;
            key[v] = k; // an entry left in the old bucket is skipped when popped
            while (buckets.size() <= k) buckets.add(new ArrayDeque<>());
            buckets.get(k).add(v);
            low = Math.min(low, k);
        }

        boolean isEmpty() { return size == 0; }

        /** Empty again (every entry was popped), ready for the next solve. */
        private void reset() {
            for (ArrayDeque<Integer> b : buckets) b.clear();
            Arrays.fill(key, -1);
            low = Integer.MAX_VALUE;
            size = 0;
        }

        int pop() {
            while (true) {
                ArrayDeque<Integer> b = buckets.get(low);
                while (!b.isEmpty()) {
                    int v = b.poll();
                    if (key[v] != low) continue;
                    key[v] = -1;
                    size--;
                    return v;
                }
                low++;
            }
        }
    }
}
