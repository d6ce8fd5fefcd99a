package dev.anyloop.check;

import dev.anyloop.compile.Compiler;
import dev.anyloop.compile.Provenance;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * T7: takes each host of a multi-host service down in turn and checks the service is still reached, via
 * the next host in preference order. Linux keeps a route whose gateway went silent, so the scenario is
 * what anyloop's health check does: the host is gone and the routes leading to it are withdrawn, on every router
 * (the compiler's provenance says which routes lead to which service host, also past several routers).
 */
public final class Failover {
    private Failover() { }

    /** One failover scenario: {@code service} with its host {@code down} drained, and the checks run on {@code drained}. */
    public record Scenario(String service, String down, Network drained, List<Finding> findings) {
        /** "dns without pi1". */
        public String label() { return service + " without " + down; }
    }

    /** Every T7 scenario of the network: each host of each multi-host service drained in turn, with traced findings. */
    public static List<Scenario> scenarios(Intent intent, Network network) {
        Provenance p = Compiler.compiled(intent).provenance();
        List<String> clients = intent.hosts().keySet().stream().filter(h -> network.hosts().containsKey(h)).toList();
        Map<String, Admission> admission = new HashMap<>();
        for (ServiceDef s : intent.services().values()) admission.put(s.name(), new Admission(intent, s.allow()));
        Simulator sim = Simulator.of(network);
        List<Scenario> out = new ArrayList<>();
        for (Drain d : drains(intent, network, p, sim, clients, admission, Symmetry.none(), new Checker.Families(network))) {
            List<Finding> findings = new ArrayList<>();
            Network drained = d.drained();
            try (Runner r = new Runner(true, true, 1, d.size(), Checker.Progress.NONE)) {
                r.run(d, findings::add);
            }
            out.add(new Scenario(d.service.name(), d.down, drained, findings));
        }
        return out;
    }

    static List<Batch> batches(Intent intent, Network network, Provenance p, Simulator sim, List<String> clients,
                               Map<String, Admission> admission, Symmetry symmetry, Checker.Families families) {
        return List.copyOf(drains(intent, network, p, sim, clients, admission, symmetry, families));
    }

    private static List<Drain> drains(Intent intent, Network network, Provenance p, Simulator sim, List<String> clients,
                                      Map<String, Admission> admission, Symmetry symmetry, Checker.Families families) {
        List<Drain> out = new ArrayList<>();
        Map<Ip, List<String>> routing = routing(network);
        Map<String, java.util.Set<Ip>> gateways = gateways(network);
        for (ServiceDef s : intent.services().values()) {
            if (s.hosts().size() < 2) continue;
            for (String down : s.hosts()) {
                if (network.hosts().containsKey(down)) {
                    out.add(new Drain(network, p, sim, clients, s, down, admission.get(s.name()), symmetry, families, routing, gateways));
                }
            }
        }
        return out;
    }

    /** The hosts with a host route to each address (the only ones a drain can change), in network order. */
    private static Map<Ip, List<String>> routing(Network n) {
        Map<Ip, List<String>> out = new HashMap<>();
        for (DeviceState d : n.hosts().values()) {
            for (Route r : d.routes()) {
                if (!r.dst().isHost()) continue;
                List<String> hs = out.computeIfAbsent(r.dst().network(), k -> new ArrayList<>());
                if (hs.isEmpty() || !hs.get(hs.size() - 1).equals(d.host())) hs.add(d.host());
            }
        }
        return out;
    }

    /** The gateways of every host's default routes. */
    private static Map<String, java.util.Set<Ip>> gateways(Network n) {
        Map<String, java.util.Set<Ip>> out = new HashMap<>();
        for (DeviceState d : n.hosts().values()) {
            java.util.Set<Ip> gws = new java.util.HashSet<>();
            for (Route r : d.routes()) if (r.dst().length() == 0) r.nexthops().forEach(nh -> nh.via().ifPresent(gws::add));
            out.put(d.host(), gws);
        }
        return out;
    }

    /** One scenario as a batch: the drained network's simulator is derived (changed hosts only) when it starts. */
    private static final class Drain implements Batch {
        private final Network network;
        private final Provenance provenance;
        private final ServiceDef service;
        private final String down;
        private final Simulator base;
        private final Admission admission;
        private final List<String> from = new ArrayList<>();
        private final List<Finding> notes = new ArrayList<>();
        private final PortDef probe;
        private final Symmetry symmetry;
        private final Checker.Families families;
        private final Map<Ip, List<String>> routing;
        private int[] standIn;
        private Simulator sim;

        Drain(Network network, Provenance p, Simulator base, List<String> clients, ServiceDef s, String down, Admission admission,
              Symmetry symmetry, Checker.Families families, Map<Ip, List<String>> routing, Map<String, java.util.Set<Ip>> gateways) {
            this.symmetry = symmetry;
            this.families = families;
            this.routing = routing;
            DeviceState gone = network.hosts().get(down);
            this.network = network;
            this.provenance = p;
            this.service = s;
            this.down = down;
            this.base = base;
            this.admission = admission;
            this.probe = s.ports().isEmpty() ? new PortDef(Proto.ICMP, 0) : s.ports().get(0);
            for (String client : clients) {
                if (s.hosts().contains(client) || !admission.admitsClient(client)) continue;
                if (gateways.getOrDefault(client, java.util.Set.of()).stream().anyMatch(gone::hasAddress)) {
                    notes.add(new Finding("T7", Finding.Kind.NOTE, s.name() + ": with " + down + " down, " + client
                            + " loses its gateway too; metric-ordered routes cannot fail over for hosts that route"
                            + " through the service host itself", Optional.empty()));
                    continue;
                }
                from.add(client);
            }
            this.standIn = symmetry.standIns(from);
        }

        @Override
        public int sameAs(int i) {
            int r = standIn[i / service.addresses().size()];
            return r < 0 ? -1 : r * service.addresses().size() + i % service.addresses().size();
        }

        /** The network with {@code down} drained (made anew each time: a scenario keeps nothing between runs). */
        Network drained() {
            List<String> touched = new ArrayList<>();
            for (Ip x : service.addresses()) {
                for (String h : routing.getOrDefault(x, List.of())) if (!touched.contains(h)) touched.add(h);
            }
            return drain(network, provenance, service, down, touched);
        }

        @Override
        public void prepare() { sim = base.derive(drained()); }

        @Override
        public void finish() { sim = null; } // 80 scenarios of a 5,000-host network would otherwise all stay in memory

        @Override
        public List<Finding> notes() { return notes; }

        @Override
        public int size() { return from.size() * service.addresses().size(); }

        @Override
        public Job job(int i) {
            String client = from.get(i / service.addresses().size());
            Ip x = service.addresses().get(i % service.addresses().size());
            if (!families.has(client, x)) return null;
            Flow flow = Flow.of(client, x, probe.proto(), probe.port());
            return new Job(sim, flow, o -> {
                // as in the access check: a client whose kernel picks a source outside allow is expected refused,
                // which the access check already covers
                if (!o.source().map(admission::admits).orElse(true)) return null;
                return Job.Judged.held(o.reachable(), "T7", () -> service.name() + ": with " + down
                        + " down (its routes withdrawn), " + flow + " expected reachable via a backup, " + Checker.outcome(o));
            });
        }
    }


    /**
     * The network without {@code down}, and without every route toward it for the service: the ones the compiler
     * derived toward it (on every router of the path), and any other host route to a service address via an address
     * of {@code down} (one written by hand).
     */
    static Network drain(Network n, Provenance p, ServiceDef s, String down) {
        return drain(n, p, s, down, n.hosts().keySet());
    }

    /** As {@link #drain(Network, Provenance, ServiceDef, String)}, looking at the routes of {@code hosts} only. */
    private static Network drain(Network n, Provenance p, ServiceDef s, String down, java.util.Collection<String> hosts) {
        DeviceState gone = n.hosts().get(down);
        Network out = n.without(down);
        for (String h : hosts) {
            DeviceState d = n.hosts().get(h);
            if (d == null || h.equals(down)) continue;
            List<Route> kept = d.routes().stream().filter(r -> !withdrawn(p, d.host(), r, s, gone)).toList();
            if (kept.size() != d.routes().size()) out = out.with(d.withRoutes(kept));
        }
        return out;
    }

    /**
     * The network without {@code down}, and without any host route to one of {@code addresses} through it: the
     * drain of a snapshot, whose routes no compiler explains (its loopback addresses stand for services).
     */
    public static Network drain(Network n, List<Ip> addresses, String down) {
        DeviceState gone = n.hosts().get(down);
        if (gone == null) throw new IllegalArgumentException("no host '" + down + "' to drain");
        Set<Ip> addrs = gone.addresses().stream().map(Address::address).map(a -> a.ip()).collect(Collectors.toSet());
        Network out = n.without(down);
        for (DeviceState d : out.hosts().values()) {
            List<Route> kept = d.routes().stream().filter(r -> !(r.dst().isHost() && addresses.contains(r.dst().network())
                    && r.nexthops().stream().anyMatch(nh -> nh.via().map(addrs::contains).orElse(false)))).toList();
            if (kept.size() != d.routes().size()) out = out.with(d.withRoutes(kept));
        }
        return out;
    }

    private static boolean withdrawn(Provenance p, String host, Route r, ServiceDef s, DeviceState gone) {
        // every route toward a service host is a host route to one of the service's addresses: the cheap test first
        if (!r.dst().isHost() || !s.addresses().contains(r.dst().network())) return false;
        if (p.route(host, r).map(o -> o.leadsTo(s.name(), gone.host())).orElse(false)) return true;
        return r.nexthops().stream().anyMatch(nh -> nh.via().map(gone::hasAddress).orElse(false));
    }
}
