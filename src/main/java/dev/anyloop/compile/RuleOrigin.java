package dev.anyloop.compile;

import dev.anyloop.intent.Intent.AllowEntry;
import java.util.Locale;
import java.util.Optional;

/**
 * Why the compiler made one netfilter rule: the service, segment fence or host it belongs to, its role in the chain,
 * and, for a rule that admits traffic, the {@code allow:} entry it implements. The rule's {@code -m comment} is
 * rendered from this, once; plan, check and the report read the typed fields.
 */
public record RuleOrigin(Subject subject, String name, Role role, String detail, Optional<AllowEntry> entry) {
    /** What a rule belongs to. */
    public enum Subject {
        SERVICE, SEGMENT, HOST;

        String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** What a rule does for its subject. */
    public enum Role {
        /** A built-in chain's jump into anyloop's chain. */
        JUMP,
        /** Lets replies of admitted connections through (conntrack ESTABLISHED,RELATED). */
        REPLIES,
        /** Admits what one allow: (or may-reach:) entry allows, or the host's own traffic. */
        ADMIT,
        /** Drops what no entry admits. */
        REFUSE,
        /** Accepts one port (or range) of the service. */
        PORT,
        /** Accepts ICMP echo requests (ping: true). */
        PING,
        /** Hands the packet on to the next service of a shared address. */
        NEXT
    }

    /** A rule of service {@code name}. */
    static RuleOrigin service(String name, Role role, String detail) {
        return new RuleOrigin(Subject.SERVICE, name, role, detail, Optional.empty());
    }

    /** A rule of service {@code name} that implements one allow: entry. */
    static RuleOrigin allow(String name, AllowEntry e) {
        return new RuleOrigin(Subject.SERVICE, name, Role.ADMIT, "allow " + e.label(), Optional.of(e));
    }

    /** A rule of segment {@code name}'s fence. */
    static RuleOrigin segment(String name, Role role, String detail) {
        return new RuleOrigin(Subject.SEGMENT, name, role, detail, Optional.empty());
    }

    /** A rule anyloop adds for the host itself. */
    static RuleOrigin host(String name, Role role, String detail) {
        return new RuleOrigin(Subject.HOST, name, role, detail, Optional.empty());
    }

    /**
     * "anyloop service web: allow segments lan": one line, under nft's 128-byte comment limit for any valid name
     * (service names have at most 19 characters, segments 31, interface references 47, prefixes 43).
     */
    public String comment() { return "anyloop " + subject.word() + " " + name + ": " + detail; }
}
