package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import java.util.Optional;

/**
 * A NAT a rule asks for, whichever tool wrote it: iptables' DNAT/SNAT/MASQUERADE/REDIRECT targets and nft's
 * dnat/snat/masquerade/redirect statements compile to this, and {@link Nat} applies it.
 */
record NatAction(Kind kind, Optional<Ip> to, Optional<PortRange> port) {
    /** Which address changes, and to what. */
    enum Kind { DNAT, SNAT, MASQUERADE, REDIRECT }

    /** "DNAT to 10.0.0.2:8080". */
    String describe() {
        return kind + (to.isPresent() ? " to " + to.get() : "") + port.map(p -> (to.isPresent() ? ":" : " to port ") + p.nft()).orElse("");
    }
}
