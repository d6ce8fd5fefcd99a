package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.PortRange;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Network;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * T5: finds filter INPUT rules that look like they hide an address ({@code -d X -j DROP}, or a jump to a
 * chain ending in DROP) while nat PREROUTING DNATs some port of X elsewhere. nat PREROUTING runs before
 * the routing decision, so that traffic is forwarded and INPUT never sees it; the finding carries the
 * round trip that gets through.
 */
final class ShadowedRules {
    private ShadowedRules() { }

    /** A DNAT rule found in nat PREROUTING or a chain it jumps to. */
    private record Dnat(String chain, int index, Rule rule, Proto proto, int port) { }

    static List<Finding> find(Intent intent, Network network, Simulator sim, List<String> clients) {
        List<Finding> out = new ArrayList<>();
        for (DeviceState d : network.hosts().values()) {
            for (Family f : Family.values()) {
                Netfilter nf = d.netfilter(f);
                Optional<Chain> input = nf.chain("filter", "INPUT");
                if (input.isEmpty()) continue;
                List<Dnat> dnats = new ArrayList<>();
                nf.chain("nat", "PREROUTING").ifPresent(c -> collect(nf, c, dnats, new HashSet<>()));
                if (dnats.isEmpty()) continue;
                List<Rule> rules = input.get().rules();
                for (int i = 0; i < rules.size(); i++) {
                    final int ruleNo = i + 1;
                    final Rule rule = rules.get(i);
                    Optional<Ip> hidden = hides(nf, rule);
                    if (hidden.isEmpty()) continue;
                    for (Dnat dn : dnats) {
                        if (!covers(dn.rule, hidden.get())) continue;
                        shadowProof(sim, clients, d.host(), hidden.get(), dn).ifPresent(rt -> out.add(new Finding("T5",
                                Finding.Kind.NOTE, d.host() + ": filter INPUT rule " + ruleNo + " (" + describe(rule)
                                        + ") looks like it hides " + hidden.get() + ", but " + dn.proto.word() + "/" + dn.port
                                        + " to it is DNAT'ed by nat " + dn.chain + " rule " + dn.index + " before INPUT runs: "
                                        + rt.flow() + " is " + Checker.outcome(rt)
                                        + "; restrict published ports in DOCKER-USER (or FORWARD), not INPUT",
                                Optional.of(rt))));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<RoundTrip> shadowProof(Simulator sim, List<String> clients, String host, Ip x, Dnat dn) {
        for (String c : clients) {
            if (c.equals(host)) continue;
            RoundTrip rt = sim.roundTrip(c, x, dn.proto, dn.port);
            if (rt.reachable()) return Optional.of(rt);
        }
        return Optional.empty();
    }

    /** The address a rule hides: {@code -d X/32} (or /128) with a DROP/REJECT, or a jump to a chain ending in one. */
    private static Optional<Ip> hides(Netfilter nf, Rule r) {
        Optional<Ip> dst = r.matches().stream().filter(m -> m instanceof Match.Destination && !m.negated())
                .map(m -> ((Match.Destination) m).prefix()).filter(p -> p.isHost()).map(p -> p.network()).findFirst();
        if (dst.isEmpty()) return Optional.empty();
        Target t = r.target();
        if (t instanceof Target.Drop || t instanceof Target.Reject) return dst;
        if (t instanceof Target.Jump || t instanceof Target.Goto) {
            String name = t instanceof Target.Jump ? ((Target.Jump) t).chain() : ((Target.Goto) t).chain();
            Optional<Chain> c = nf.chain("filter", name);
            if (c.isPresent() && !c.get().rules().isEmpty()) {
                Rule last = c.get().rules().get(c.get().rules().size() - 1);
                if (last.matches().isEmpty() && (last.target() instanceof Target.Drop || last.target() instanceof Target.Reject)) {
                    return dst;
                }
            }
        }
        return Optional.empty();
    }

    private static void collect(Netfilter nf, Chain c, List<Dnat> out, Set<String> seen) {
        if (!seen.add(c.name())) return;
        for (int i = 0; i < c.rules().size(); i++) {
            Rule r = c.rules().get(i);
            if (r.target() instanceof Target.Dnat) {
                Proto p = r.matches().stream().filter(m -> m instanceof Match.Protocol && !m.negated())
                        .map(m -> ((Match.Protocol) m).name()).findFirst().map(n -> "udp".equals(n) ? Proto.UDP : Proto.TCP)
                        .orElse(Proto.TCP);
                Optional<PortRange> port = r.matches().stream().filter(m -> m instanceof Match.DstPorts && !m.negated())
                        .flatMap(m -> ((Match.DstPorts) m).ranges().stream()).findFirst();
                port.ifPresent(pr -> out.add(new Dnat(c.name(), indexOf(c, r), r, p, pr.from())));
            } else if (r.target() instanceof Target.Jump) {
                nf.chain("nat", ((Target.Jump) r.target()).chain()).ifPresent(u -> collect(nf, u, out, seen));
            }
        }
    }

    private static int indexOf(Chain c, Rule r) { return c.rules().indexOf(r) + 1; }

    /** True when a DNAT rule can apply to packets for {@code x}: no destination match, or one holding x. */
    private static boolean covers(Rule dnat, Ip x) {
        for (Match m : dnat.matches()) {
            if (m instanceof Match.Destination) {
                boolean in = ((Match.Destination) m).prefix().contains(x);
                if (in == m.negated()) return false;
            }
        }
        return true;
    }

    private static String describe(Rule r) {
        Target t = r.target();
        String target = t instanceof Target.Jump ? "-j " + ((Target.Jump) t).chain() : t.getClass().getSimpleName().toUpperCase();
        return r.matches().stream().filter(m -> m instanceof Match.Destination).map(m -> "-d " + ((Match.Destination) m).prefix())
                .findFirst().orElse("") + " " + target;
    }
}
