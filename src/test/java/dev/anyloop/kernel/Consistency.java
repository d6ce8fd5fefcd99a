package dev.anyloop.kernel;

import dev.anyloop.net.Family;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Route;
import dev.anyloop.state.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says where the live (snapshot-read) state differs from the generated one in what decides verdicts:
 * addresses, configured routes, forwarding and rp_filter, listeners, filter and nat rules, wiring.
 * The live state may hold more (kernel routes, link-local addresses, dnsmasq's TCP sockets).
 */
final class Consistency {
    private Consistency() { }

    static List<String> check(dev.anyloop.state.Network generated, dev.anyloop.state.Network live) {
        return check(generated, live, dev.anyloop.apply.Backend.IPTABLES);
    }

    /**
     * With the nft backend the generated iptables rules live as the native table inet anyloop (NftRenderer), so a
     * host with rules must show that table in its nft.json and no iptables rules; the rules themselves are judged
     * by the probes.
     */
    static List<String> check(dev.anyloop.state.Network generated, dev.anyloop.state.Network live, dev.anyloop.apply.Backend backend) {
        List<String> out = new ArrayList<>();
        for (DeviceState g : generated.hosts().values()) {
            Optional<DeviceState> l = live.host(g.host());
            if (l.isEmpty()) {
                out.add(g.host() + ": missing from the snapshot");
                continue;
            }
            host(g, l.get(), out, backend);
        }
        if (!KernelJudge.wiring(generated).equals(KernelJudge.wiring(live))) {
            out.add("segments differ: generated " + KernelJudge.wiring(generated) + ", live " + KernelJudge.wiring(live));
        }
        return out;
    }

    private static void host(DeviceState g, DeviceState l, List<String> out, dev.anyloop.apply.Backend backend) {
        String h = g.host() + ": ";
        for (Address a : g.addresses()) {
            boolean there = l.addresses().stream().anyMatch(x -> x.dev().equals(a.dev()) && x.address().equals(a.address()));
            if (!there) out.add(h + "address " + a.address() + " dev " + a.dev() + " is not live");
        }
        for (Route r : g.routes()) {
            if (r.proto().equals("kernel") && r.family() == Family.V6) continue; // metric and flags are the kernel's
            boolean there = l.routes().stream().anyMatch(x -> sameRoute(r, x));
            if (!there) out.add(h + "route " + r + " is not live; live: " + l.routes(r.family()).stream().filter(x -> x.dst().equals(r.dst())).toList());
        }
        if (g.sysctls().ipv4Forwarding() != l.sysctls().ipv4Forwarding()) out.add(h + "ip_forward differs");
        if (g.sysctls().ipv6Forwarding() != l.sysctls().ipv6Forwarding()) out.add(h + "ipv6 forwarding differs");
        for (Link k : g.links()) {
            if (k.name().equals("lo")) continue;
            if (g.sysctls().rpFilter(k.name()) != l.sysctls().rpFilter(k.name())) {
                out.add(h + "rp_filter on " + k.name() + ": generated " + g.sysctls().rpFilter(k.name()) + ", live " + l.sysctls().rpFilter(k.name()));
            }
        }
        for (Listener x : g.listeners()) {
            boolean there = l.listeners().stream().anyMatch(y -> y.proto() == x.proto() && y.port() == x.port() && y.address().equals(x.address()));
            if (!there) out.add(h + "listener " + x + " is not live; live: " + l.listeners());
        }
        // On the nft backend the lab does what a host does: other tools' rules stay in iptables (LabHost), anyloop's
        // chains and the jumps into them go into its one inet table through the engine.
        boolean nft = backend == dev.anyloop.apply.Backend.NFT;
        if (nft) {
            DeviceState owned = dev.anyloop.apply.Ownership.ownedState(g, true);
            boolean rules = !owned.ipv4().isEmpty() || !owned.ipv6().isEmpty();
            boolean table = l.nftables().table(dev.anyloop.state.nft.NftFamily.INET, dev.anyloop.render.NftRenderer.TABLE).isPresent();
            if (rules != table) out.add(h + "nft table inet anyloop " + (table ? "is live without rules" : "is not live"));
        }
        for (Family f : Family.values()) {
            for (Table t : g.netfilter(f).tables()) {
                for (Chain c : t.chains()) {
                    if (nft && dev.anyloop.apply.Ownership.ownsChain(c.name())) {
                        if (l.netfilter(f).chain(t.name(), c.name()).isPresent()) out.add(h + f.word() + " " + t.name() + " " + c.name() + " is in iptables on the nft backend");
                        continue;
                    }
                    List<dev.anyloop.state.Rule> want = nft ? c.rules().stream().filter(r -> !dev.anyloop.apply.Ownership.ownsRule(r)).toList() : c.rules();
                    Optional<Chain> lc = l.netfilter(f).chain(t.name(), c.name());
                    if (want.isEmpty() && c.policy().map(p -> p instanceof dev.anyloop.state.Target.Accept).orElse(false) && lc.isEmpty()) continue;
                    if (lc.isEmpty()) {
                        out.add(h + f.word() + " " + t.name() + " " + c.name() + " is not live");
                    } else if (!canonical(lc.get().rules()).equals(canonical(want)) || !lc.get().policy().equals(c.policy())) {
                        out.add(h + f.word() + " " + t.name() + " " + c.name() + " differs: generated " + c + ", live " + lc.get());
                    }
                }
            }
        }
    }

    /** Rules with their matches as sets: iptables prints a rule's matches in its own order. */
    private static List<Object> canonical(List<dev.anyloop.state.Rule> rules) {
        return rules.stream().map(r -> (Object) List.of(new java.util.HashSet<>(r.matches()), r.target(), r.comment())).toList();
    }

    private static boolean sameRoute(Route g, Route l) {
        return g.type() == l.type() && g.dst().equals(l.dst()) && g.table() == l.table() && g.metric() == l.metric()
                && g.src().equals(l.src()) && g.nexthops().stream().map(Object::toString).toList()
                .equals(l.nexthops().stream().map(Object::toString).toList());
    }
}
