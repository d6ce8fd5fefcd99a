package dev.anyloop.compile;

import dev.anyloop.compile.RuleOrigin.Role;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ReachDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Segment-to-segment policy, default-deny: a segment with {@code may-reach} gets, on every forwarding host with an
 * interface on it, {@code FORWARD -i IF -j AL-SEG-seg}. The chain returns (lets the rest of FORWARD decide) for
 * replies, for the addresses of services whose {@code allow:} admits the whole segment, for the prefixes of the
 * segments it may reach and, with {@code internet}, for every destination outside the network (after dropping the
 * network's own prefixes and service addresses); everything else is dropped. Only forwarded traffic is fenced: the
 * router's own addresses (filter INPUT) are not, as they are no segment's.
 */
final class Fences {
    private Fences() { }

    static String chain(String segment) { return "AL-SEG-" + segment; }

    static void install(Intent intent, HostDef host, NetfilterBuilder nf) {
        if (!host.forwarding()) return;
        Family f = nf.family();
        for (SegmentDef seg : intent.segments().values()) {
            if (seg.reach().isEmpty() || seg.prefixes().stream().noneMatch(p -> p.family() == f)) continue;
            List<String> ifaces = host.interfaces().values().stream().filter(i -> i.segment().equals(seg.name()))
                    .map(InterfaceDef::name).toList();
            if (ifaces.isEmpty()) continue;
            String chain = chain(seg.name());
            String name = seg.name();
            for (String i : ifaces) {
                nf.append(Firewall.FILTER, "FORWARD", Rule.of(new Target.Jump(chain), Firewall.inIface(i)),
                        RuleOrigin.segment(name, Role.JUMP, "leaving it (may-reach)"));
            }
            body(intent, seg, seg.reach().get(), f, nf, chain);
        }
    }

    private static void body(Intent intent, SegmentDef seg, ReachDef reach, Family f, NetfilterBuilder nf, String chain) {
        String name = seg.name();
        Target ret = new Target.Return();
        nf.append(Firewall.FILTER, chain, Rule.of(ret, Firewall.established()), RuleOrigin.segment(name, Role.REPLIES, "replies"));
        Set<Ip> admitted = new LinkedHashSet<>();
        for (ServiceDef s : intent.services().values()) {
            if (!Allowed.admitsSegment(intent, s.allow(), name, f)) continue;
            for (Ip x : s.addresses()) {
                if (x.family() == f && admitted.add(x)) {
                    nf.append(Firewall.FILTER, chain, Rule.of(ret, Firewall.dst(x)), RuleOrigin.segment(name, Role.ADMIT,
                            "service " + s.name() + " admits it"));
                }
            }
        }
        for (String other : reach.segments()) {
            for (Prefix p : Allowed.prefixes(intent, other, f)) {
                nf.append(Firewall.FILTER, chain, Rule.of(ret, dst(p)), RuleOrigin.segment(name, Role.ADMIT, "may-reach " + other));
            }
        }
        if (reach.internet()) {
            for (Prefix p : inside(intent, f, admitted)) {
                nf.append(Firewall.FILTER, chain, Rule.of(new Target.Drop(), dst(p)), RuleOrigin.segment(name, Role.REFUSE,
                        "not in may-reach (inside the network)"));
            }
            nf.append(Firewall.FILTER, chain, Rule.of(ret), RuleOrigin.segment(name, Role.ADMIT, "may-reach internet"));
        } else {
            nf.append(Firewall.FILTER, chain, Rule.of(new Target.Drop()), RuleOrigin.segment(name, Role.REFUSE, "not in may-reach"));
        }
    }

    /** The network's own destinations of family {@code f}: every segment's prefixes and every service address not admitted. */
    static List<Prefix> inside(Intent intent, Family f, Set<Ip> admitted) {
        Set<Prefix> out = new LinkedHashSet<>();
        for (SegmentDef s : intent.segments().values()) for (Prefix p : s.prefixes()) if (p.family() == f) out.add(p);
        for (ServiceDef s : intent.services().values()) {
            for (Ip x : s.addresses()) if (x.family() == f && !admitted.contains(x)) out.add(Prefix.host(x));
        }
        return new ArrayList<>(out);
    }

    private static Match dst(Prefix p) { return new Match.Destination(p, false); }
}
