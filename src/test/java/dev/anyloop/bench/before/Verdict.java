package dev.anyloop.bench.before;

/** How a walk ended, naming the step that decided it. */
public sealed interface Verdict {
    /** The step that decided. */
    Step step();

    /** Short name: ACCEPTED, DROPPED, ... */
    default String kind() {
        String n = getClass().getSimpleName();
        return n.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    /** "DROPPED at router: filter FORWARD rule 1: ...". */
    default String describe() { return kind() + " at " + step().host() + ": " + step().text(); }

    /** The packet reached its socket (or echo responder) and, for a round trip, the answer came back. */
    record Accepted(Step step) implements Verdict { }

    /** Silently discarded by a rule, a policy or the kernel. */
    record Dropped(Step step) implements Verdict { }

    /** Refused with an error to the sender (REJECT). */
    record Rejected(Step step) implements Verdict { }

    /** No route, or an unreachable / prohibit / blackhole route or rule. */
    record NoRoute(Step step) implements Verdict { }

    /** The next hop did not answer ARP / neighbour discovery on the egress segment. */
    record NoNeighbour(Step step) implements Verdict { }

    /** The packet needed forwarding on a host that does not forward. */
    record ForwardingDisabled(Step step) implements Verdict { }

    /** Nothing listens: TCP answers RST ({@code refused}), UDP ICMP port unreachable. */
    record NoListener(Step step, boolean refused) implements Verdict { }

    /** Reverse path filtering (rp_filter) or the kernel's martian check discarded the packet. */
    record RpFilterDrop(Step step) implements Verdict { }

    /** TTL ran out: a routing loop or a path too long. */
    record TtlExceeded(Step step) implements Verdict { }

    /** A rule anyloop cannot evaluate decided; the answer is unknown, not a guess. */
    record Unknown(Step step) implements Verdict { }
}
