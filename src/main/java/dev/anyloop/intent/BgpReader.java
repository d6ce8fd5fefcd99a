package dev.anyloop.intent;

import dev.anyloop.intent.BgpDef.Preference;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the {@code bgp:} section as written; {@link BgpResolver} checks it against the hosts and services and
 * fills in the default plan.
 */
final class BgpReader {
    /** RFC 4271 4.2: a hold time is zero (no keepalives) or at least three seconds. */
    static final int DEFAULT_HOLD_TIME = 9;

    /** The section as written; {@code present} is false when the file has no {@code bgp:} key. */
    record Raw(boolean present, Map<String, BgpDef.Announce> services, Optional<List<String>> routers, boolean bfd,
               int holdTime, Map<String, RawSpeaker> speakers, Pos pos) {
        static Raw absent() {
            return new Raw(false, Map.of(), Optional.empty(), true, DEFAULT_HOLD_TIME, Map.of(), Pos.NONE);
        }
    }

    /** Settings written for one speaker; empty ones come from the default plan. */
    record RawSpeaker(String host, Optional<Long> asn, Optional<Ip> routerId, Optional<List<String>> peers,
                      Optional<Boolean> bfd, Pos pos) { }

    private final Problems problems;

    BgpReader(Problems problems) { this.problems = problems; }

    Raw read(Optional<Node> section) {
        if (section.isEmpty()) return Raw.absent();
        Optional<Fields> top = Fields.of(problems, section.get(), "bgp", "bgp: ", Section.BGP);
        if (top.isEmpty()) return Raw.absent();
        Fields f = top.get();
        Map<String, BgpDef.Announce> services = services(f);
        Optional<List<String>> routers = f.get("routers").map(n -> f.parsedList("routers", s -> s));
        boolean bfd = f.bool("bfd", true);
        int hold = f.integer("hold-time", 0, 65535).map(Long::intValue).orElse(DEFAULT_HOLD_TIME);
        if (hold == 1 || hold == 2) {
            problems.add(f.path("hold-time"), f.get("hold-time").orElseThrow(),
                    "bgp: hold-time: " + hold + " is neither 0 (no keepalives) nor at least 3 seconds (RFC 4271 4.2)");
        }
        Map<String, RawSpeaker> speakers = new LinkedHashMap<>();
        f.get("speakers").ifPresent(n -> {
            for (Fields.Entry e : Fields.entries(problems, n, f.path("speakers"), "bgp: speakers")) {
                String path = f.path("speakers") + "/" + e.name();
                problems.remember(path, e.key());
                Pos pos = problems.pos(e.key());
                Fields.of(problems, e.value(), path, "bgp: speaker " + e.name() + ": ", Section.BGP_SPEAKER)
                        .ifPresent(s -> speakers.put(e.name(), speaker(e.name(), s, pos)));
            }
        });
        return new Raw(true, services, routers, bfd, hold, speakers, f.pos());
    }

    /** {@code services: [dns, web]}, or a mapping whose values hold per-service options. */
    private Map<String, BgpDef.Announce> services(Fields f) {
        Map<String, BgpDef.Announce> out = new LinkedHashMap<>();
        Optional<Node> node = f.required("services");
        if (node.isEmpty()) return out;
        Node n = node.get();
        String path = f.path("services");
        if (n instanceof SequenceNode || YamlInput.isNull(n)) {
            List<String> names = f.parsedList("services", s -> s);
            for (int i = 0; i < names.size(); i++) {
                Pos pos = problems.where(path + "[" + i + "]");
                if (out.putIfAbsent(names.get(i), new BgpDef.Announce(names.get(i), false, Preference.MED, pos)) != null) {
                    problems.at(path + "[" + i + "]", "bgp: services: '" + names.get(i) + "' is listed twice");
                }
            }
        } else if (n instanceof MappingNode) {
            for (Fields.Entry e : Fields.entries(problems, n, path, "bgp: services")) {
                String p = path + "/" + e.name();
                problems.remember(p, e.key());
                Pos pos = problems.pos(e.key());
                BgpDef.Announce a = Fields.of(problems, e.value(), p, "bgp: service " + e.name() + ": ", Section.BGP_SERVICE)
                        .map(s -> new BgpDef.Announce(e.name(), s.bool("static-routes", false),
                                s.word("preference", Preference.class, Preference.MED), pos))
                        .orElse(new BgpDef.Announce(e.name(), false, Preference.MED, pos));
                out.put(e.name(), a);
            }
        } else {
            problems.add(path, n, "bgp: services: expected a list of service names or a mapping, got " + Fields.describe(n));
            return out;
        }
        if (out.isEmpty() && !problems.broken(path)) problems.add(path, n, "bgp: services: the list is empty");
        return out;
    }

    private RawSpeaker speaker(String host, Fields f, Pos pos) {
        Optional<Long> asn = f.integer("asn", 1, 4294967294L);
        asn.ifPresent(a -> reserved(a).ifPresent(why -> problems.add(f.path("asn"), f.get("asn").orElseThrow(),
                f.context() + "asn: " + a + " is reserved (" + why + ")")));
        Optional<Ip> id = f.parsed("router-id", BgpReader::routerId);
        // a peers value that is not a list was reported; it then restricts nothing (no second, confusing error)
        Optional<List<String>> peers = f.get("peers").filter(n -> n instanceof SequenceNode || YamlInput.isNull(n))
                .map(n -> f.parsedList("peers", s -> s));
        f.get("peers").filter(n -> !(n instanceof SequenceNode || YamlInput.isNull(n))).ifPresent(n -> f.list("peers"));
        Optional<Boolean> bfd = f.get("bfd").isPresent() ? Optional.of(f.bool("bfd", true)) : Optional.empty();
        return new RawSpeaker(host, asn, id, peers, bfd, pos);
    }

    /** Why an AS number in 1..4294967294 cannot be a speaker's own, if it cannot. */
    static Optional<String> reserved(long asn) {
        if (asn == 23456) return Optional.of("AS_TRANS, RFC 6793");
        if (asn == 65535) return Optional.of("RFC 7300");
        return Optional.empty();
    }

    /** A BGP identifier: an IPv4 address other than 0.0.0.0 (RFC 6286 keeps it a non-zero 32-bit number). */
    static Ip routerId(String text) {
        Ip ip;
        try {
            ip = Ip.parse(text);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage();
            throw new IllegalArgumentException("Invalid router id '" + text + "': " + why.substring(why.indexOf("': ") + 3));
        }
        if (!ip.isV4()) throw new IllegalArgumentException("Invalid router id '" + text + "': a router id is written as an IPv4 address");
        if (ip.isZero()) throw new IllegalArgumentException("Invalid router id '" + text + "': 0.0.0.0 is not a valid BGP identifier");
        return ip;
    }
}
