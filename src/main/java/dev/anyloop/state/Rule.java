package dev.anyloop.state;

import java.util.List;
import java.util.Optional;

/** One netfilter rule: all of its matches must hold, then its target applies. */
public record Rule(List<Match> matches, Target target, Optional<String> comment) {
    public Rule {
        matches = List.copyOf(matches);
    }

    public static Rule of(Target target, Match... matches) {
        return new Rule(List.of(matches), target, Optional.empty());
    }

    public Rule withComment(String c) { return new Rule(matches, target, Optional.of(c)); }

    /** True when this rule holds something anyloop cannot evaluate. */
    public boolean unsupported() {
        return target instanceof Target.Unsupported || matches.stream().anyMatch(m -> m instanceof Match.Unsupported);
    }
}
