package dev.anyloop.check;

import dev.anyloop.sim.RoundTrip;
import java.util.Optional;

/**
 * One result of {@code anyloop check}: which technique it verifies, whether it held, a sentence saying
 * what was expected and what happened, and the simulated round trip that proves it.
 */
public record Finding(String technique, Kind kind, String message, Optional<RoundTrip> proof) {
    /** PASS and FAIL decide the exit code; NOTE is a warning that never fails the run. */
    public enum Kind { PASS, FAIL, NOTE }

    public static Finding of(String technique, boolean held, String message, RoundTrip proof) {
        return new Finding(technique, held ? Kind.PASS : Kind.FAIL, message, Optional.of(proof));
    }

    public boolean failed() { return kind == Kind.FAIL; }

    /** "FAIL T3 web: iot -> tcp 10.10.10.10:80 expected refused, but reachable". */
    public String line() { return kind + " " + technique + " " + message; }
}
