package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.Address;
import java.util.List;
import java.util.Optional;

/** What a NAT target does to a packet: DNAT, REDIRECT, SNAT, MASQUERADE. */
final class Nat {
    private Nat() { }

    /** The rewritten packet, or empty with the reason the kernel drops it instead. */
    record Result(Optional<Packet> after, String why) { }

    static Result apply(NatAction a, Packet p, HostModel h, String in, String out, Ip nh) {
        switch (a.kind()) {
            case DNAT: {
                int port = port(a, p.dport());
                return new Result(Optional.of(p.withDst(a.to().orElseThrow(), port)), a.describe());
            }
            case SNAT: {
                int port = port(a, p.sport());
                return new Result(Optional.of(p.withSrc(a.to().orElseThrow(), port)), a.describe());
            }
            case REDIRECT: {
                Optional<Ip> to = redirectAddress(h, p.family(), in);
                if (to.isEmpty()) return new Result(Optional.empty(), "REDIRECT: " + in + " has no address (nf_nat_redirect drops)");
                int port = port(a, p.dport());
                return new Result(Optional.of(p.withDst(to.get(), port)), "REDIRECT to " + to.get() + ":" + port);
            }
            default: {
                // MASQUERADE: the address the egress device would use as source (inet_select_addr, scope universe)
                Optional<SourceSelection.Choice> c = p.family() == Family.V4
                        ? SourceSelection.v4(h, out, nh, SourceSelection.UNIVERSE)
                        : SourceSelection.v6(h, out, p.dst());
                if (c.isEmpty()) return new Result(Optional.empty(), "MASQUERADE: no address on " + out);
                int port = port(a, p.sport());
                return new Result(Optional.of(p.withSrc(c.get().ip(), port)), "MASQUERADE to " + c.get().ip() + " of " + out);
            }
        }
    }

    /** nf_nat_l4proto_unique_tuple: a port already in the range is kept, else the range's first. */
    private static int port(NatAction a, int current) {
        return a.port().filter(r -> !r.contains(current)).map(PortRange::from).orElse(current);
    }

    /** Locally generated: the loopback address; else the first address of the incoming device. */
    private static Optional<Ip> redirectAddress(HostModel h, Family f, String in) {
        if (in.isEmpty()) return Optional.of(f == Family.V4 ? Ip.parse("127.0.0.1") : Ip.parse("::1"));
        if (f == Family.V4) {
            List<HostModel.Addr> as = h.v4On(in);
            return as.isEmpty() ? Optional.empty() : Optional.of(as.get(0).ip());
        }
        for (Address a : h.state.addressesOn(in)) if (a.address().family() == f) return Optional.of(a.address().ip());
        return Optional.empty();
    }
}
