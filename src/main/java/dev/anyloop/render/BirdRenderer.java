package dev.anyloop.render;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.bgp.BirdNames;
import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.BgpDef.Announce;
import dev.anyloop.intent.BgpDef.Role;
import dev.anyloop.intent.BgpDef.Session;
import dev.anyloop.intent.BgpDef.Speaker;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One BGP host's bird.conf (BIRD 2), from the {@code bgp:} section. A server announces exactly its declared
 * service prefixes: one static protocol per service and family ({@code birdc disable 'announce.dns.v4'} withdraws
 * just that) and an export filter that lets nothing else out. A router imports from a server only that server's
 * prefixes and from a router only the network's declared service prefixes (a hijack is filtered), sends nothing
 * to servers, and exports its BGP routes to the kernel as {@code proto bird metric 1077}, merging equal paths into
 * one ECMP route. Sessions are direct (single hop) on shared segments, with BFD where both ends want it.
 */
public final class BirdRenderer {
    private BirdRenderer() { }

    /**
     * Timers in seconds (BIRD's defaults: connect delay 5, connect retry 120, error wait 60-300): a restarted peer is
     * back within seconds. After a session error BIRD waits ERROR_WAIT_MIN, doubling up to ERROR_WAIT_MAX for errors
     * that follow within its error forget time (300 s): a flapping peer is held off, for at most 10 s.
     */
    static final int CONNECT_DELAY = 1;
    static final int CONNECT_RETRY = 5;
    static final int ERROR_WAIT_MIN = 1;
    static final int ERROR_WAIT_MAX = 10;

    /** True when {@code host} speaks BGP, so has a bird.conf. */
    public static boolean speaks(Intent intent, String host) { return intent.bgp().speakers().containsKey(host); }

