package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.state.Address;
import dev.anyloop.state.Target;
import java.util.List;
import java.util.Optional;

/** What a NAT target does to a packet: DNAT, REDIRECT, SNAT, MASQUERADE. */
final class Nat {
    private Nat() { }

    /** The rewritten packet, or empty with the reason the kernel drops it instead. */
    record Result(Optional<Packet> after, String why) { }

    static Result apply(Firewall.Hit hit, Packet p, HostModel h, String in, String out, Ip nh) {
        return hit.target.accept(new Target.Visitor<Result>() {
            public Result visit(Target.Dnat d) {
                int port = d.port().map(PortRange::from).orElse(p.dport());
                return new Result(Optional.of(p.withDst(d.to(), port)), "DNAT to " + d.to() + d.port().map(x -> ":" + x).orElse(""));
            }

            public Result visit(Target.Snat s) {
                int port = s.port().map(PortRange::from).orElse(p.sport());
                return new Result(Optional.of(p.withSrc(s.to(), port)), "SNAT to " + s.to() + s.port().map(x -> ":" + x).orElse(""));
            }

            public Result visit(Target.Redirect r) {
                Optional<Ip> to = redirectAddress(h, p.family(), in);
                if (to.isEmpty()) return new Result(Optional.empty(), "REDIRECT: " + in + " has no address (nf_nat_redirect drops)");
                int port = r.port().map(PortRange::from).orElse(p.dport());
                return new Result(Optional.of(p.withDst(to.get(), port)), "REDIRECT to " + to.get() + ":" + port);
            }

            public Result visit(Target.Masquerade m) {
                // the address the egress device would use as source (inet_select_addr, scope universe)
                Optional<SourceSelection.Choice> c = p.family() == Family.V4
                        ? SourceSelection.v4(h, out, nh, SourceSelection.UNIVERSE)
                        : SourceSelection.v6(h, out, p.dst());
                if (c.isEmpty()) return new Result(Optional.empty(), "MASQUERADE: no address on " + out);
                return new Result(Optional.of(p.withSrc(c.get().ip(), p.sport())), "MASQUERADE to " + c.get().ip() + " of " + out);
            }

            private Result notNat(Target t) { throw new IllegalStateException("not a NAT target: " + t); }

            public Result visit(Target.Accept t) { return notNat(t); }

            public Result visit(Target.Drop t) { return notNat(t); }

            public Result visit(Target.Reject t) { return notNat(t); }

            public Result visit(Target.Return t) { return notNat(t); }

            public Result visit(Target.Jump t) { return notNat(t); }

            public Result visit(Target.Goto t) { return notNat(t); }

            public Result visit(Target.Log t) { return notNat(t); }

            public Result visit(Target.None t) { return notNat(t); }

            public Result visit(Target.Unsupported t) { return notNat(t); }
        });
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
