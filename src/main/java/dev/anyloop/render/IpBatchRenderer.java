package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.Locale;

/**
 * Renders a host's links, addresses, routes and policy rules as input for {@code ip -batch -}.
 *
 * <p>Addresses and routes use {@code replace}, so a second run changes nothing. {@code ip rule} has
 * no replace: running the rules twice fails with "File exists". IPv6 rules are separate
 * ({@link #renderV6Rules}) because a batch line cannot carry {@code -6}, and {@code ip rule} takes
 * its family from that option alone (a v6 {@code from} in an IPv4 batch is refused).
 */
public final class IpBatchRenderer {
    private IpBatchRenderer() { }

    /** Links, addresses, routes and IPv4 rules, for {@code ip -batch -}. */
    public static String render(DeviceState s) {
        StringBuilder sb = new StringBuilder();
        for (Link l : s.links()) {
            sb.append("link set dev ").append(Names.iface(l.name())).append(l.up() ? " up" : " down").append('\n');
        }
        for (Address a : Realised.addresses(s)) {
            // replace, not add: the same line again is a no-op instead of "File exists"
            sb.append("address replace ").append(a.address()).append(" dev ").append(Names.iface(a.dev()));
            if (a.scope() != Address.Scope.GLOBAL) sb.append(" scope ").append(a.scope().word());
            // Loopback does no DAD, yet a new IPv6 address stays tentative until the DAD worker
            // runs, and meanwhile a route naming it as src is refused ("Invalid source address").
            if (a.dev().equals("lo") && a.address().family() == Family.V6) sb.append(" nodad");
            sb.append('\n');
        }
        for (Route r : Realised.configured(s)) sb.append("route replace ").append(route(r)).append('\n');
        // T8: replacing the connected route keeps its key (table, prefix, tos, metric) and sets src
        for (Route r : Realised.srcOverrides(s)) sb.append("route replace ").append(route(r)).append('\n');
        for (PolicyRule r : Realised.rules(s, Family.V4)) sb.append("rule add ").append(rule(r)).append('\n');
        return sb.toString();
    }

    /** IPv6 policy rules, for {@code ip -6 -batch -}; empty when the host has none of its own. */
    public static String renderV6Rules(DeviceState s) {
        StringBuilder sb = new StringBuilder();
        for (PolicyRule r : Realised.rules(s, Family.V6)) sb.append("rule add ").append(rule(r)).append('\n');
        return sb.toString();
    }

    /** The arguments after {@code ip route replace}: "10.1.1.1/32 via 192.168.1.20 dev eth1 proto 77 metric 1". */
    public static String route(Route r) {
        StringBuilder sb = new StringBuilder();
        if (r.type() != Route.Type.UNICAST) sb.append(r.type().word()).append(' ');
        // "0.0.0.0/0" and "::/0" rather than "default": they carry the family on their own
        sb.append(r.dst());
        if (r.table() != Route.TABLE_MAIN) sb.append(" table ").append(Route.tableName(r.table()));
        if (r.nexthops().size() == 1) sb.append(' ').append(hop(r.nexthops().get(0)));
        // a number, never a name: in one ip -batch, rtnl_rtprot_a2n() caches the last name it looked up but a number
        // parsed after it overwrites the cached value, so "proto static" after "proto 77" became proto 77 (iproute2 6.1)
        sb.append(" proto ").append(Route.protocolNumber(r.proto()).map(String::valueOf).orElseGet(() -> Names.token("route protocol", r.proto())));
        // IPv6 routes have no scope; an IPv4 scope is written when iproute2 would not pick it itself
        if (r.family() == Family.V4 && (r.scope() != Route.Scope.GLOBAL || Realised.defaultScope(r) != Route.Scope.GLOBAL)) {
            sb.append(" scope ").append(r.scope().word());
        }
        r.src().ifPresent(ip -> sb.append(" src ").append(ip));
        if (r.metric() != 0) sb.append(" metric ").append(Integer.toUnsignedString(r.metric()));
        if (r.nexthops().size() > 1) {
            for (NextHop h : r.nexthops()) sb.append(" nexthop ").append(hop(h)).append(" weight ").append(h.weight());
        }
        return sb.toString();
    }

    private static String hop(NextHop h) {
        return h.via().map(v -> "via " + v + " ").orElse("") + "dev " + Names.iface(h.dev());
    }

    /** The arguments after {@code ip rule add}. */
    public static String rule(PolicyRule r) {
        StringBuilder sb = new StringBuilder();
        if (r.not()) sb.append("not ");
        sb.append("from ").append(r.from().map(Prefix::toString).orElse("all"));
        r.to().ifPresent(t -> sb.append(" to ").append(t));
        r.iif().ifPresent(i -> sb.append(" iif ").append(Names.iface(i)));
        r.oif().ifPresent(o -> sb.append(" oif ").append(Names.iface(o)));
        r.fwmark().ifPresent(m -> sb.append(" fwmark 0x").append(Long.toHexString(m))
                .append(r.fwmask() == PolicyRule.FULL_MASK ? "" : "/0x" + Long.toHexString(r.fwmask())));
        sb.append(" priority ").append(r.priority());
        if (r.action() == PolicyRule.Action.LOOKUP) sb.append(" lookup ").append(Route.tableName(r.table()));
        else sb.append(' ').append(r.action().name().toLowerCase(Locale.ROOT));
        if (r.suppressPrefixlen() >= 0) sb.append(" suppress_prefixlength ").append(r.suppressPrefixlen());
        if (!r.proto().equals(PolicyRule.PROTO_UNSPEC)) sb.append(" protocol ").append(Names.token("rule protocol", r.proto()));
        return sb.toString();
    }
}
