package dev.anyloop.check;

import dev.anyloop.sim.Flow;
import dev.anyloop.sim.Outcome;
import dev.anyloop.sim.Simulator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One planned check: the round trip it asks the simulator for, on which simulator (a failover scenario has its own),
 * and how its outcome is judged. The finding's sentence is built only when someone reads it: a 5,000-host check
 * passes a million of them.
 */
record Job(Simulator sim, Flow flow, Function<Outcome, Judged> judge) {
    /** How a job came out: PASS, FAIL or NOTE, the technique it verified, and the sentence saying what was expected and what happened. */
    record Judged(Finding.Kind kind, String technique, Supplier<String> message) {
        static Judged held(boolean held, String technique, Supplier<String> message) {
            return new Judged(held ? Finding.Kind.PASS : Finding.Kind.FAIL, technique, message);
        }
    }
}
