package dev.anyloop.intent;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code bgp:} section of network.yaml as validated and resolved: the services announced over BGP, every
 * BGP speaker with its AS number and router id (as written, or from the default plan), and every session
 * (derived from shared segments, narrowed by {@code peers:}). See docs/network-yaml.md, "BGP".
 */
public record BgpDef(Map<String, Announce> services, Map<String, Speaker> speakers, List<Session> sessions,
                     boolean bfd, int holdTime, Pos pos) {
    /** No {@code bgp:} section: every service is routed statically. */
    public static final BgpDef NONE = new BgpDef(Map.of(), Map.of(), List.of(), true, 9, Pos.NONE);

    public BgpDef {
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        speakers = Collections.unmodifiableMap(new LinkedHashMap<>(speakers));
        sessions = List.copyOf(sessions);
    }

    /** True when at least one service is announced over BGP. */
    public boolean enabled() { return !services.isEmpty(); }

    public Optional<Announce> announce(String service) { return Optional.ofNullable(services.get(service)); }

    /** True when {@code service} is announced over BGP instead of (not beside) the static routes anyloop derives. */
    public boolean replacesStatic(String service) {
        Announce a = services.get(service);
        return a != null && !a.staticRoutes();
    }

    /** The sessions {@code host} takes part in, in derivation order. */
    public List<Session> sessionsOf(String host) {
        return sessions.stream().filter(s -> s.a().host().equals(host) || s.b().host().equals(host)).toList();
    }

    /** How a service's host order becomes BGP preference. */
    public enum Preference {
        /** MED = the host's index (0, 1, ...): the nearest hosts first, order breaks ties at the first router. */
        MED,
        /** The host's own AS prepended index times: the order holds network-wide, as static metrics do. */
        PREPEND,
        /** Every host alike: ECMP (merge paths) where they are equally near. */
        EQUAL;

        /** The MED the host at {@code index} of the service's host list announces with, if any. */
        public OptionalLong med(int index) { return this == MED ? OptionalLong.of(index) : OptionalLong.empty(); }

        /** How often the host at {@code index} prepends its own AS to its announcement. */
        public int prepend(int index) { return this == PREPEND ? index : 0; }
    }

    /** One service announced over BGP by each of its hosts; {@code staticRoutes}: keep the static routes beside it. */
    public record Announce(String service, boolean staticRoutes, Preference preference, Pos pos) { }

    /** A router (forwards, imports service routes into its kernel) or a server (announces the services it hosts). */
    public enum Role { ROUTER, SERVER }

    /** One BGP speaker: host, role, AS number, router id, whether BFD runs on its sessions. */
    public record Speaker(String host, Role role, long asn, Ip routerId, boolean bfd, Pos pos) { }

    /** One end of a session: the host, its interface on the shared segment, and its address there. */
    public record End(String host, String dev, Ip address) {
        @Override
        public String toString() { return host + ":" + dev + " (" + address + ")"; }
    }

    /**
     * A direct (single-hop) BGP session between two speakers on a shared segment, for one address family.
     * {@code index} counts the sessions between the same two hosts of the same family (1 for the first shared segment).
     */
    public record Session(End a, End b, Family family, String segment, int index) {
        /** The end that is not {@code host}'s. */
        public End peerOf(String host) { return a.host().equals(host) ? b : a; }

        /** {@code host}'s own end. */
        public End localOf(String host) { return a.host().equals(host) ? a : b; }
    }
}
