package dev.anyloop.intent;

import dev.anyloop.intent.BgpDef.Announce;
import dev.anyloop.intent.BgpDef.End;
import dev.anyloop.intent.BgpDef.Role;
import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.intent.BgpDef.Speaker;
import dev.anyloop.intent.BgpReader.RawSpeaker;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the {@code bgp:} section against the hosts and services and completes it with the default plan: who
 * speaks BGP, each speaker's AS number and router id, and the sessions (one per shared segment and family).
 */
final class BgpResolver {
    /** RFC 6996 private AS numbers: 64512-65534 (16 bits) and 4200000000-4294967294 (32 bits). */
    static final long PRIVATE_16 = 64512;
    static final long PRIVATE_16_LAST = 65534;
    static final long PRIVATE_32 = 4200000000L;
    /** Routers that do not fit into the 16-bit range continue in the upper half of the 32-bit one. */
    static final long PRIVATE_32_ROUTERS = 4250000000L;

    private final Intent intent;
    private final BgpReader.Raw raw;
    private final Problems problems;
    private final Map<String, Integer> order = new HashMap<>();

    BgpResolver(Intent intent, BgpReader.Raw raw, Problems problems) {
        this.intent = intent;
        this.raw = raw;
        this.problems = problems;
        int i = 0;
        for (String h : intent.hosts().keySet()) order.put(h, i++);
    }

    BgpDef resolve() {
        if (!raw.present()) return BgpDef.NONE;
        Map<String, Announce> services = services();
        Set<String> routers = routers();
        Map<String, Role> roles = new LinkedHashMap<>();
        Set<String> serving = new HashSet<>();
        for (Announce a : services.values()) serving.addAll(intent.services().get(a.service()).hosts());
        for (String h : intent.hosts().keySet()) {
            if (routers.contains(h)) roles.put(h, Role.ROUTER);
            else if (serving.contains(h)) roles.put(h, Role.SERVER);
        }
        Map<String, RawSpeaker> settings = settings(roles);
        Map<String, Long> asns = asns(roles, settings);
        Map<String, Speaker> speakers = new LinkedHashMap<>();
        Map<Ip, String> ids = new HashMap<>();
        for (Map.Entry<String, Role> e : roles.entrySet()) {
            String h = e.getKey();
            Optional<RawSpeaker> s = Optional.ofNullable(settings.get(h));
            Optional<Ip> id = s.flatMap(RawSpeaker::routerId).or(() -> derivedRouterId(intent.hosts().get(h)));
            if (id.isEmpty()) {
                problems.add(intent.hosts().get(h).pos(), "bgp: host " + h + " has no IPv4 address to take a BGP router id from: "
                        + "set bgp: speakers: " + h + ": router-id");
                continue;
            }
            String first = ids.putIfAbsent(id.get(), h);
            if (first != null) {
                String where = s.flatMap(RawSpeaker::routerId).isPresent() ? "bgp/speakers/" + h + "/router-id" : "hosts/" + h;
                problems.at(where, "bgp: router id " + id.get() + " of host " + h + " is already the router id of host " + first
                        + " (router ids must be unique)");
            }
            boolean bfd = s.flatMap(RawSpeaker::bfd).orElse(raw.bfd());
            speakers.put(h, new Speaker(h, e.getValue(), asns.get(h), id.get(), bfd, s.map(RawSpeaker::pos).orElse(intent.hosts().get(h).pos())));
        }
        List<Session> sessions = sessions(roles, settings);
        checkPeers(roles, settings, sessions);
        checkCoverage(services, roles, sessions, settings);
        return new BgpDef(services, speakers, sessions, raw.bfd(), raw.holdTime(), raw.pos());
    }

    private Map<String, Announce> services() {
        Map<String, Announce> out = new LinkedHashMap<>();
        for (Announce a : raw.services().values()) {
            if (intent.services().containsKey(a.service())) {
                out.put(a.service(), a);
            } else {
                problems.add(a.pos(), "bgp: services: service '" + a.service() + "' is not defined"
                        + Names.didYouMean(a.service(), intent.services().keySet()));
            }
        }
        return out;
    }

    /** The routers as listed, or every forwarding host. */
    private Set<String> routers() {
        Set<String> out = new LinkedHashSet<>();
        if (raw.routers().isEmpty()) {
            intent.hosts().values().stream().filter(HostDef::forwarding).forEach(h -> out.add(h.name()));
            return out;
        }
        List<String> listed = raw.routers().get();
        for (int i = 0; i < listed.size(); i++) {
            String h = listed.get(i);
            String at = "bgp/routers[" + i + "]";
            HostDef hd = intent.hosts().get(h);
            if (hd == null) {
                problems.at(at, "bgp: routers: host '" + h + "' is not defined" + Names.didYouMean(h, intent.hosts().keySet()));
            } else if (!hd.forwarding()) {
                problems.at(at, "bgp: routers: host " + h + " has forwarding: false; a BGP router forwards what it learns");
            } else if (!out.add(h)) {
                problems.at(at, "bgp: routers: '" + h + "' is listed twice");
            }
        }
        return out;
    }

