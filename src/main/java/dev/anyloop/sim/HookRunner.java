package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.state.ChainType;
import dev.anyloop.state.Hook;

/**
 * Runs a netfilter hook of one host on the walk's packet: its stages in priority order ({@link Stage}).
 * A chain that drops, rejects or cannot be decided ends the walk; accept lets the packet on to the next
 * stage. At output a route-type chain (iptables' mangle OUTPUT) or the NAT core that changed the mark or
 * an address re-routes the packet at once (ip_route_me_harder), and the stages after it see the new
 * device. The NAT core binds a NAT on a connection's first packet and undoes it on the replies.
 */
final class HookRunner {
    private HookRunner() { }

    /** Routes the packet again after output changed it; returns the new egress device, or null if the walk ended. */
    interface Reroute {
        String reroute(Tracer.Walk w);
    }

    /** What one hook left: the egress device (changed by a re-route at output), or null when the walk ended. */
    static String run(Tracer.Walk w, HostModel h, Hook hook, String in, String out, Conntrack.Seen seen, Ip nh, Reroute reroute) {
        for (Stage s : h.stages(w.pkt.family(), hook)) {
            long mark = w.pkt.mark();
            Ip src = w.pkt.src();
            Ip dst = w.pkt.dst();
            if (s.natCore()) {
                if (!nat(w, h, s, hook, seen, in, out, nh)) return null;
            } else if (!filter(w, h, s, hook, in, out, seen)) {
                return null;
            }
            boolean changed = w.pkt.mark() != mark || !w.pkt.src().equals(src) || !w.pkt.dst().equals(dst);
            if (hook == Hook.OUTPUT && reroute != null && changed && (s.natCore() || s.type == ChainType.ROUTE)) {
                out = reroute.reroute(w);
                if (out == null) return null;
            }
        }
        return out;
    }

    private static Firewall.Hit chain(Tracer.Walk w, HostModel h, Stage s, Hook hook, String in, String out, Conntrack.Seen seen) {
        if (s.ipt != null) return h.fw(w.pkt.family()).run(s.ipt, w.pkt, in, out, h, w);
        NftCtx c = new NftCtx(w.pkt, in, out, h, seen.entry(), hook, w);
        Firewall.Hit hit = h.nft(w.pkt.family()).run(s.nft, c);
        w.pkt = c.pkt;
        return hit;
    }

    /** A filter or route stage; false if it ended the walk. */
    private static boolean filter(Tracer.Walk w, HostModel h, Stage s, Hook hook, String in, String out, Conntrack.Seen seen) {
        Firewall.Hit hit = chain(w, h, s, hook, in, out, seen);
        switch (hit.kind) {
            case DROP: return w.end(new Verdict.Dropped(hit.step(h.name)));
            case REJECT: return w.end(new Verdict.Rejected(hit.step(h.name)));
            case UNKNOWN: return w.end(new Verdict.Unknown(hit.step(h.name)));
            default: return true;
        }
    }

    /**
     * The NAT core: for a reply, undo the connection's NAT (un-SNAT at prerouting and output, un-DNAT at input and
     * postrouting); for a connection's first packet in its direction, run the nat chains until one binds a NAT.
     */
    private static boolean nat(Tracer.Walk w, HostModel h, Stage core, Hook hook, Conntrack.Seen seen, String in, String out, Ip nh) {
        boolean dst = hook == Hook.PREROUTING || hook == Hook.OUTPUT;
        Conntrack.Entry e = seen.entry();
        if (seen.dir() == Conntrack.Dir.REPLY) {
            if (dst && e.snat) rewrite(w, h, "un-SNAT (conntrack)", w.pkt.withDst(e.orig.src(), e.orig.sport()), null);
            if (!dst && e.dnat) rewrite(w, h, "un-DNAT (conntrack)", w.pkt.withSrc(e.orig.dst(), e.orig.dport()), null);
            return true;
        }
        if (seen.dir() != Conntrack.Dir.ORIGINAL || (dst ? e.dstDone : e.srcDone)) return true;
        if (dst) e.dstDone = true;
        else e.srcDone = true;
        for (Stage s : core.nat) {
            Firewall.Hit hit = chain(w, h, s, hook, in, out, seen);
            switch (hit.kind) {
                case ACCEPT: case CONTINUE: continue; // no binding from this chain: the next nat chain runs
                case DROP: return w.end(new Verdict.Dropped(hit.step(h.name)));
                case REJECT: return w.end(new Verdict.Rejected(hit.step(h.name)));
                case UNKNOWN: return w.end(new Verdict.Unknown(hit.step(h.name)));
                default: {
                    Nat.Result res = Nat.apply(hit.nat, w.pkt, h, in, out, dst ? w.pkt.dst() : nh);
                    if (res.after().isEmpty()) return w.end(new Verdict.Dropped(new Step.Dropped(h.name, res.why())));
                    rewrite(w, h, res.why(), res.after().get(), e);
                    return true;
                }
            }
        }
        return true;
    }

    static void rewrite(Tracer.Walk w, HostModel h, String kind, Packet after, Conntrack.Entry e) {
        Packet before = w.pkt;
        if (e != null) {
            if (!after.dst().equals(before.dst()) || after.dport() != before.dport()) e.dnat = true;
            if (!after.src().equals(before.src()) || after.sport() != before.sport()) e.snat = true;
            e.xlated = after;
            after = after.withCt(new CtState(before.ct().state(), e.dnat, e.snat));
        }
        w.pkt = after;
        if (w.explain) w.add(new Step.NatRewrite(h.name, kind, before, after));
    }
}
