package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Hook;
import dev.anyloop.state.Listener;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks one packet through the network the way Linux moves it: local output (route, source, nat
 * OUTPUT, filter OUTPUT, nat POSTROUTING), then per hop neighbour resolution, nat PREROUTING, the
 * routing decision (martians, rp_filter, forwarding), filter INPUT and the socket, or filter FORWARD
 * and nat POSTROUTING. Conntrack state is shared between a request and its reply.
 */
final class Tracer {
    /** Hops before a walk is cut off even if TTLs were not decreasing (they always are). */
    static final int MAX_HOPS = 300;

    private final Map<String, HostModel> hosts;
    private final Wiring wiring;

    /** The wiring this tracer walks (a derived simulator starts from it). */
    Wiring wiring() { return wiring; }

    Tracer(Map<String, HostModel> hosts, Wiring wiring) {
        this.hosts = hosts;
        this.wiring = wiring;
    }

    /** Where a packet arrives next. */
    private record Arrival(HostModel host, String dev) { }

    /** One direction of a flow: its steps, its current packet, how it ended. */
    static final class Walk implements Recorder {
        final boolean explain;
        final List<Step> steps;
        final Conntrack ct;
        final Neighbours neighbours;
        final boolean reply;
        final HostModel client;
        final Packet original;
        Packet pkt;
        Verdict verdict;
        HostModel deliveredAt;
        Packet delivered;
        /** The socket a request was delivered to (null for ICMP echo). */
        Listener listener;
        /** For a reply from a wildcard UDP socket: why its source is the route's (AnswerSource), else null. */
        String routeSourced;
        /** The round trip's multipath choices, shared by its request and reply walks. */
        Paths paths = new Paths(new int[0]);

        Walk(boolean explain, Conntrack ct, Neighbours neighbours, Packet start, boolean reply, HostModel client, Packet original) {
            this.explain = explain;
            this.steps = explain ? new ArrayList<>() : List.of();
            this.ct = ct;
            this.neighbours = neighbours;
            this.pkt = start;
            this.reply = reply;
            this.client = client;
            this.original = original;
        }

        @Override
        public boolean explain() { return explain; }

        @Override
        public void add(Step s) { steps.add(s); }

        boolean end(Verdict v) {
            // a rule's step is already recorded by the evaluator; do not repeat it
            if (explain && (steps.isEmpty() || !steps.get(steps.size() - 1).equals(v.step()))) steps.add(v.step());
            verdict = v;
            return false;
        }

        Trace trace() { return new Trace(steps, verdict); }
    }

    /** Sends {@code w.pkt} from {@code h} (its source zero unless fixed) and follows it until it ends. */
    void run(Walk w, HostModel h) {
        Arrival a = localOut(w, h);
        int hops = 0;
        while (a != null) {
            if (++hops > MAX_HOPS) {
                w.end(new Verdict.TtlExceeded(new Step.Dropped(a.host().name, "more than " + MAX_HOPS + " hops")));
                return;
            }
            a = ingress(w, a.host(), a.dev());
        }
    }

    // ---- local output -------------------------------------------------------------------------

    private Arrival localOut(Walk w, HostModel h) {
        Packet p = w.pkt;
        Fib fib = h.fib(p.family());
        boolean fixed = !p.src().isZero();
        if (fixed && !h.hasAddress(p.src()) && !fib.isLocal(p.src())) {
            w.end(new Verdict.Dropped(new Step.Dropped(h.name, "cannot send from " + p.src()
                    + ": not an address of this host (bind fails: EADDRNOTAVAIL)")));
            return null;
        }
        FibResult r = route(w, h, p.dst(), p.src(), "lo");
        if (!r.usable()) return endRoute(w, h, r, p.dst(), p.src(), "lo");
        if (!fixed && !chooseSource(w, h, r)) return null;
        Conntrack.Seen seen = see(w, h);
        // OUTPUT: raw, mangle (a route chain), NAT, filter; a mark or address changed there routes the packet again
        FibResult[] routed = {r};
        String out = HookRunner.run(w, h, Hook.OUTPUT, "", outDev(r), seen, nextHop(r, w.pkt.dst()), walk -> {
            FibResult again = route(walk, h, walk.pkt.dst(), walk.pkt.src(), "lo");
            if (!again.usable()) {
                endRoute(walk, h, again, walk.pkt.dst(), walk.pkt.src(), "lo");
                return null;
            }
            routed[0] = again;
            return outDev(again);
        });
        if (out == null) return null;
        r = routed[0];
        if (HookRunner.run(w, h, Hook.POSTROUTING, "", out, seen, nextHop(r, w.pkt.dst()), null) == null) return null;
        if (r.type() == Route.Type.LOCAL) {
            // looped back through lo: PREROUTING (nat already bound) then INPUT, no new route lookup
            if (HookRunner.run(w, h, Hook.PREROUTING, "lo", "", seen, w.pkt.dst(), null) == null) return null;
            localDeliver(w, h, "lo", seen, true);
            return null;
        }
        return egress(w, h, out, nextHop(r, w.pkt.dst()));
    }

