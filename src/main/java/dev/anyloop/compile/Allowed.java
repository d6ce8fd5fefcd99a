package dev.anyloop.compile;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Match;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code allow:} as matches on one host, each with the entry it implements. On the host of the
 * service (and Docker's DOCKER-USER) a segment stands for its prefixes ({@code -s}), as does an interface named on
 * another host ("router:eth1" seen from desktop: the hosts whose packets enter router:eth1); an interface of this
 * host is {@code -i}. On a router an allowed segment it is on is {@code -i} on its interfaces there.
 */
final class Allowed {
    private Allowed() { }

    /** One condition that admits traffic, and the allow: entry behind it. */
    record Admit(Match match, AllowEntry entry) { }

    /** On a service host: source prefixes (segments, interfaces elsewhere, sources), then this host's interfaces. */
    static List<Admit> onServiceHost(Intent intent, AllowDef allow, String host, Family f) {
        List<Admit> sources = new ArrayList<>();
        List<Admit> ifaces = new ArrayList<>();
        Set<Object> seen = new LinkedHashSet<>();
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.SEGMENT)) for (Prefix p : prefixes(intent, e.value(), f)) add(sources, seen, src(p), e);
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.INTERFACE)) {
            IfaceRef r = e.iface().orElseThrow();
            if (r.host().equals(host)) add(ifaces, seen, in(r.iface()), e);
            else for (Prefix p : prefixes(intent, segmentOf(intent, r), f)) add(sources, seen, src(p), e);
        }
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.SOURCE)) {
            Prefix p = e.prefix().orElseThrow();
            if (p.family() == f) add(sources, seen, src(p), e);
        }
        sources.addAll(ifaces);
        return sources;
    }

    /**
     * On a router: {@code -i} for its interfaces on allowed segments and its own named interfaces, then {@code -s}
     * for sources, allowed segments it is not on, and segments behind interfaces named on other hosts.
     */
    static List<Admit> onRouter(Intent intent, AllowDef allow, HostDef router, Family f) {
        List<Admit> ifaces = new ArrayList<>();
        List<Admit> sources = new ArrayList<>();
        List<AllowEntry> elsewhere = new ArrayList<>();
        Set<Object> seen = new LinkedHashSet<>();
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.SEGMENT)) {
            boolean here = false;
            for (InterfaceDef i : router.interfaces().values()) {
                if (i.segment().equals(e.value())) {
                    add(ifaces, seen, in(i.name()), e);
                    here = true;
                }
            }
            if (!here) elsewhere.add(e);
        }
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.INTERFACE)) {
            if (e.iface().orElseThrow().host().equals(router.name())) add(ifaces, seen, in(e.iface().get().iface()), e);
        }
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.SOURCE)) {
            Prefix p = e.prefix().orElseThrow();
            if (p.family() == f) add(sources, seen, src(p), e);
        }
        for (AllowEntry e : elsewhere) for (Prefix p : prefixes(intent, e.value(), f)) add(sources, seen, src(p), e);
        for (AllowEntry e : ordered(allow, AllowEntry.Kind.INTERFACE)) {
            IfaceRef r = e.iface().orElseThrow();
            if (!r.host().equals(router.name())) for (Prefix p : prefixes(intent, segmentOf(intent, r), f)) add(sources, seen, src(p), e);
        }
        ifaces.addAll(sources);
        return ifaces;
    }

    /** True when the allow: admits the whole segment {@code segment} (anyone, the segment, an interface on it, a source covering it). */
    static boolean admitsSegment(Intent intent, AllowDef allow, String segment, Family f) {
        if (allow.anyone()) return true;
        List<Prefix> mine = prefixes(intent, segment, f);
        for (AllowEntry e : allow.entries()) {
            switch (e.kind()) {
                case SEGMENT:
                    if (e.value().equals(segment)) return true;
                    break;
                case INTERFACE:
                    if (segmentOf(intent, e.iface().orElseThrow()).equals(segment)) return true;
                    break;
                case SOURCE:
                    if (!mine.isEmpty() && mine.stream().allMatch(p -> e.prefix().orElseThrow().contains(p))) return true;
                    break;
                default:
                    throw new IllegalStateException("allow entry kind " + e.kind());
            }
        }
        return false;
    }

    private static List<AllowEntry> ordered(AllowDef allow, AllowEntry.Kind kind) {
        return allow.entries().stream().filter(e -> e.kind() == kind).toList();
    }

    private static void add(List<Admit> out, Set<Object> seen, Match m, AllowEntry e) {
        if (seen.add(m)) out.add(new Admit(m, e));
    }

    private static String segmentOf(Intent intent, IfaceRef r) {
        HostDef other = intent.hosts().get(r.host());
        InterfaceDef i = other == null ? null : other.interfaces().get(r.iface());
        if (i == null) throw new IllegalArgumentException("allow: interface " + r + " is not defined");
        return i.segment();
    }

    /** The prefixes of family {@code f} of segment {@code name}. */
    static List<Prefix> prefixes(Intent intent, String name, Family f) {
        SegmentDef s = intent.segments().get(name);
        if (s == null) throw new IllegalArgumentException("segment '" + name + "' is not defined");
        return s.prefixes().stream().filter(p -> p.family() == f).toList();
    }

    static Match src(Prefix p) { return new Match.Source(p, false); }

    static Match in(String i) { return new Match.InInterface(i, false); }
}