    /** The bird.conf of {@code host}; throws IllegalArgumentException when it does not speak BGP. */
    public static String render(Intent intent, String host) {
        BgpDef bgp = intent.bgp();
        Speaker me = bgp.speakers().get(host);
        if (me == null) throw new IllegalArgumentException("host '" + host + "' does not speak BGP: it has no bird.conf");
        StringBuilder sb = new StringBuilder();
        sb.append("# bird.conf of ").append(host).append(" (BIRD 2), rendered by anyloop from ").append(intent.file())
                .append(": edit network.yaml, not this file.\n");
        sb.append("# BGP ").append(me.role() == Role.ROUTER ? "router" : "server").append(", AS ").append(me.asn())
                .append(". Check with bird -p -c FILE; load with birdc configure.\n");
        sb.append("router id ").append(me.routerId()).append(";\n\n");
        List<Session> sessions = bgp.sessionsOf(host);
        if (me.role() == Role.ROUTER) {
            sb.append("# every service prefix announced over BGP in this network: a router carries nothing else\n");
            for (Family f : families(intent)) {
                sb.append("define ").append(servicesSet(f)).append(" = ").append(set(allPrefixes(intent, f))).append(";\n");
            }
            sb.append('\n');
        }
        sb.append("protocol device {\n}\n\n");
        Set<String> bfdIfaces = new LinkedHashSet<>();
        for (Session s : sessions) if (bfd(bgp, s)) bfdIfaces.add(s.localOf(host).dev());
        if (!bfdIfaces.isEmpty()) {
            sb.append("# BFD detects a dead peer in 0.5 s (BIRD's defaults: tx 100 ms, multiplier 5)\n");
            sb.append("protocol bfd {\n  interface ").append(bfdIfaces.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(", ")))
                    .append(";\n}\n\n");
        }
        if (me.role() == Role.ROUTER) kernel(sb, families(intent));
        announcements(sb, intent, host);
        sb.append("template bgp anyloop {\n  direct;\n  hold time ").append(bgp.holdTime()).append(";\n  connect delay time ")
                .append(CONNECT_DELAY).append(";\n  connect retry time ").append(CONNECT_RETRY).append(";\n  error wait time ")
                .append(ERROR_WAIT_MIN).append(", ").append(ERROR_WAIT_MAX).append(";\n");
        if (me.role() == Role.ROUTER) {
            sb.append("  med metric on;             # MED (the host order) is compared between servers of different ASes\n");
        }
        sb.append("}\n");
        for (Session s : sessions) session(sb, intent, me, s);
        return sb.toString();
    }

    private static void kernel(StringBuilder sb, List<Family> families) {
        sb.append("# BGP routes to service prefixes into the kernel: proto bird, metric ").append(Bgp.KERNEL_METRIC)
                .append(", equal paths merged into one ECMP route\n");
        for (Family f : families) {
            sb.append("protocol kernel ").append(BirdNames.quoted(BirdNames.kernel(f))).append(" {\n  ").append(channel(f))
                    .append(" {\n    import none;\n    export where source = RTS_BGP && net ~ ").append(servicesSet(f))
                    .append(";\n  };\n  metric ").append(Bgp.KERNEL_METRIC).append(";\n  merge paths on;\n}\n\n");
        }
    }

    /** The host's own service prefixes: a static protocol per service and family, and the filter that announces them. */
    private static void announcements(StringBuilder sb, Intent intent, String host) {
        List<Announce> mine = intent.bgp().services().values().stream()
                .filter(a -> intent.services().get(a.service()).hosts().contains(host)).toList();
        if (mine.isEmpty()) return;
        long asn = intent.bgp().speakers().get(host).asn();
        sb.append("# the service addresses this host announces; 'birdc disable <name>' withdraws one, 'enable' restores it\n");
        for (Announce a : mine) {
            ServiceDef s = intent.services().get(a.service());
            for (Family f : Family.values()) {
                List<Ip> xs = s.addresses().stream().filter(x -> x.family() == f).toList();
                if (xs.isEmpty()) continue;
                sb.append("protocol static ").append(BirdNames.quoted(BirdNames.announce(s.name(), f))).append(" {\n  ")
                        .append(channel(f)).append(";\n");
                for (Ip x : xs) sb.append("  route ").append(Prefix.host(x)).append(" blackhole;\n");
                sb.append("}\n\n");
            }
        }
        for (Family f : families(intent)) {
            sb.append("# true for this host's own ").append(channel(f)).append(" service prefixes, with the attributes they are announced with\n");
            sb.append("function ").append(announceFilter(f)).append("() {\n  if source != RTS_STATIC then return false;\n");
            for (Announce a : mine) {
                ServiceDef s = intent.services().get(a.service());
                List<Prefix> ps = s.addresses().stream().filter(x -> x.family() == f).map(Prefix::host).toList();
                if (ps.isEmpty()) continue;
                int k = s.hosts().indexOf(host);
                OptionalLong med = a.preference().med(k);
                sb.append("  if net ~ ").append(set(ps)).append(" then {   # service ").append(s.name()).append(", host ")
                        .append(k + 1).append(" of ").append(s.hosts().size()).append(", preference ")
                        .append(a.preference().name().toLowerCase(java.util.Locale.ROOT)).append("\n    bgp_origin = ORIGIN_IGP;\n");
                if (med.isPresent()) sb.append("    bgp_med = ").append(med.getAsLong()).append(";\n");
                for (int i = 0; i < a.preference().prepend(k); i++) sb.append("    bgp_path.prepend(").append(asn).append(");\n");
                sb.append("    return true;\n  }\n");
            }
            sb.append("  return false;\n}\n\n");
        }
    }

    private static void session(StringBuilder sb, Intent intent, Speaker me, Session s) {
        BgpDef bgp = intent.bgp();
        BgpDef.End local = s.localOf(me.host());
        BgpDef.End remote = s.peerOf(me.host());
        Speaker peer = bgp.speakers().get(remote.host());
        Family f = s.family();
        boolean toRouter = peer.role() == Role.ROUTER;
        sb.append("\n# ").append(toRouter ? "router " : "server ").append(peer.host()).append(" (AS ").append(peer.asn())
                .append(me.asn() == peer.asn() ? ", iBGP" : "").append(") on segment ").append(s.segment()).append('\n');
        sb.append("protocol bgp ").append(BirdNames.quoted(BirdNames.session(s, me.host()))).append(" from anyloop {\n");
        sb.append("  local ").append(local.address()).append(" as ").append(me.asn()).append(";\n");
        sb.append("  neighbor ").append(remote.address()).append(" as ").append(peer.asn()).append(";\n");
        if (bfd(bgp, s)) sb.append("  bfd on;\n");
        sb.append("  ").append(channel(f)).append(" {\n");
        if (me.role() == Role.SERVER) {
            sb.append("    import none;\n    export filter { if ").append(announceFilter(f)).append("() then accept; reject; };\n");
        } else if (!toRouter) {
            List<Prefix> theirs = prefixesOf(intent, peer.host(), f);
            sb.append(theirs.isEmpty() ? "    import none;\n" : "    import where net ~ " + set(theirs) + ";   # its own services only\n");
            sb.append("    export none;\n");
        } else {
            sb.append("    import where net ~ ").append(servicesSet(f)).append(";\n");
            sb.append("    export ").append(ownAnnouncements(intent, me.host()) ? "filter { if source = RTS_STATIC then { if "
                    + announceFilter(f) + "() then accept; reject; } if net ~ " + servicesSet(f) + " then accept; reject; }"
                    : "where net ~ " + servicesSet(f)).append(";\n");
            sb.append("    next hop self;\n");
        }
        sb.append("  };\n}\n");
    }

    private static boolean ownAnnouncements(Intent intent, String host) {
        return intent.bgp().services().values().stream().anyMatch(a -> intent.services().get(a.service()).hosts().contains(host));
    }

    /** BFD runs on a session only when both of its speakers have it on: a one-sided BFD session never comes up. */
    public static boolean bfd(BgpDef bgp, Session s) {
        return bgp.speakers().get(s.a().host()).bfd() && bgp.speakers().get(s.b().host()).bfd();
    }

    /** Every BGP service prefix of family {@code f}, in file order. */
    static List<Prefix> allPrefixes(Intent intent, Family f) {
        List<Prefix> out = new ArrayList<>();
        for (Announce a : intent.bgp().services().values()) {
            for (Ip x : intent.services().get(a.service()).addresses()) if (x.family() == f) out.add(Prefix.host(x));
        }
        return out;
    }

    /** The BGP service prefixes of family {@code f} that {@code host} announces. */
    static List<Prefix> prefixesOf(Intent intent, String host, Family f) {
        List<Prefix> out = new ArrayList<>();
        for (Announce a : intent.bgp().services().values()) {
            ServiceDef s = intent.services().get(a.service());
            if (!s.hosts().contains(host)) continue;
            for (Ip x : s.addresses()) if (x.family() == f) out.add(Prefix.host(x));
        }
        return out;
    }

    /** The families of the network's BGP service prefixes: the only ones with sessions (BgpDef derives them so). */
    static List<Family> families(Intent intent) {
        return java.util.Arrays.stream(Family.values()).filter(f -> !allPrefixes(intent, f).isEmpty()).toList();
    }

    /** A BIRD prefix set of at least one prefix. */
    static String set(List<Prefix> ps) {
        return "[ " + ps.stream().map(Prefix::toString).collect(Collectors.joining(", ")) + " ]";
    }

    private static String servicesSet(Family f) { return f == Family.V4 ? "SERVICES_V4" : "SERVICES_V6"; }

    private static String announceFilter(Family f) { return f == Family.V4 ? "announce_v4" : "announce_v6"; }

    private static String channel(Family f) { return f == Family.V4 ? "ipv4" : "ipv6"; }
}
