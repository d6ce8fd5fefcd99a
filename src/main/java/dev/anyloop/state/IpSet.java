package dev.anyloop.state;

import dev.anyloop.net.Family;
import java.util.List;
import java.util.Optional;

/**
 * One ipset as {@code ipset save} writes it: {@code create NAME TYPE family inet ...} and its
 * {@code add NAME MEMBER} lines. {@code type} is ipset's word (hash:ip, hash:net, hash:ip,port, bitmap:port,
 * list:set, ...); a member is its comma-separated parts ("10.0.0.0/24", "tcp:80"), {@code nomatch} when an
 * exception carved out of a larger net. The simulator decides which types it models.
 */
public record IpSet(String name, String type, Family family, List<Member> members) {
    public IpSet {
        members = List.copyOf(members);
    }

    /** One member of the set. */
    public record Member(List<String> parts, boolean nomatch) {
        public Member {
            parts = List.copyOf(parts);
        }

        @Override
        public String toString() { return String.join(",", parts) + (nomatch ? " nomatch" : ""); }
    }

    /** The dimensions of the type: [ip, port] for hash:ip,port, [set] for list:set. */
    public List<String> dimensions() {
        int colon = type.indexOf(':');
        return List.of(type.substring(colon + 1).split(","));
    }

    /** hash, bitmap or list. */
    public String method() { return type.substring(0, Math.max(0, type.indexOf(':'))); }

    /** The sets of a host, by name. */
    public record Sets(List<IpSet> sets) {
        public Sets {
            sets = List.copyOf(sets);
        }

        public static Sets none() { return new Sets(List.of()); }

        public Optional<IpSet> get(String name) {
            for (IpSet s : sets) if (s.name().equals(name)) return Optional.of(s);
            return Optional.empty();
        }

        public boolean isEmpty() { return sets.isEmpty(); }
    }
}