    /** The per-host settings that name a BGP host; the others are reported. */
    private Map<String, RawSpeaker> settings(Map<String, Role> roles) {
        Map<String, RawSpeaker> out = new HashMap<>();
        for (RawSpeaker s : raw.speakers().values()) {
            String at = "bgp/speakers/" + s.host();
            if (!intent.hosts().containsKey(s.host())) {
                problems.at(at, "bgp: speakers: host '" + s.host() + "' is not defined" + Names.didYouMean(s.host(), intent.hosts().keySet()));
            } else if (!roles.containsKey(s.host())) {
                problems.at(at, "bgp: speakers: host " + s.host() + " does not speak BGP: it is not a BGP router"
                        + " (forwarding: true, or listed in bgp: routers) and serves no service of bgp: services");
            } else {
                out.put(s.host(), s);
            }
        }
        return out;
    }

    /** AS numbers as written, the rest from the plan: routers 64512, 64513, ..., servers 4200000000, ... (numbers in use skipped). */
    private Map<String, Long> asns(Map<String, Role> roles, Map<String, RawSpeaker> settings) {
        Set<Long> used = new HashSet<>();
        settings.values().forEach(s -> s.asn().ifPresent(used::add));
        Map<String, Long> out = new HashMap<>();
        long nextRouter = PRIVATE_16;
        long nextServer = PRIVATE_32;
        for (Map.Entry<String, Role> e : roles.entrySet()) {
            Optional<Long> given = Optional.ofNullable(settings.get(e.getKey())).flatMap(RawSpeaker::asn);
            if (given.isPresent()) {
                out.put(e.getKey(), given.get());
            } else if (e.getValue() == Role.ROUTER) {
                while (used.contains(nextRouter)) nextRouter = nextRouter == PRIVATE_16_LAST ? PRIVATE_32_ROUTERS : nextRouter + 1;
                out.put(e.getKey(), nextRouter);
                used.add(nextRouter);
            } else {
                while (used.contains(nextServer)) nextServer++;
                out.put(e.getKey(), nextServer);
                used.add(nextServer);
            }
        }
        return out;
    }

    /** The first IPv4 loopback, else the first IPv4 interface address (service addresses are shared, so never those). */
    static Optional<Ip> derivedRouterId(HostDef h) {
        for (InterfaceAddress a : h.loopbacks()) if (a.ip().isV4()) return Optional.of(a.ip());
        for (InterfaceDef i : h.interfaces().values()) {
            for (InterfaceAddress a : i.addresses()) if (a.ip().isV4()) return Optional.of(a.ip());
        }
        return Optional.empty();
    }

    /**
     * One session per pair of BGP hosts (not two servers), per interface pair on a shared segment and per family
     * both have an address of there; a host with {@code peers:} keeps only the sessions to those.
     */
    private List<Session> sessions(Map<String, Role> roles, Map<String, RawSpeaker> settings) {
        Map<String, List<End>> bySegment = new HashMap<>();
        for (String h : roles.keySet()) {
            for (InterfaceDef i : intent.hosts().get(h).interfaces().values()) {
                bySegment.computeIfAbsent(i.segment(), k -> new ArrayList<>()).add(new End(h, i.name(), Ip.zero(Family.V4)));
            }
        }
        // a family no BGP service has an address of has nothing to carry: no sessions for it
        Set<Family> families = java.util.EnumSet.noneOf(Family.class);
        for (Announce an : raw.services().values()) {
            ServiceDef sd = intent.services().get(an.service());
            if (sd != null) sd.addresses().forEach(ip -> families.add(ip.family()));
        }
        List<Session> out = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (String a : roles.keySet()) {
            for (InterfaceDef ia : intent.hosts().get(a).interfaces().values()) {
                for (End port : bySegment.getOrDefault(ia.segment(), List.of())) {
                    String b = port.host();
                    if (order.get(b) <= order.get(a)) continue;
                    if (roles.get(a) == Role.SERVER && roles.get(b) == Role.SERVER) continue;
                    if (excludes(settings.get(a), b) || excludes(settings.get(b), a)) continue;
                    InterfaceDef ib = intent.hosts().get(b).interfaces().get(port.dev());
                    for (Family f : families) {
                        Optional<Ip> x = first(ia, f), y = first(ib, f);
                        if (x.isEmpty() || y.isEmpty()) continue;
                        int index = counts.merge(a + " " + b + " " + f, 1, Integer::sum);
                        out.add(new Session(new End(a, ia.name(), x.get()), new End(b, ib.name(), y.get()), f, ia.segment(), index));
                    }
                }
            }
        }
        return out;
    }