    private static String outDev(FibResult r) {
        return r.type() == Route.Type.LOCAL ? "lo" : r.route().get().nexthops().get(0).dev();
    }

    /** The gateway of the first path, or the destination itself when on-link. */
    private static Ip nextHop(FibResult r, Ip dst) {
        if (r.type() != Route.Type.UNICAST) return dst;
        return r.route().get().nexthops().get(0).via().orElse(dst);
    }

    /** Route src, else local routes' own address, else the kernel's choice; false if there is none. */
    private boolean chooseSource(Walk w, HostModel h, FibResult r) {
        Route rt = r.route().get();
        Packet p = w.pkt;
        Optional<SourceSelection.Choice> c;
        if (rt.src().isPresent()) {
            c = Optional.of(new SourceSelection.Choice(rt.src().get(), SourceSelection.Why.GIVEN, "", rt.src().get(),
                    w.explain ? "route " + rt.dst() + " has src " + rt.src().get() : ""));
        } else if (r.type() == Route.Type.LOCAL) {
            c = Optional.of(SourceSelection.Choice.of(p.dst(), "the destination is local: the packet keeps it as source"));
        } else if (p.family() == Family.V4) {
            // fib_result_prefsrc(): inet_select_addr(nh dev, gateway or 0, the route's scope)
            NextHop nh = rt.nexthops().get(0);
            int scope = rt.scope() == Route.Scope.GLOBAL ? SourceSelection.UNIVERSE
                    : rt.scope() == Route.Scope.LINK ? SourceSelection.LINK : SourceSelection.HOST;
            c = SourceSelection.v4(h, nh.dev(), nh.via().orElse(Ip.zero(Family.V4)), scope);
        } else {
            c = SourceSelection.v6(h, rt.nexthops().get(0).dev(), p.dst());
        }
        if (c.isEmpty()) {
            return w.end(new Verdict.NoRoute(new Step.Dropped(h.name, "no source address for " + p.dst()
                    + " (the host has no usable address: EADDRNOTAVAIL)")));
        }
        w.pkt = p.withSrc(c.get().ip(), p.sport());
        if (w.explain) w.add(new Step.SourceSelected(h.name, c.get().ip(), c.get().why()));
        return true;
    }

    // ---- ingress ------------------------------------------------------------------------------

