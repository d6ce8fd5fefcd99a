package dev.anyloop.state;

import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import java.util.Optional;

/** What a matching netfilter rule does. */
public sealed interface Target {
    /** Accept: leave this chain and its table's hook with a verdict of accept. */
    record Accept() implements Target { }

    /** Drop silently. */
    record Drop() implements Target { }

    /** Drop and answer with an ICMP error or TCP reset, {@code --reject-with WITH}. */
    record Reject(String with) implements Target { }

    /** Return to the calling chain (or the policy, in a built-in chain). */
    record Return() implements Target { }

    /** {@code -j CHAIN}: evaluate a user chain, then continue here unless it decided. */
    record Jump(String chain) implements Target { }

    /** {@code -g CHAIN}: evaluate a user chain; its RETURN goes back to our caller. */
    record Goto(String chain) implements Target { }

    /** Log and continue. */
    record Log(String prefix) implements Target { }

    /** Destination NAT to an address and optionally a port range. */
    record Dnat(Ip to, Optional<PortRange> port) implements Target { }

    /** Source NAT to an address and optionally a port range. */
    record Snat(Ip to, Optional<PortRange> port) implements Target { }

    /** Source NAT to the egress interface's address. */
    record Masquerade() implements Target { }

    /** DNAT to the incoming interface's primary address (or 127.0.0.1 for locally generated), optionally a port. */
    record Redirect(Optional<PortRange> port) implements Target { }

    /** A rule with no target only counts packets; evaluation goes on. */
    record None() implements Target { }

    /** A target anyloop cannot evaluate, kept as its text. */
    record Unsupported(String text) implements Target { }

    /** ACCEPT or DROP as a chain policy word. */
    static Target policy(String word) {
        switch (word) {
            case "ACCEPT": return new Accept();
            case "DROP": return new Drop();
            default: throw new IllegalArgumentException("Invalid chain policy '" + word + "': expected ACCEPT or DROP");
        }
    }
}
