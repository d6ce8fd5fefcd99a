package dev.anyloop.kernel;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Match;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random filter rules for one generated host: INPUT (T4-style per-address chains), FORWARD (T3-style
 * "only from this interface"), OUTPUT, and a few IPv6 INPUT rules that never touch neighbour discovery.
 */
final class Rules {
    private final Random r;
    private final RandomNetwork net;
    private final HostBuilder hb;

    Rules(Random r, RandomNetwork net, HostBuilder hb) {
        this.r = r;
        this.net = net;
        this.hb = hb;
    }

    private boolean chance(int percent) { return r.nextInt(100) < percent; }

    private <T> T pick(List<T> l) { return l.get(r.nextInt(l.size())); }

    private Target verdict() {
        int k = r.nextInt(10);
        if (k < 4) return new Target.Accept();
        if (k < 7) return new Target.Drop();
        // tcp-reset needs -p tcp; these two fit any rule
        return new Target.Reject(chance(50) ? "icmp-port-unreachable" : "icmp-host-prohibited");
    }

    /** A rule's interesting conditions, not the target. */
    private List<Match> matches(boolean forward) {
        List<Match> m = new ArrayList<>();
        List<Ip> dsts = new ArrayList<>(forward ? net.allLoopbacks() : hb.loopbacks(Family.V4));
        dsts.addAll(forward ? net.allInterfaceAddresses() : hb.interfaceAddresses(Family.V4));
        if (chance(40)) m.add(new Match.Source(chance(70) ? pick(net.lanNets()) : Prefix.host(pick(net.allInterfaceAddresses())), chance(15)));
        if (chance(45) && !dsts.isEmpty()) m.add(new Match.Destination(Prefix.host(pick(dsts)), chance(10)));
        List<String> ifs = RandomNetwork.ifaces(hb);
        if (chance(30)) m.add(new Match.InInterface(chance(85) ? pick(ifs) : "eth+", chance(35)));
        if (forward && chance(20)) m.add(new Match.OutInterface(pick(ifs), chance(30)));
        int p = r.nextInt(10);
        if (p < 4) {
            m.add(new Match.Protocol("tcp", false));
            if (chance(50)) m.add(new Match.DstPorts(List.of(PortRange.of(pick(List.of(22, 80, 443, 8080, 2222)))), chance(10)));
            else if (chance(40)) m.add(new Match.DstPorts(List.of(PortRange.of(22), PortRange.of(80), new PortRange(8000, 8100)), false));
        } else if (p < 6) {
            m.add(new Match.Protocol("udp", false));
            if (chance(60)) m.add(new Match.DstPorts(List.of(PortRange.of(chance(70) ? 53 : 7)), false));
        } else if (p < 8) {
            m.add(new Match.Protocol("icmp", false));
            if (chance(60)) m.add(new Match.IcmpType(chance(80) ? 8 : 0, -1, chance(10)));
        }
        if (chance(12)) m.add(new Match.ConnState(Set.of("NEW"), false));
        return m;
    }

    private static Rule established() {
        return Rule.of(new Target.Accept(), new Match.ConnState(Set.of("ESTABLISHED", "RELATED"), false));
    }

    private void add(String chain, Rule rule) { hb.rule(Family.V4, "filter", chain, rule); }

