package dev.anyloop.watch;

/**
 * An instance's health with hysteresis: it goes down after {@code fall} failed checks in a row and comes back after
 * {@code rise} good ones in a row; a {@link Outcome.Kind#LOCAL} outcome changes nothing. Immutable.
 */
public record Hysteresis(boolean up, int okRun, int failRun) {
    public static Hysteresis starting(boolean up) { return new Hysteresis(up, 0, 0); }

    /** The state after {@code o}. */
    public Hysteresis next(Outcome o, int rise, int fall) {
        switch (o.kind()) {
            case OK: {
                int ok = okRun + 1;
                return new Hysteresis(up || ok >= rise, ok, 0);
            }
            case FAIL: {
                int failed = failRun + 1;
                return new Hysteresis(up && failed < fall, 0, failed);
            }
            case LOCAL:
                return this;
            default:
                throw new IllegalStateException("outcome " + o.kind());
        }
    }
}
