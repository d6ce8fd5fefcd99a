package dev.anyloop.bgp;

import java.util.List;
import java.util.Optional;

/**
 * What one speaker holds for a prefix once BGP has converged: every route it has (best first), the ones merged
 * into its kernel route (the best, then the equal ones, under {@code merge paths}), and what made the best one
 * win over the second.
 */
public record Choice(List<BgpPath> candidates, List<BgpPath> installed, Optional<Decision.Outcome> overSecond) {
    public Choice {
        candidates = List.copyOf(candidates);
        installed = List.copyOf(installed);
    }

    public BgpPath best() { return candidates.get(0); }
}
