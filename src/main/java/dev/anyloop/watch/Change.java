package dev.anyloop.watch;

/** What watch asks its {@link Actuator} to do to one instance: take it out of service, or put it back. */
public record Change(Kind kind, Instance instance, String reason) {
    /** Out (the route is deleted, the announcement withdrawn) or back in. */
    public enum Kind {
        WITHDRAW, RESTORE;

        public String word() { return this == WITHDRAW ? "withdraw" : "restore"; }
    }

    @Override
    public String toString() { return kind.word() + " " + instance + ": " + reason; }
}
