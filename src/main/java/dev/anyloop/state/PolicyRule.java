package dev.anyloop.state;

import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import java.util.Optional;

/**
 * An {@code ip rule}: selectors, then an action (look up {@code table}, or refuse). {@code fwmask} is the
 * mask applied to the packet's mark before comparing it with {@code fwmark} (0xffffffff when none is given).
 * {@code proto} says who installed it ({@code ip rule ... protocol P}, kernel 4.17+): "unspec" when nobody
 * said, {@link Route#PROTO_ANYLOOP} for anyloop's own rules, so apply finds them again and touches no other.
 * It does not change which packets the rule takes. {@code suppressPrefixlen} is {@code suppress_prefixlength N}
 * (-1 when absent): a route this rule's table answers with a prefix of N bits or fewer is ignored and the next rule
 * is tried (fib4_rule_suppress), as wg-quick's "lookup main suppress_prefixlength 0" skips main's default route.
 */
public record PolicyRule(Family family, int priority, boolean not, Optional<Prefix> from, Optional<Prefix> to,
                         Optional<String> iif, Optional<String> oif, Optional<Long> fwmark, Action action, int table,
                         long fwmask, String proto, int suppressPrefixlen) {
    /** The mask {@code ip rule} uses when none is given: every bit of the mark counts. */
    public static final long FULL_MASK = 0xffffffffL;
    /** RTPROT_UNSPEC: what a rule added without {@code protocol} carries; ip prints no protocol for it. */
    public static final String PROTO_UNSPEC = "unspec";

    /** anyloop's protocol has one spelling, as for routes ({@link Route#canonicalProto}): ip prints 77 by its name once rt_protos.d names it. */
    public PolicyRule {
        proto = Route.canonicalProto(proto);
        if (suppressPrefixlen < -1 || suppressPrefixlen > family.bits()) {
            throw new IllegalArgumentException("suppress_prefixlength " + suppressPrefixlen + " is not 0-" + family.bits());
        }
    }

    /** A rule without suppress_prefixlength. */
    public PolicyRule(Family family, int priority, boolean not, Optional<Prefix> from, Optional<Prefix> to,
                      Optional<String> iif, Optional<String> oif, Optional<Long> fwmark, Action action, int table, long fwmask, String proto) {
        this(family, priority, not, from, to, iif, oif, fwmark, action, table, fwmask, proto, -1);
    }

    /** The same rule with {@code suppress_prefixlength n} (-1: none). */
    public PolicyRule withSuppressPrefixlen(int n) {
        return new PolicyRule(family, priority, not, from, to, iif, oif, fwmark, action, table, fwmask, proto, n);
    }

    /** A rule whose fwmark (if any) compares every bit of the mark, installed without a protocol. */
    public PolicyRule(Family family, int priority, boolean not, Optional<Prefix> from, Optional<Prefix> to,
                      Optional<String> iif, Optional<String> oif, Optional<Long> fwmark, Action action, int table) {
        this(family, priority, not, from, to, iif, oif, fwmark, action, table, FULL_MASK);
    }

    /** A rule installed without a protocol. */
    public PolicyRule(Family family, int priority, boolean not, Optional<Prefix> from, Optional<Prefix> to,
                      Optional<String> iif, Optional<String> oif, Optional<Long> fwmark, Action action, int table, long fwmask) {
        this(family, priority, not, from, to, iif, oif, fwmark, action, table, fwmask, PROTO_UNSPEC);
    }

    /** The same rule marked as installed by {@code proto}. */
    public PolicyRule withProto(String p) {
        return new PolicyRule(family, priority, not, from, to, iif, oif, fwmark, action, table, fwmask, p, suppressPrefixlen);
    }

    public boolean ownedByAnyloop() { return Route.PROTO_ANYLOOP.equals(proto); }

    /** True when a packet carrying {@code mark} passes the fwmark selector (kernel: (mark ^ fwmark) & fwmask == 0). */
    public boolean markMatches(long mark) {
        return fwmark.map(m -> ((mark ^ m) & fwmask) == 0).orElse(true);
    }
    /** What a matching rule does. */
    public enum Action { LOOKUP, BLACKHOLE, UNREACHABLE, PROHIBIT }

    /** The three rules every Linux host starts with: local (0), main (32766), default (32767). */
    public static java.util.List<PolicyRule> defaults(Family f) {
        return java.util.List.of(lookup(f, 0, Route.TABLE_LOCAL), lookup(f, 32766, Route.TABLE_MAIN),
                lookup(f, 32767, Route.TABLE_DEFAULT));
    }

    public static PolicyRule lookup(Family f, int priority, int table) {
        return new PolicyRule(f, priority, false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Action.LOOKUP, table);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(priority).append(":");
        if (not) sb.append(" not");
        sb.append(" from ").append(from.map(Prefix::toString).orElse("all"));
        to.ifPresent(t -> sb.append(" to ").append(t));
        iif.ifPresent(i -> sb.append(" iif ").append(i));
        oif.ifPresent(o -> sb.append(" oif ").append(o));
        fwmark.ifPresent(m -> sb.append(" fwmark 0x").append(Long.toHexString(m))
                .append(fwmask == FULL_MASK ? "" : "/0x" + Long.toHexString(fwmask)));
        if (action == Action.LOOKUP) sb.append(" lookup ").append(Route.tableName(table));
        else sb.append(' ').append(action.name().toLowerCase(java.util.Locale.ROOT));
        if (suppressPrefixlen >= 0) sb.append(" suppress_prefixlength ").append(suppressPrefixlen);
        if (!proto.equals(PROTO_UNSPEC)) sb.append(" proto ").append(proto);
        return sb.toString();
    }
}