    private static boolean excludes(RawSpeaker s, String peer) {
        return s != null && s.peers().isPresent() && !s.peers().get().contains(peer);
    }

    private static Optional<Ip> first(InterfaceDef i, Family f) {
        return i.addresses().stream().map(InterfaceAddress::ip).filter(ip -> ip.family() == f).findFirst();
    }

    /** Every name in {@code peers:} is a BGP host on a shared segment that has not excluded this one. */
    private void checkPeers(Map<String, Role> roles, Map<String, RawSpeaker> settings, List<Session> sessions) {
        for (RawSpeaker s : settings.values()) {
            if (s.peers().isEmpty()) continue;
            List<String> peers = s.peers().get();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < peers.size(); i++) {
                String p = peers.get(i);
                String at = "bgp/speakers/" + s.host() + "/peers[" + i + "]";
                String ctx = "bgp: speaker " + s.host() + ": peers: ";
                if (!seen.add(p)) {
                    problems.at(at, ctx + "'" + p + "' is listed twice");
                } else if (!intent.hosts().containsKey(p)) {
                    problems.at(at, ctx + "host '" + p + "' is not defined" + Names.didYouMean(p, intent.hosts().keySet()));
                } else if (p.equals(s.host())) {
                    problems.at(at, ctx + "a host does not peer with itself");
                } else if (!roles.containsKey(p)) {
                    problems.at(at, ctx + "host " + p + " does not speak BGP (not a BGP router, and serves no BGP service)");
                } else if (roles.get(p) == Role.SERVER && roles.get(s.host()) == Role.SERVER) {
                    problems.at(at, ctx + "host " + p + " is a server, like " + s.host() + ": servers peer with routers only");
                } else if (!shareSegment(s.host(), p)) {
                    problems.at(at, ctx + "host " + p + " shares no segment with " + s.host()
                            + " where both have an address of one family (BGP sessions here are direct, not multihop)");
                } else if (excludes(settings.get(p), s.host())) {
                    problems.at(at, ctx + "host " + p + " is listed, but the peers of " + p + " do not list " + s.host());
                } else if (sessions.stream().noneMatch(x -> x.peerOf(s.host()).host().equals(p) && x.localOf(s.host()).host().equals(s.host()))) {
                    problems.at(at, ctx + "no session to " + p + " could be derived");
                }
            }
        }
    }

    private boolean shareSegment(String a, String b) {
        for (InterfaceDef ia : intent.hosts().get(a).interfaces().values()) {
            for (InterfaceDef ib : intent.hosts().get(b).interfaces().values()) {
                if (!ia.segment().equals(ib.segment())) continue;
                for (Family f : Family.values()) if (first(ia, f).isPresent() && first(ib, f).isPresent()) return true;
            }
        }
        return false;
    }

    /** Every server of a BGP service has a session to a router in each family of the service's addresses. */
    private void checkCoverage(Map<String, Announce> services, Map<String, Role> roles, List<Session> sessions,
                               Map<String, RawSpeaker> settings) {
        for (Announce a : services.values()) {
            ServiceDef s = intent.services().get(a.service());
            for (int k = 0; k < s.hosts().size(); k++) {
                String h = s.hosts().get(k);
                if (roles.get(h) != Role.SERVER) continue;
                for (Family f : Family.values()) {
                    if (s.addresses().stream().noneMatch(ip -> ip.family() == f)) continue;
                    boolean ok = sessions.stream().anyMatch(x -> x.family() == f && (x.a().host().equals(h) || x.b().host().equals(h))
                            && roles.get(x.peerOf(h).host()) == Role.ROUTER);
                    if (!ok) {
                        problems.at("services/" + s.name() + "/hosts[" + k + "]", "bgp: service " + s.name() + ": host " + h
                                + " has no " + (f == Family.V4 ? "IPv4" : "IPv6") + " BGP session to a router: no BGP router shares a segment"
                                + " and an " + (f == Family.V4 ? "IPv4" : "IPv6") + " subnet with it, so it cannot announce "
                                + s.addresses().stream().filter(ip -> ip.family() == f).findFirst().orElseThrow()
                                + Optional.ofNullable(settings.get(h)).flatMap(RawSpeaker::peers)
                                        .map(ps -> " (bgp: speakers: " + h + ": peers is " + ps + ")").orElse(""));
                    }
                }
            }
        }
    }
}
