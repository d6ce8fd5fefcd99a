package dev.anyloop.bgp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one speaker holds for a prefix once BGP has converged: every route it has (best first), the ones merged
 * into its kernel route (the best, then the equal ones, under {@code merge paths}), and what made the best one
 * win over the second. Sorted lists are made on first use: a large network has a choice per router and prefix,
 * and most are only ever turned into a kernel route.
 */
public final class Choice {
    private final BgpPath best;
    private final BgpPath[] paths;
    private final Decision decision;
    private List<BgpPath> candidates;

    Choice(BgpPath best, BgpPath[] paths, Decision decision) {
        this.best = best;
        this.paths = paths;
        this.decision = decision;
    }

    public BgpPath best() { return best; }

    /** Every route the speaker holds, best first. */
    public synchronized List<BgpPath> candidates() {
        if (candidates == null) {
            BgpPath[] sorted = paths.clone();
            Arrays.sort(sorted, decision.order());
            candidates = List.of(sorted);
        }
        return candidates;
    }

    /** The routes merged into the kernel route: the best and those equal to it down to eBGP/iBGP; none when the best is the speaker's own. */
    public List<BgpPath> installed() {
        List<BgpPath> out = new ArrayList<>(2);
        if (best.originated()) return out;
        for (BgpPath p : candidates()) if (p == best || decision.mergable(best, p)) out.add(p);
        return out;
    }

    /** The step that put the best route ahead of the second one, if there is a second one. */
    public Optional<Decision.Outcome> overSecond() {
        return paths.length > 1 ? Optional.of(decision.compare(candidates().get(0), candidates().get(1))) : Optional.empty();
    }
}
