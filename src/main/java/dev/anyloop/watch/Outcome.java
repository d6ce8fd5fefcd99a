package dev.anyloop.watch;

/**
 * The result of one check of one instance. {@link Kind#LOCAL} means the check could not be made at all from this
 * side (the probe source is gone, the probe route is missing): it says nothing about the instance, so it never
 * counts as a failure.
 */
public record Outcome(Kind kind, String detail, long latencyNanos) {
    /** Answered, not answered (or answered wrongly), or not sent because the checker itself is broken. */
    public enum Kind { OK, FAIL, LOCAL }

    public static Outcome ok(String detail, long latencyNanos) { return new Outcome(Kind.OK, detail, latencyNanos); }

    public static Outcome fail(String detail, long latencyNanos) { return new Outcome(Kind.FAIL, detail, latencyNanos); }

    public static Outcome local(String detail) { return new Outcome(Kind.LOCAL, detail, 0); }

    public boolean ok() { return kind == Kind.OK; }
}