    private Arrival ingress(Walk w, HostModel h, String dev) {
        if (w.explain) w.add(new Step.Received(h.name, dev, w.pkt));
        Family f = w.pkt.family();
        if (f == Family.V6 && !"lo".equals(dev) && (w.pkt.src().isLoopback() || w.pkt.dst().isLoopback())) {
            w.end(new Verdict.Dropped(new Step.Dropped(h.name, "::1 on a non-loopback interface (ip6_rcv_core drops it)")));
            return null;
        }
        Conntrack.Seen seen = see(w, h);
        // PREROUTING (raw, mangle, NAT) runs before the routing decision, so INPUT/FORWARD see the DNAT'ed address
        if (HookRunner.run(w, h, Hook.PREROUTING, dev, "", seen, w.pkt.dst(), null) == null) return null;
        Packet p = w.pkt;
        if (f == Family.V4 && !martian(w, h, dev)) return null;
        FibResult r = route(w, h, p.dst(), p.src(), dev);
        if (r.type() == Route.Type.LOCAL && r.found()) {
            if (f == Family.V4 && !sourceValid(w, h, dev, "")) return null;
            localDeliver(w, h, dev, seen, false);
            return null;
        }
        if (!r.found() || r.type() != Route.Type.UNICAST) {
            if (r.found() && !r.usable()) return endRoute(w, h, r, p.dst(), p.src(), dev);
            if (r.found()) {
                w.end(new Verdict.Dropped(new Step.Dropped(h.name, "destination " + p.dst() + " is "
                        + r.type().word() + " here (not modelled as a unicast probe target)")));
                return null;
            }
            return endRoute(w, h, r, p.dst(), p.src(), dev);
        }
        String out = outDev(r);
        if (!h.forwards(f, dev)) {
            w.end(new Verdict.ForwardingDisabled(new Step.Dropped(h.name, p.dst() + " is not local and "
                    + (f == Family.V4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding") + " is 0")));
            return null;
        }
        if (f == Family.V4 && !sourceValid(w, h, dev, out)) return null;
        if (p.ttl() <= 1) {
            w.end(new Verdict.TtlExceeded(new Step.Dropped(h.name, "TTL exceeded in transit (ttl " + p.ttl()
                    + "): a routing loop or too many hops")));
            return null;
        }
        w.pkt = p.withTtl(p.ttl() - 1);
        if (w.explain) w.add(new Step.Forwarded(h.name, dev, out, w.pkt.ttl()));
        Ip nh = nextHop(r, w.pkt.dst());
        if (HookRunner.run(w, h, Hook.FORWARD, dev, out, seen, nh, null) == null) return null;
        if (HookRunner.run(w, h, Hook.POSTROUTING, dev, out, seen, nh, null) == null) return null;
        return egress(w, h, out, nh);
    }

    /** ip_route_input_slow's martian checks (before the lookup). */
    private boolean martian(Walk w, HostModel h, String dev) {
        Ip s = w.pkt.src();
        Ip d = w.pkt.dst();
        boolean localnet = h.conf(dev).routeLocalnet();
        String why = null;
        if (s.isMulticast() || s.lo() == 0xffffffffL || (s.lo() >>> 24) == 0) why = "martian source " + s;
        else if ((d.lo() >>> 24) == 0) why = "martian destination " + d;
        else if (d.isLoopback() && !localnet) why = "martian destination " + d + " (127/8 from " + dev + ", route_localnet is 0)";
        else if (s.isLoopback() && !localnet) why = "martian source " + s + " (127/8 on " + dev + ", route_localnet is 0)";
        if (why == null) return true;
        return w.end(new Verdict.Dropped(new Step.Dropped(h.name, why)));
    }

    /** fib_validate_source(): reverse path filter and "my own address as source" check. */
    private boolean sourceValid(Walk w, HostModel h, String dev, String oif) {
        Ip src = w.pkt.src();
        int rpf = h.conf(dev).rpFilter();
        int res = RpFilter.validate(h, dev, src, w.pkt.dst(), oif, rpf);
        if (res == RpFilter.OK) return true;
        if (res == RpFilter.EXDEV) {
            return w.end(new Verdict.RpFilterDrop(new Step.Dropped(h.name, "rp_filter " + (rpf == 1 ? "strict" : "loose")
                    + " on " + dev + ": the route back to " + src + (rpf == 1 ? " does not leave through " + dev : " is missing"))));
        }
        return w.end(new Verdict.Dropped(new Step.Dropped(h.name, "martian source " + src
                + ": it is an address of this host or not routed as unicast (fib_validate_source: EINVAL)")));
    }

    // ---- delivery -----------------------------------------------------------------------------

    private void localDeliver(Walk w, HostModel h, String in, Conntrack.Seen seen, boolean loopedBack) {
        // INPUT: mangle, filter, then the NAT core (SNAT at input; a looped-back packet was bound at postrouting)
        if (HookRunner.run(w, h, Hook.INPUT, in, "", seen, w.pkt.src(), null) == null) return;
        Packet p = w.pkt;
        w.deliveredAt = h;
        w.delivered = p;
        if (w.reply) {
            if (h == w.client && w.routeSourced != null && !p.isAnswerTo(w.original) && p.proto() == Proto.UDP
                    && !p.src().equals(w.original.dst())) {
                w.end(new Verdict.Dropped(new Step.Dropped(h.name, "the answer comes from " + p.src() + ", not from the asked "
                        + w.original.dst() + ": the client's connected socket drops it (" + w.routeSourced + ")")));
            } else if (h == w.client && p.isAnswerTo(w.original)) {
                w.end(new Verdict.Accepted(new Step.Delivered(h.name, w.explain ? "the client's socket (" + p + ")" : "the client's socket")));
            } else if (h == w.client) {
                w.end(new Verdict.Dropped(new Step.Dropped(h.name, "the reply " + p + " does not match the client's "
                        + "socket for " + w.original + " (NAT not undone on this path)")));
            } else {
                w.end(new Verdict.Dropped(new Step.Dropped(h.name, "the reply was delivered to " + h.name
                        + ", not to the client " + w.client.name)));
            }
            return;
        }
        if (p.proto() == Proto.ICMP) {
            if (h.ignoresEcho(p.family())) {
                w.end(new Verdict.Dropped(new Step.Dropped(h.name, "icmp_echo_ignore_all is 1")));
            } else {
                w.verdict = new Verdict.Accepted(new Step.Delivered(h.name, "ICMP echo responder"));
                if (w.explain) w.add(w.verdict.step());
            }
            return;
        }
        Optional<Listener> l = h.listener(p.proto(), p.dst(), p.dport());
        if (l.isPresent()) {
            w.listener = l.get();
            w.verdict = new Verdict.Accepted(new Step.Delivered(h.name, w.explain ? l.get().toString() : "a socket"));
            if (w.explain) w.add(w.verdict.step());
            return;
        }
        boolean tcp = p.proto() == Proto.TCP;
        // the words are built only for a trace: the bulk path only asks whether the walk was accepted
        w.end(new Verdict.NoListener(new Step.Rejected(h.name, !w.explain ? "nothing listens" : "nothing listens on "
                + p.proto().word() + " " + Packet.hostPort(p.dst(), p.dport())
                + (tcp ? ": TCP reset (connection refused)" : ": ICMP port unreachable")), tcp));
    }

    // ---- egress -------------------------------------------------------------------------------

    private Arrival egress(Walk w, HostModel h, String dev, Ip nh) {
        if ("lo".equals(dev)) {
            w.end(new Verdict.Dropped(new Step.Dropped(h.name, "routed out lo but " + w.pkt.dst() + " is not local")));
            return null;
        }
        Optional<String> seg = wiring.segmentName(h, dev);
        if (seg.isEmpty()) {
            w.end(new Verdict.NoNeighbour(new Step.Dropped(h.name, h.name + ":" + dev + " is not attached to any segment: "
                    + "no neighbour for " + nh)));
            return null;
        }
        boolean known = w.neighbours.knows(h, dev, nh);
        for (Wiring.Port port : wiring.owners(h, dev, nh)) {
            if (port.host() == h && port.dev().equals(dev)) continue;
            if (!port.host().up(port.dev()) || !(known || answers(h, dev, port, nh, w.pkt.src()))) continue;
            if (!known) w.neighbours.learn(port.host(), port.dev(), arpSender(h, dev, nh, w.pkt.src()));
            if (w.explain) w.add(new Step.Sent(h.name, dev, nh, port.host().name, port.dev()));
            return new Arrival(port.host(), port.dev());
        }
        if (!w.explain) { // the bulk path only asks whether the walk was accepted: no words
            w.end(new Verdict.NoNeighbour(new Step.Dropped(h.name, "no neighbour")));
            return null;
        }
        String why = "";
        for (Wiring.Port port : wiring.owners(h, dev, nh)) {
            if (port.host() != h && port.host().up(port.dev()) && nh.isV4()) {
                // arp_process() routes the request as input: the sender address must pass fib_validate_source()
                why = " (" + port.host().name + " holds it but refuses the request from " + arpSender(h, dev, nh, w.pkt.src())
                        + ": its source check (rp_filter, or an address of its own) fails, or arp_ignore)";
                break;
            }
        }
        w.end(new Verdict.NoNeighbour(new Step.Dropped(h.name, "no neighbour: nothing on segment " + seg.get()
                + " answers " + (nh.isV4() ? "ARP" : "neighbour solicitation") + " for " + nh + " out " + dev + why)));
        return null;
    }

    /**
     * The sender address of the ARP request (or neighbour solicitation) {@code h} sends for {@code nh}:
     * with arp_announce 0, arp_solicit() takes the packet's source when it is local, else
     * inet_select_addr(dev, nh, link scope). IPv6 solicits from an address of {@code dev}; the packet's
     * source stands for it, as only a round trip's reply (to that source) asks.
     */
    private static Ip arpSender(HostModel h, String dev, Ip nh, Ip src) {
        if (!nh.isV4() || h.fib(Family.V4).isLocal(src)) return src;
        return SourceSelection.v4(h, dev, nh, SourceSelection.LINK).map(SourceSelection.Choice::ip).orElse(Ip.zero(Family.V4));
    }

    /**
     * Would {@code port} answer ARP for {@code tip}? arp_process() routes the request as input and
     * answers only for a local address whose source check passes; arp_ignore 1 wants the address on
     * the receiving interface, 2 also the sender inside its subnet. IPv6: the target on that interface.
     */
    private boolean answers(HostModel sender, String dev, Wiring.Port port, Ip tip, Ip src) {
        HostModel r = port.host();
        if (!tip.isV4()) return r.hasAddressOn(port.dev(), tip);
        if (tip.isLoopback()) return false;
        int ignore = r.conf(port.dev()).arpIgnore();
        if (ignore >= 1 && !r.hasAddressOn(port.dev(), tip)) return false;
        if (!r.fib(Family.V4).isLocal(tip)) return false;
        Ip sip = arpSender(sender, dev, tip, src);
        if (sip.isZero()) return true;
        if (ignore == 2 && r.v4On(port.dev()).stream()
                .noneMatch(a -> a.ip().equals(tip) && Prefixes.contains(a.net(), sip))) return false;
        int rpf = r.conf(port.dev()).rpFilter();
        return RpFilter.validate(r, port.dev(), sip, tip, "", rpf) == RpFilter.OK;
    }

    // ---- conntrack and netfilter ---------------------------------------------------------------

    private Conntrack.Seen see(Walk w, HostModel h) {
        Conntrack.Seen s = w.ct.see(h, w.pkt);
        CtState st = s.state();
        w.pkt = w.pkt.withCt(st);
        if (w.explain) {
            String why = s.dir() == Conntrack.Dir.REPLY ? "reply to a connection this host saw"
                    : s.dir() == Conntrack.Dir.INVALID ? "a reply this host never saw the request of cannot start a connection"
                    : w.reply ? "this host did not see the request: the answer starts a new flow here" : "";
            w.add(new Step.ConntrackState(h.name, st, why));
        }
        return s;
    }

    // ---- routing ------------------------------------------------------------------------------

    private FibResult route(Walk w, HostModel h, Ip dst, Ip src, String iif) {
        FibResult r = h.fib(dst.family()).lookup(dst, src, iif, w.pkt.mark());
        if (w.explain) w.add(lookupStep(h, r, dst, src, iif));
        if (r.route().isPresent() && r.route().get().nexthops().size() > 1) return onePath(w, h, r);
        return r;
    }

    /** A multipath route: the next hop this walk takes (Paths), as a route of that one next hop. */
    private static FibResult onePath(Walk w, HostModel h, FibResult r) {
        Route m = r.route().get();
        int n = m.nexthops().size();
        int c = w.paths.pick(n);
        NextHop nh = m.nexthops().get(c);
        if (w.explain) {
            w.add(new Step.Note(h.name, "multipath: path " + (c + 1) + " of " + n + " (" + nh + "); the kernel hashes each flow onto "
                    + "one path with a seed chosen at boot, so every path is walked"));
        }
        Route one = new Route(m.type(), m.dst(), m.table(), List.of(nh), m.metric(), m.src(), m.proto(), m.scope());
        return new FibResult(r.type(), Optional.of(one), r.table(), r.rule(), r.candidates());
    }

    private static Step.RouteLookup lookupStep(HostModel h, FibResult r, Ip dst, Ip src, String iif) {
        return new Step.RouteLookup(h.name, dst, src.isZero() ? Optional.empty() : Optional.of(src),
                "lo".equals(iif) ? "" : iif, r.rule(), r.tableName(), r.type(), r.route(), r.candidates());
    }

    private Arrival endRoute(Walk w, HostModel h, FibResult r, Ip dst, Ip src, String iif) {
        Step s = lookupStep(h, r, dst, src, iif);
        w.verdict = new Verdict.NoRoute(s);
        return null; // the lookup step is already in the trace when explaining
    }
}
