package dev.anyloop.state;

import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import java.util.Optional;

/**
 * What a matching netfilter rule does. Code that acts on a target dispatches through {@link Visitor},
 * so a new variant is a compile error wherever it is not handled, never a silent default.
 */
public sealed interface Target {
    <R> R accept(Visitor<R> v);

    /** One method per variant. */
    interface Visitor<R> {
        R visit(Accept t);

        R visit(Drop t);

        R visit(Reject t);

        R visit(Return t);

        R visit(Jump t);

        R visit(Goto t);

        R visit(Log t);

        R visit(Dnat t);

        R visit(Snat t);

        R visit(Masquerade t);

        R visit(Redirect t);

        R visit(None t);

        R visit(Unsupported t);
    }

    /** Accept: leave this chain and its table's hook with a verdict of accept. */
    record Accept() implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Drop silently. */
    record Drop() implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Drop and answer with an ICMP error or TCP reset, {@code --reject-with WITH} ({@link RejectWith}; blank: the default). */
    record Reject(String with) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Return to the calling chain (or the policy, in a built-in chain). */
    record Return() implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -j CHAIN}: evaluate a user chain, then continue here unless it decided. */
    record Jump(String chain) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -g CHAIN}: evaluate a user chain; its RETURN goes back to our caller. */
    record Goto(String chain) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Log and continue. */
    record Log(String prefix) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Destination NAT to an address and optionally a port range. */
    record Dnat(Ip to, Optional<PortRange> port) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Source NAT to an address and optionally a port range. */
    record Snat(Ip to, Optional<PortRange> port) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** Source NAT to the egress interface's address. */
    record Masquerade() implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** DNAT to the incoming interface's primary address (or 127.0.0.1 for locally generated), optionally a port. */
    record Redirect(Optional<PortRange> port) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A rule with no target only counts packets; evaluation goes on. */
    record None() implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A target anyloop cannot evaluate, kept as its text. */
    record Unsupported(String text) implements Target {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** ACCEPT or DROP as a chain policy word. */
    static Target policy(String word) {
        switch (word) {
            case "ACCEPT": return new Accept();
            case "DROP": return new Drop();
            default: throw new IllegalArgumentException("Invalid chain policy '" + word + "': expected ACCEPT or DROP");
        }
    }
}
