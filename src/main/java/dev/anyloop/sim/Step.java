package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import dev.anyloop.state.nft.NftRule;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** One decision or event on a packet's way; a {@link Trace} is a list of these and a {@link Verdict}. */
public sealed interface Step {
    /** The host where it happened. */
    String host();

    /** One readable line, without the host. */
    String text();

    /** The packet arrived on {@code dev} of {@code host}. */
    record Received(String host, String dev, Packet packet) implements Step {
        public String text() { return "received on " + dev + ": " + packet + " ttl " + packet.ttl(); }
    }

    /** A route lookup: which rule and table answered, the route chosen and every route of that prefix. */
    record RouteLookup(String host, Ip dst, Optional<Ip> src, String iif, Optional<PolicyRule> rule, String table,
                       Route.Type type, Optional<Route> route, List<Route> candidates) implements Step {
        public RouteLookup { candidates = List.copyOf(candidates); }

        public String text() {
            String where = "route to " + dst + src.map(s -> " from " + s).orElse("") + (iif.isEmpty() ? "" : " iif " + iif);
            if (route.isEmpty() && rule.isEmpty()) return where + ": no route (network unreachable)";
            if (route.isEmpty()) return where + ": ip rule " + rule.get() + " refuses (" + type.word() + ")";
            Route r = route.get();
            String s = where + ": " + rule.map(x -> "rule " + x.priority() + ", ").orElse("") + "table " + table
                    + " " + r.dst() + " metric " + Integer.toUnsignedString(r.metric()) + ": " + r;
            if (candidates.size() > 1) {
                s += " [candidates: " + candidates.stream().map(Route::toString).collect(Collectors.joining("; ")) + "]";
            }
            if (r.nexthops().size() > 1) s += " [multipath]";
            return s;
        }
    }

    /** The source address the kernel picked for locally generated traffic, and why. */
    record SourceSelected(String host, Ip address, String why) implements Step {
        public String text() { return "source " + address + " (" + why + ")"; }
    }

    /** Conntrack's view of the packet on this host. */
    record ConntrackState(String host, CtState state, String why) implements Step {
        public String text() { return "conntrack " + state + (why.isEmpty() ? "" : " (" + why + ")"); }
    }

    /** A netfilter rule matched; {@code index} is 1-based, as {@code iptables -L --line-numbers}. */
    record RuleMatched(String host, String table, String chain, int index, Rule rule) implements Step {
        public String text() { return table + " " + chain + " rule " + index + ": " + RuleText.of(rule); }
    }

    /** No rule decided: the built-in chain's policy applied. */
    record PolicyApplied(String host, String table, String chain, Target policy) implements Step {
        public String text() { return table + " " + chain + " policy " + RuleText.target(policy); }
    }

    /** NAT changed the packet (DNAT, SNAT, MASQUERADE, REDIRECT, or conntrack undoing one on a reply). */
    record NatRewrite(String host, String kind, Packet before, Packet after) implements Step {
        public String text() { return kind + ": " + before + " => " + after; }
    }

    /** The packet left {@code dev} for {@code nexthop}, answered by {@code toHost}:{@code toDev}. */
    record Sent(String host, String dev, Ip nexthop, String toHost, String toDev) implements Step {
        public String text() { return "sent out " + dev + " to " + nexthop + " (" + toHost + ":" + toDev + ")"; }
    }

    /** The packet is forwarded from {@code inDev} towards {@code outDev}, TTL already decremented. */
    record Forwarded(String host, String inDev, String outDev, int ttl) implements Step {
        public String text() { return "forward " + inDev + " -> " + outDev + " (ttl now " + ttl + ")"; }
    }

    /** The packet reached a local socket or the ICMP echo responder. */
    record Delivered(String host, String to) implements Step {
        public String text() { return "delivered to " + to; }
    }

    /** The packet was discarded, silently or with an error to the sender. */
    record Dropped(String host, String reason) implements Step {
        public String text() { return "dropped: " + reason; }
    }

    /** A REJECT rule, or the kernel, answered with an error (RST or ICMP). */
    record Rejected(String host, String reason) implements Step {
        public String text() { return "rejected: " + reason; }
    }

    /** An nftables rule matched; {@code handle} is what {@code nft -a list ruleset} shows. */
    record NftRuleMatched(String host, String table, String chain, long handle, NftRule rule) implements Step {
        public String text() { return table + " " + chain + " rule" + (handle > 0 ? " handle " + handle : "") + ": " + rule.text(); }
    }

    /** An nftables rule anyloop cannot evaluate would decide (every modelled match of it holds). */
    record UnknownNftRule(String host, String table, String chain, long handle, NftRule rule, String why) implements Step {
        public String text() {
            return "unknown: " + table + " " + chain + " rule" + (handle > 0 ? " handle " + handle : "") + " is not modelled (" + why + "): "
                    + rule.text();
        }
    }

    /** No nftables rule decided: the base chain's policy applied. */
    record NftPolicyApplied(String host, String table, String chain, boolean drop) implements Step {
        public String text() { return table + " " + chain + " policy " + (drop ? "drop" : "accept"); }
    }

    /** Something the verdict rests on that is worth saying, e.g. a rate limit a single probe passes. */
    record Note(String host, String note) implements Step {
        public String text() { return note; }
    }

    /** A rule with a match or target anyloop does not model decided the packet's fate. */
    record UnknownRule(String host, String table, String chain, int index, Rule rule) implements Step {
        public String text() {
            return "unknown: " + table + " " + chain + " rule " + index + " is not modelled: " + RuleText.of(rule);
        }
    }
}
