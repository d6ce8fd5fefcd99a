package dev.anyloop.bgp;

import dev.anyloop.net.Ip;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * One route to a service prefix as a BGP speaker holds it (the prefix is the caller's: one solution serves every
 * prefix announced by the same hosts alike): where it came from (its own announcement, or a
 * session), and the attributes BIRD's decision process reads.
 */
public record BgpPath(Source source, List<Long> asPath, OptionalLong med, long localPref, Origin origin) {
    /** BIRD's {@code default bgp_local_pref}, set on routes learned over eBGP. */
    public static final long DEFAULT_LOCAL_PREF = 100;
    /** BIRD's {@code default bgp_med}: a route without MED compares as 0. */
    public static final long DEFAULT_MED = 0;

    public BgpPath {
        asPath = AsPath.of(asPath); // immutable, and shares the tail of the path it was prepended to
    }

    /** The ORIGIN attribute, best first (RFC 4271 5.1.1). */
    public enum Origin { IGP, EGP, INCOMPLETE }

    /** Where a speaker got a path from. */
    public sealed interface Source permits Originated, Learned {
        /** "own announcement of service dns", "learned from r2 (AS 65002, ...) over 'r2.v4' via ... [eBGP]". */
        String text();

        /** The session it came over, for a learned route. */
        Optional<Learned> learned();
    }

    /** The speaker's own announcement of a service it hosts (a static protocol in its BIRD). */
    public record Originated(String host, String service) implements Source {
        public String text() { return "own announcement of service " + service; }

        public Optional<Learned> learned() { return Optional.empty(); }
    }

    /**
     * Learned over one session: the BIRD protocol name, the peer (host, AS, router id, address on the shared
     * segment) and the local interface, which make the kernel route {@code via peerAddress dev dev}.
     */
    public record Learned(String protocol, String peer, long peerAsn, Ip peerRouterId, Ip peerAddress, String dev,
                          boolean ibgp) implements Source {
        public String text() {
            return "learned from " + peer + " (AS " + peerAsn + ", router id " + peerRouterId + ") over '" + protocol + "' via "
                    + peerAddress + " dev " + dev + " [" + (ibgp ? "iBGP" : "eBGP") + "]";
        }

        public Optional<Learned> learned() { return Optional.of(this); }
    }

    public boolean originated() { return source.learned().isEmpty(); }

    /** The first AS of the path (the neighbouring AS), or empty for a path that never crossed an AS boundary. */
    public OptionalLong neighbourAs() { return asPath.isEmpty() ? OptionalLong.empty() : OptionalLong.of(asPath.get(0)); }

    /** "AS path 65002 4200000001, MED 0, local pref 100, origin IGP". */
    public String attributes() {
        String path = asPath.isEmpty() ? "(empty)" : asPath.stream().map(String::valueOf).collect(Collectors.joining(" "));
        return "AS path " + path + ", MED " + (med.isPresent() ? med.getAsLong() : "none") + ", local pref " + localPref
                + ", origin " + origin;
    }

    /** Where it came from and its attributes, one line. */
    public String describe() { return source.text() + ", " + attributes(); }
}
