package dev.anyloop.bgp;

import dev.anyloop.bgp.BgpPath.Learned;
import dev.anyloop.net.Ip;
import java.util.Comparator;

/**
 * BIRD 2's choice between two routes to one prefix, in the order of its {@code rte_better()} and
 * {@code bgp_rte_better()} (proto/bgp/attrs.c): protocol preference (static 200 over BGP 100), local preference,
 * AS path length, origin, MED, eBGP over iBGP, IGP metric, the peer's router id, cluster list length, the peer's
 * address. {@code bgp_rte_mergable()} decides which non-best routes join the best one under {@code merge paths}:
 * equal down to the IGP metric. anyloop renders {@code med metric on} on routers, so MED is compared between
 * routes from different neighbouring ASes too; direct sessions have IGP metric 0 and no route reflection, so those
 * two steps never decide and are left out.
 */
public final class Decision {
    /** BIRD's default protocol preferences: a static route (the host's own announcement) beats a BGP one. */
    static final int PREFERENCE_STATIC = 200;
    static final int PREFERENCE_BGP = 100;

    /** The step of the decision process that told two routes apart. */
    public enum Criterion {
        PREFERENCE("protocol preference (own announcement 200 over BGP 100)"),
        LOCAL_PREF("higher local preference"),
        AS_PATH("shorter AS path"),
        ORIGIN("lower origin"),
        MED("lower MED"),
        EBGP("eBGP over iBGP"),
        ROUTER_ID("lower peer router id"),
        PEER_ADDRESS("lower peer address"),
        EQUAL("equal");

        private final String text;

        Criterion(String text) { this.text = text; }

        public String text() { return text; }
    }

    /** The result of one comparison: which route is better ({@code sign} -1: the first, 1: the second, 0: equal) and why. */
    public record Outcome(int sign, Criterion criterion) { }

    private final long localAsn;
    private final boolean medMetric;

    /** The decision of a speaker in AS {@code localAsn}; {@code medMetric} as BIRD's {@code med metric} switch. */
    public Decision(long localAsn, boolean medMetric) {
        this.localAsn = localAsn;
        this.medMetric = medMetric;
    }

    /** Best first, as {@link #compare}. */
    public Comparator<BgpPath> order() { return (x, y) -> compare(x, y).sign(); }

    public Outcome compare(BgpPath a, BgpPath b) {
        int c = Integer.compare(preference(b), preference(a));
        if (c != 0) return new Outcome(c, Criterion.PREFERENCE);
        c = Long.compare(b.localPref(), a.localPref());
        if (c != 0) return new Outcome(c, Criterion.LOCAL_PREF);
        c = Integer.compare(a.asPath().size(), b.asPath().size());
        if (c != 0) return new Outcome(c, Criterion.AS_PATH);
        c = Integer.signum(a.origin().compareTo(b.origin()));
        if (c != 0) return new Outcome(c, Criterion.ORIGIN);
        if (medCompared(a, b)) {
            c = Long.compare(med(a), med(b));
            if (c != 0) return new Outcome(c, Criterion.MED);
        }
        c = Boolean.compare(ibgp(a), ibgp(b));
        if (c != 0) return new Outcome(c, Criterion.EBGP);
        c = Long.compare(unsigned(routerId(a)), unsigned(routerId(b)));
        if (c != 0) return new Outcome(c, Criterion.ROUTER_ID);
        c = Integer.signum(address(a).compareTo(address(b)));
        return new Outcome(c, c != 0 ? Criterion.PEER_ADDRESS : Criterion.EQUAL);
    }

    /** True when {@code other} joins {@code best} in an ECMP route: both BGP, equal down to eBGP/iBGP. */
    public boolean mergable(BgpPath best, BgpPath other) {
        if (best.originated() || other.originated()) return false;
        return best.localPref() == other.localPref() && best.asPath().size() == other.asPath().size()
                && best.origin() == other.origin() && (!medCompared(best, other) || med(best) == med(other))
                && ibgp(best) == ibgp(other);
    }

    private boolean medCompared(BgpPath a, BgpPath b) {
        return medMetric || neighbour(a) == neighbour(b);
    }

    /** {@code bgp_get_neighbor()}: the first AS of the path, or our own AS for a path from inside it. */
    private long neighbour(BgpPath p) { return p.neighbourAs().orElse(localAsn); }

    private static int preference(BgpPath p) { return p.originated() ? PREFERENCE_STATIC : PREFERENCE_BGP; }

    private static long med(BgpPath p) { return p.med().orElse(BgpPath.DEFAULT_MED); }

    private static boolean ibgp(BgpPath p) { return learned(p).ibgp(); }

    private static Ip routerId(BgpPath p) { return learned(p).peerRouterId(); }

    private static Ip address(BgpPath p) { return learned(p).peerAddress(); }

    private static long unsigned(Ip v4) { return v4.lo(); }

    /** Only learned routes get this far: two own announcements of one prefix do not exist (one service per address). */
    private static Learned learned(BgpPath p) {
        return p.source().learned().orElseThrow(() -> new IllegalStateException("two own announcements of one prefix"));
    }
}
