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
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        for (Drain d : drains(intent, network, p, sim, clients, admission)) {
            List<Finding> findings = new ArrayList<>();
            try (Runner r = new Runner(true, true, 1, d.size(), Checker.Progress.NONE)) {
                r.run(d, findings::add);
            }
            out.add(new Scenario(d.service.name(), d.down, d.drained, findings));
        }
        return out;
    }

    static List<Batch> batches(Intent intent, Network network, Provenance p, Simulator sim, List<String> clients,
                               Map<String, Admission> admission) {
        return List.copyOf(drains(intent, network, p, sim, clients, admission));
    }

    private static List<Drain> drains(Intent intent, Network network, Provenance p, Simulator sim, List<String> clients,
                                      Map<String, Admission> admission) {
        List<Drain> out = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) {
            if (s.hosts().size() < 2) continue;
            for (String down : s.hosts()) {
                if (network.hosts().containsKey(down)) out.add(new Drain(network, p, sim, clients, s, down, admission.get(s.name())));
            }
        }
        return out;
    }

    /** One scenario as a batch: the drained network's simulator is derived (changed hosts only) when it starts. */
    private static final class Drain implements Batch {
        private final Network network;
        private final ServiceDef service;
        private final String down;
        private final Network drained;
        private final Simulator base;
        private final Admission admission;
        private final List<String> from = new ArrayList<>();
        private final List<Finding> notes = new ArrayList<>();
        private final PortDef probe;
        private Simulator sim;

        Drain(Network network, Provenance p, Simulator base, List<String> clients, ServiceDef s, String down, Admission admission) {
            this.network = network;
            this.service = s;
            this.down = down;
            this.base = base;
            this.admission = admission;
            this.drained = drain(network, p, s, down);
            this.probe = s.ports().isEmpty() ? new PortDef(Proto.ICMP, 0) : s.ports().get(0);
            for (String client : clients) {
                if (s.hosts().contains(client) || !admission.admitsClient(client)) continue;
                if (gatewayIs(network, client, down)) {
                    notes.add(new Finding("T7", Finding.Kind.NOTE, s.name() + ": with " + down + " down, " + client
                            + " loses its gateway too; metric-ordered routes cannot fail over for hosts that route"
                            + " through the service host itself", Optional.empty()));
                    continue;
                }
                from.add(client);
            }
        }

        @Override
        public void prepare() { sim = base.derive(drained); }

        @Override
        public List<Finding> notes() { return notes; }

        @Override
        public int size() { return from.size() * service.addresses().size(); }

        @Override
        public Job job(int i) {
            String client = from.get(i / service.addresses().size());
            Ip x = service.addresses().get(i % service.addresses().size());
            if (!Checker.hasFamily(network, client, x)) return null;
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

    /** True when a default route of {@code client} goes through an address of {@code host}. */
    static boolean gatewayIs(Network n, String client, String host) {
        DeviceState h = n.hosts().get(host);
        return n.hosts().get(client).routes().stream().filter(r -> r.dst().length() == 0)
                .flatMap(r -> r.nexthops().stream()).anyMatch(nh -> nh.via().map(h::hasAddress).orElse(false));
    }

    /**
     * The network without {@code down}, and without every route toward it for the service: the ones the compiler
     * derived toward it (on every router of the path), and any other host route to a service address via an address
     * of {@code down} (one written by hand).
     */
    static Network drain(Network n, Provenance p, ServiceDef s, String down) {
        DeviceState gone = n.hosts().get(down);
        Network out = n.without(down);
        for (DeviceState d : n.hosts().values()) {
            if (d.host().equals(down)) continue;
            List<Route> kept = d.routes().stream().filter(r -> !withdrawn(p, d.host(), r, s, gone)).toList();
            if (kept.size() != d.routes().size()) out = out.with(d.withRoutes(kept));
        }
        return out;
    }

    private static boolean withdrawn(Provenance p, String host, Route r, ServiceDef s, DeviceState gone) {
        if (p.route(host, r).map(o -> o.leadsTo(s.name(), gone.host())).orElse(false)) return true;
        return r.dst().isHost() && s.addresses().contains(r.dst().network())
                && r.nexthops().stream().anyMatch(nh -> nh.via().map(gone::hasAddress).orElse(false));
    }
}
