package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.sim.FibResult;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import dev.anyloop.state.SysctlKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * T3 and ICMP redirects (IPv4): a router that forwards a packet back out the device it came in on, with
 * send_redirects on for that device, tells the sender to use the next hop directly when the sender and that next hop
 * share a subnet of the device (__mkroute_input sets IPSKB_DOREDIRECT, ip_forward sends it). A host that accepts it
 * then talks to the next hop itself: the router's FORWARD fence no longer sees its packets. A note for each host,
 * service address and router where that happens.
 */
final class Redirects {
    private Redirects() { }

    static List<Finding> check(Intent intent, Network network, Simulator sim) {
        Set<String> seen = new LinkedHashSet<>();
        List<Finding> out = new ArrayList<>();
        // only a segment with a port that could send a redirect is walked: the compiler turns send_redirects off, so
        // on a compiled network none is, and the 5,000 clients' FIBs are not even built (check's symmetry classes)
        List<Segment> redirecting = network.segments().stream().filter(seg -> seg.ports().stream().anyMatch(p -> mayRedirect(network, p))).toList();
        if (redirecting.isEmpty()) return out;
        Map<String, Map<Ip, List<Segment.Port>>> holders = new HashMap<>();
        for (Segment seg : redirecting) holders.put(seg.name(), holders(network, seg));
        for (ServiceDef s : intent.services().values()) {
            for (Ip x : s.addresses()) {
                if (!x.isV4()) continue;
                for (Segment seg : redirecting) {
                    for (Segment.Port client : seg.ports()) note(network, sim, holders.get(seg.name()), client, s, x, seen, out);
                }
            }
        }
        return out;
    }

    /** The ports of {@code seg} by the IPv4 subnet address they hold there, in the segment's order. */
    private static Map<Ip, List<Segment.Port>> holders(Network network, Segment seg) {
        Map<Ip, List<Segment.Port>> by = new HashMap<>();
        for (Segment.Port p : seg.ports()) {
            network.host(p.host()).flatMap(d -> v4(d, p.dev())).ifPresent(a -> by.computeIfAbsent(a.ip(), k -> new ArrayList<>(1)).add(p));
        }
        return by;
    }

    /** Whether {@code p} forwards with send_redirects on and has an IPv4 subnet there: the router a note needs. */
    private static boolean mayRedirect(Network network, Segment.Port p) {
        return network.host(p.host()).map(r -> v4(r, p.dev()).isPresent() && redirects(r, p.dev())).orElse(false);
    }

    /** Whether {@code r} forwards on {@code dev} and sends redirects there (ip_forward, send_redirects). */
    private static boolean redirects(DeviceState r, String dev) {
        return r.sysctls().ipv4Forwarding(dev) && r.sysctls().get(SysctlKey.SEND_REDIRECTS, dev) != 0;
    }

    private static void note(Network network, Simulator sim, Map<Ip, List<Segment.Port>> holders, Segment.Port client, ServiceDef s, Ip x, Set<String> seen,
                             List<Finding> out) {
        DeviceState c = network.host(client.host()).orElse(null);
        if (c == null) return;
        Optional<InterfaceAddress> caddr = v4(c, client.dev());
        if (caddr.isEmpty()) return;
        FibResult cr = sim.fib(client.host(), Family.V4).lookup(x, Ip.zero(Family.V4), "lo");
        if (!cr.usable() || cr.type() != Route.Type.UNICAST) return;
        NextHop first = cr.route().get().nexthops().get(0);
        if (!first.dev().equals(client.dev()) || first.via().isEmpty()) return;
        Ip gw = first.via().get();
        for (Segment.Port rp : holders.getOrDefault(gw, List.of())) {
            DeviceState r = network.host(rp.host()).orElse(null);
            if (r == null || rp.equals(client)) continue;
            if (!redirects(r, rp.dev())) return;
            FibResult rr = sim.fib(rp.host(), Family.V4).lookup(x, caddr.get().ip(), rp.dev());
            if (!rr.usable() || rr.type() != Route.Type.UNICAST) return;
            NextHop out2 = rr.route().get().nexthops().get(0);
            if (!out2.dev().equals(rp.dev())) return;
            Ip next = out2.via().orElse(x);
            // the redirect names the next hop only when the sender could reach it on that subnet (inet_addr_onlink)
            if (!v4(r, rp.dev()).map(a -> a.network().contains(caddr.get().ip()) && a.network().contains(next)).orElse(false)) return;
            if (!seen.add(client.host() + " " + x + " " + rp.host())) return;
            out.add(new Finding("T3", Finding.Kind.NOTE, client.host() + " reaches " + s.name() + " " + x + " through " + rp.host() + " ("
                    + gw + "), which forwards it back out " + rp.dev() + " to " + next + " with send_redirects on: " + rp.host()
                    + " sends " + client.host() + " an ICMP redirect, and once " + client.host() + " accepts it, it sends to " + next
                    + " directly and " + rp.host() + "'s FORWARD fence no longer applies; route " + x + " via " + next + " on "
                    + client.host() + ", or set net.ipv4.conf." + rp.dev() + ".send_redirects=0 and net.ipv4.conf.all.send_redirects=0 on "
                    + rp.host(), Optional.empty()));
            return;
        }
    }

    private static Optional<InterfaceAddress> v4(DeviceState d, String dev) {
        return d.addressesOn(dev).stream().map(Address::address).filter(a -> a.family() == Family.V4 && !a.network().isHost()).findFirst();
    }
}