    /** INPUT: maybe a policy DROP with ESTABLISHED and loopback accepted, random rules, a per-address user chain. */
    void input() {
        boolean strict = chance(35);
        if (strict) hb.policy(Family.V4, "filter", "INPUT", new Target.Drop());
        if (strict ? chance(85) : chance(30)) add("INPUT", established());
        if (strict && chance(70)) add("INPUT", Rule.of(new Target.Accept(), new Match.InInterface("lo", false)));
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) add("INPUT", new Rule(matches(false), verdict(), Optional.empty()));
        List<Ip> lbs = hb.loopbacks(Family.V4);
        if (!lbs.isEmpty() && chance(50)) userChain("INPUT", "LOOPBACK_ADDR", Prefix.host(pick(lbs)));
    }

    /** T4: -d X -j CHAIN (or -g); the chain whitelists, may RETURN, and ends in DROP or falls through. */
    private void userChain(String from, String name, Prefix dst) {
        boolean gotoChain = chance(25);
        hb.chain(Family.V4, "filter", name);
        add(from, Rule.of(gotoChain ? new Target.Goto(name) : new Target.Jump(name), new Match.Destination(dst, false)));
        if (chance(30)) add(name, Rule.of(new Target.Return(), new Match.Source(pick(net.lanNets()), false)));
        List<String> ifs = RandomNetwork.ifaces(hb);
        if (chance(60)) add(name, Rule.of(new Target.Accept(), new Match.InInterface(pick(ifs), false), new Match.Protocol("tcp", false),
                new Match.DstPorts(List.of(PortRange.of(pick(List.of(22, 80, 443, 8080)))), false)));
        if (chance(60)) add(name, Rule.of(new Target.Accept(), new Match.Protocol("icmp", false), new Match.IcmpType(8, -1, false)));
        if (chance(40)) add(name, Rule.of(new Target.Accept(), new Match.Protocol("udp", false), new Match.DstPorts(List.of(PortRange.of(53)), false)));
        if (chance(70)) add(name, Rule.of(chance(70) ? new Target.Drop() : new Target.Reject("icmp-port-unreachable")));
    }

    /** FORWARD on a router: T3 "! -i IF -d X -j DROP", random rules, sometimes policy DROP. */
    void forward() {
        boolean strict = chance(25);
        if (strict) {
            hb.policy(Family.V4, "filter", "FORWARD", new Target.Drop());
            add("FORWARD", established());
        }
        List<Ip> lbs = net.allLoopbacks();
        List<String> ifs = RandomNetwork.ifaces(hb);
        if (!lbs.isEmpty() && chance(50)) {
            add("FORWARD", Rule.of(new Target.Drop(), new Match.InInterface(pick(ifs), true), new Match.Destination(Prefix.host(pick(lbs)), false)));
        }
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) add("FORWARD", new Rule(matches(true), strict ? (chance(70) ? new Target.Accept() : verdict()) : verdict(), Optional.empty()));
        if (chance(30)) {
            hb.chain(Family.V4, "filter", "FWD_CHECK");
            add("FORWARD", Rule.of(new Target.Jump("FWD_CHECK"), new Match.Protocol("tcp", false)));
            add("FWD_CHECK", Rule.of(new Target.Return(), new Match.ConnState(Set.of("ESTABLISHED"), false)));
            add("FWD_CHECK", new Rule(matches(true), verdict(), Optional.empty()));
        }
    }

    /** OUTPUT: a rule or two on what the host itself sends. */
    void output() {
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            List<Match> m = new ArrayList<>();
            List<Ip> dsts = net.allLoopbacks();
            if (!dsts.isEmpty() && chance(60)) m.add(new Match.Destination(Prefix.host(pick(dsts)), false));
            else m.add(new Match.Destination(pick(net.lanNets()), false));
            if (chance(50)) m.add(new Match.Protocol(pick(List.of("tcp", "udp", "icmp")), false));
            if (chance(30)) m.add(new Match.OutInterface("eth0", chance(30)));
            add("OUTPUT", new Rule(m, chance(50) ? new Target.Drop() : new Target.Reject("icmp-port-unreachable"), Optional.empty()));
        }
    }

    /**
     * IPv6 INPUT: only rules on TCP, UDP and echo requests to this host's own global addresses, so
     * neighbour discovery (ICMPv6, which the simulator does not filter) always passes.
     */
    void input6() {
        List<Ip> own = new ArrayList<>(hb.loopbacks(Family.V6));
        own.addAll(hb.interfaceAddresses(Family.V6));
        if (own.isEmpty()) return;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<Match> m = new ArrayList<>();
            m.add(new Match.Destination(Prefix.host(pick(own)), false));
            int k = r.nextInt(3);
            if (k == 0) {
                m.add(new Match.Protocol("ipv6-icmp", false));
                m.add(new Match.IcmpType(128, -1, false));
            } else {
                m.add(new Match.Protocol(k == 1 ? "tcp" : "udp", false));
                if (chance(60)) m.add(new Match.DstPorts(List.of(PortRange.of(k == 1 ? pick(List.of(22, 80, 443, 8080)) : 53)), false));
            }
            Target t = chance(50) ? new Target.Drop() : chance(50) ? new Target.Reject("icmp6-port-unreachable") : new Target.Accept();
            hb.rule(Family.V6, "filter", "INPUT", new Rule(m, t, Optional.empty()));
        }
    }
}
