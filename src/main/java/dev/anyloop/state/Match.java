package dev.anyloop.state;

import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import java.util.List;
import java.util.Set;

/**
 * One condition of a netfilter rule. Every variant is typed; anything anyloop does not model is an
 * {@link Unsupported} element so that a verdict crossing it becomes "unknown" rather than a guess.
 * Code that acts on a match dispatches through {@link Visitor}: a new variant is a compile error
 * wherever it is not handled.
 */
public sealed interface Match {
    /** {@code !} in front of the condition. */
    boolean negated();

    <R> R accept(Visitor<R> v);

    /** One method per variant. */
    interface Visitor<R> {
        R visit(Source m);

        R visit(Destination m);

        R visit(InInterface m);

        R visit(OutInterface m);

        R visit(Protocol m);

        R visit(DstPorts m);

        R visit(SrcPorts m);

        R visit(IcmpType m);

        R visit(ConnState m);

        R visit(AddrType m);

        R visit(Unsupported m);
    }

    /** {@code -s PREFIX}. */
    record Source(Prefix prefix, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -d PREFIX}. */
    record Destination(Prefix prefix, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -i NAME}; a trailing {@code +} matches any interface starting with the rest. */
    record InInterface(String name, boolean negated) implements Match {
        public boolean matches(String iface) { return Match.ifaceMatches(name, iface); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -o NAME}, same wildcard rule as {@link InInterface}. */
    record OutInterface(String name, boolean negated) implements Match {
        public boolean matches(String iface) { return Match.ifaceMatches(name, iface); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -p PROTO}: tcp, udp, icmp, ipv6-icmp, or a number. */
    record Protocol(String name, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code --dport} / {@code --dports} (multiport): any of the ranges. */
    record DstPorts(List<PortRange> ranges, boolean negated) implements Match {
        public DstPorts { ranges = List.copyOf(ranges); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code --sport} / {@code --sports} (multiport): any of the ranges. */
    record SrcPorts(List<PortRange> ranges, boolean negated) implements Match {
        public SrcPorts { ranges = List.copyOf(ranges); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code --icmp-type} / {@code --icmpv6-type}: a type and optionally a code (-1 for any). */
    record IcmpType(int type, int code, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -m conntrack --ctstate} or {@code -m state --state}: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED, DNAT, SNAT. */
    record ConnState(Set<String> states, boolean negated) implements Match {
        public ConnState { states = Set.copyOf(states); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -m addrtype --src-type/--dst-type TYPE}: LOCAL, UNICAST, BROADCAST, MULTICAST, ... */
    record AddrType(boolean source, String type, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A match anyloop cannot evaluate, kept as its text. */
    record Unsupported(String text) implements Match {
        @Override
        public boolean negated() { return false; }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    static boolean ifaceMatches(String pattern, String iface) {
        if (pattern.endsWith("+")) return iface.startsWith(pattern.substring(0, pattern.length() - 1));
        return pattern.equals(iface);
    }
}
