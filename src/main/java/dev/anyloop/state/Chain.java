package dev.anyloop.state;

import java.util.List;
import java.util.Optional;

/** A netfilter chain: built-in chains have a policy (ACCEPT or DROP), user chains have none. */
public record Chain(String name, Optional<Target> policy, List<Rule> rules) {
    public Chain {
        rules = List.copyOf(rules);
    }

    public static Chain user(String name, List<Rule> rules) { return new Chain(name, Optional.empty(), rules); }

    public static Chain builtin(String name, Target policy, List<Rule> rules) {
        return new Chain(name, Optional.of(policy), rules);
    }

    public boolean builtin() { return policy.isPresent(); }
}
