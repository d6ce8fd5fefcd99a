package dev.anyloop.watch;

import java.util.List;

/**
 * What watch changes when an instance's health changes: on a router, the instance's route (through the apply
 * engine); on a BGP server, its announcement (through birdc). The {@link Supervisor} decides, the actuator carries
 * it out, so health checking, damping and the safety rules are the same whatever is changed.
 */
public interface Actuator {
    /** For messages: "routes on router (netns al-x-router)". */
    String describe();

    /** The live state of every instance this actuator knows. */
    Live read();

    /**
     * Carries out {@code changes} in order, restores before withdrawals (the caller sorts them so), and returns
     * the ones that failed with the reason; an empty map means all were made.
     */
    java.util.Map<Change, String> apply(List<Change> changes);

    /**
     * Whether the instances of a service address this actuator holds are all the carriers the network has of it, as
     * a router's routes are: watch then never withdraws the last one ("Never the last route"). A BGP server's
     * announcement is one of several the routers choose among, and its check is local: false (docs/watch.md,
     * "BGP servers").
     */
    default boolean holdsEveryCarrier() { return true; }
}
