package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.ReachDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Segment fences ({@code may-reach}): from the first host of a fenced segment, a ping to the first host of every other
 * segment is expected to get through exactly when that segment is in may-reach, and to a loopback address outside
 * every segment (an "internet" host) exactly when may-reach says internet. A segment without a router is skipped:
 * nothing forwards its traffic, so there is no fence to check.
 */
final class SegmentFences {
    private SegmentFences() { }

    static List<Batch> batches(Intent intent, Network network, Simulator sim, List<String> clients) {
        List<Job> jobs = new ArrayList<>();
        for (SegmentDef g : intent.segments().values()) {
            if (g.reach().isEmpty() || !routed(intent, g)) continue;
            ReachDef reach = g.reach().get();
            for (Family f : Family.values()) {
                Optional<Member> client = first(intent, g.name(), f, "");
                if (client.isEmpty() || !clients.contains(client.get().host)) continue;
                for (SegmentDef t : intent.segments().values()) {
                    if (t == g) continue;
                    Optional<Member> target = first(intent, t.name(), f, client.get().host);
                    if (target.isEmpty()) continue;
                    boolean expect = reach.segments().contains(t.name());
                    jobs.add(job(sim, client.get().host, target.get().address, expect,
                            g.name() + " -> segment " + t.name() + " (" + target.get().host + ")", expect ? "in may-reach" : "not in may-reach"));
                }
                outside(intent, g.name(), f).ifPresent(o -> jobs.add(job(sim, client.get().host, o.address, reach.internet(),
                        g.name() + " -> the internet (" + o.host + " " + o.address + ")", reach.internet() ? "may-reach internet" : "internet not in may-reach")));
            }
        }
        return List.of(Checker.list(jobs));
    }

    private static Job job(Simulator sim, String client, Ip to, boolean expect, String what, String why) {
        Flow flow = Flow.of(client, to, Proto.ICMP, 0);
        return new Job(sim, flow, o -> Job.Judged.held(o.reachable() == expect, "fence", () -> "segment " + what + ": " + flow
                + " expected " + (expect ? "reachable" : "refused") + " (" + why + "), " + Checker.outcome(o)));
    }

    private record Member(String host, Ip address) { }

    /** A forwarding host on the segment: who puts up the fence. */
    private static boolean routed(Intent intent, SegmentDef g) {
        return intent.hosts().values().stream().anyMatch(h -> h.forwarding()
                && h.interfaces().values().stream().anyMatch(i -> i.segment().equals(g.name())));
    }

    /** The first host (file order) on {@code segment} that does not forward, with an address of family {@code f} there. */
    private static Optional<Member> first(Intent intent, String segment, Family f, String not) {
        for (HostDef h : intent.hosts().values()) {
            if (h.forwarding() || h.name().equals(not)) continue;
            for (InterfaceDef i : h.interfaces().values()) {
                if (!i.segment().equals(segment)) continue;
                for (InterfaceAddress a : i.addresses()) {
                    if (a.family() == f && !a.ip().isLinkLocal()) return Optional.of(new Member(h.name(), a.ip()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A loopback address outside every segment prefix and every service address, of a host not on the fenced segment
     * (its routers' own addresses are not fenced): a stand-in for the internet.
     */
    private static Optional<Member> outside(Intent intent, String fenced, Family f) {
        for (HostDef h : intent.hosts().values()) {
            if (h.interfaces().values().stream().anyMatch(i -> i.segment().equals(fenced))) continue;
            for (InterfaceAddress a : h.loopbacks()) {
                if (a.family() != f || inside(intent, a.ip())) continue;
                return Optional.of(new Member(h.name(), a.ip()));
            }
        }
        return Optional.empty();
    }

    private static boolean inside(Intent intent, Ip ip) {
        for (SegmentDef s : intent.segments().values()) for (Prefix p : s.prefixes()) if (p.contains(ip)) return true;
        return intent.services().values().stream().anyMatch(s -> s.addresses().contains(ip));
    }
}
