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

        R visit(InSet m);

        R visit(IpRange m);

        R visit(Owner m);

        R visit(RpFilter m);

        R visit(Mark m);

        R visit(TcpFlags m);

        R visit(Limit m);

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

    /**
     * {@code -m set [!] --match-set NAME FLAGS}: the packet's fields named by FLAGS ({@code src} or {@code dst} per
     * dimension of the set's type, "src,dst" for hash:ip,port) are a member of ipset NAME. {@code returnNomatch} is
     * {@code --return-nomatch}: a nomatch element then matches instead of being carved out.
     */
    record InSet(String set, List<String> flags, boolean returnNomatch, boolean negated) implements Match {
        public InSet {
            flags = List.copyOf(flags);
            for (String f : flags) {
                if (!f.equals("src") && !f.equals("dst")) throw new IllegalArgumentException("set flag '" + f + "' is not src or dst");
            }
            if (flags.isEmpty()) throw new IllegalArgumentException("a set match needs src or dst");
        }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -m iprange --src-range A-B} ({@code source}) or {@code --dst-range A-B}: the address lies in [from, to]. */
    record IpRange(boolean source, dev.anyloop.net.Ip from, dev.anyloop.net.Ip to, boolean negated) implements Match {
        public IpRange {
            if (from.family() != to.family()) throw new IllegalArgumentException("range " + from + "-" + to + " mixes families");
        }

        public boolean contains(dev.anyloop.net.Ip ip) { return ip.family() == from.family() && from.compareTo(ip) <= 0 && ip.compareTo(to) <= 0; }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** What {@code -m owner} compares: the socket's uid or gid (a range), or only that the packet has a socket. */
    enum OwnerKind {
        UID("--uid-owner"), GID("--gid-owner"), SOCKET_EXISTS("--socket-exists");

        private final String option;

        OwnerKind(String option) { this.option = option; }

        public String option() { return option; }
    }

    /** {@code -m owner [!] --uid-owner A[-B]} / {@code --gid-owner} / {@code --socket-exists}: the sending socket's owner. */
    record Owner(OwnerKind kind, long from, long to, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /**
     * {@code -m rpfilter [--loose] [--validmark] [--accept-local] [--invert]}: a reverse-path lookup of the source
     * finds a route back through the packet's input device (any device with {@code --loose}). {@code --invert} is the
     * module's own option, not a {@code !}.
     */
    record RpFilter(boolean loose, boolean validMark, boolean acceptLocal, boolean invert) implements Match {
        @Override
        public boolean negated() { return false; }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -m mark [!] --mark VALUE[/MASK]}: (skb->mark & mask) == value. */
    record Mark(long value, long mask, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** TCP flag bits, in iptables' order of names. */
    enum TcpFlag {
        FIN(0x01), SYN(0x02), RST(0x04), PSH(0x08), ACK(0x10), URG(0x20);

        public final int bit;

        TcpFlag(int bit) { this.bit = bit; }
    }

    /** {@code --tcp-flags MASK COMP} ({@code --syn} is FIN,SYN,RST,ACK SYN): (flags & mask) == comp. */
    record TcpFlags(int mask, int comp, boolean negated) implements Match {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code -m limit --limit RATE --limit-burst N}: a token bucket; a single probe passes while it has tokens. */
    record Limit(String text) implements Match {
        @Override
        public boolean negated() { return false; }

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
