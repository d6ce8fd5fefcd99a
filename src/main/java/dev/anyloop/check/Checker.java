package dev.anyloop.check;

import dev.anyloop.compile.Compiler;
import dev.anyloop.compile.Provenance;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.Outcome;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Derives every check that network.yaml implies and runs it on the simulator: the {@code expect:}
 * entries, who may and may not reach each service (T3/T4), services hidden from the gateway's
 * interface addresses (T6), routes back to loopback sources (T8), rules that do not protect what they
 * seem to (T5), segment fences (may-reach) and failover when each service host goes down (T7).
 *
 * <p>Checks are planned first (their number is known before any runs, for a progress bar), then run in batches on
 * every core. {@link #run(Intent, Network)} keeps every finding with its traced proof; {@link #run(Intent, Network,
 * Provenance, Options, Consumer)} can run the trace-free path and trace only what fails.
 */
public final class Checker {
    /** Told how many checks are done, of how many, as they complete (from the checking threads). */
    public interface Progress {
        void update(long done, long total);

        /** What is being done before the checks run ("building the simulator"). */
        default void stage(String what) { }

        Progress NONE = (done, total) -> { };
    }

    /**
     * How to run: on how many threads; whether every check is a traced round trip ({@code traceAll}, what the lab and
     * the tests read); whether passing findings are handed on ({@code keepPasses}) or only counted.
     */
    public record Options(int threads, boolean traceAll, boolean keepPasses, boolean classes, Progress progress) {
        /** Every finding, each with its traced proof. */
        public static Options full() {
            return new Options(Runtime.getRuntime().availableProcessors(), true, true, false, Progress.NONE);
        }

        /**
         * The command line's: passes only counted, the trace-free path, and with {@code classes} one client of each
         * {@link Symmetry} class simulated for its class (only valid on the network compiled from the intent).
         */
        public static Options fast(int threads, boolean classes, Progress progress) {
            return new Options(threads, false, false, classes, progress);
        }
    }

    /** How many checks passed and failed and how many notes there were. */
    public record Summary(long passed, long failed, long notes) { }

    private final Intent intent;
    private final Network network;
    private final Provenance provenance;
    private final Simulator sim;
    private final Options options;
    private final List<String> clients;
    private final Map<String, Admission> admission = new HashMap<>();
    private final Symmetry symmetry;
    private final Families families;

    private Checker(Intent intent, Network network, Provenance provenance, Options options) {
        this.intent = intent;
        this.network = network;
        this.provenance = provenance;
        this.options = options;
        long t = System.nanoTime();
        options.progress().stage(String.format("building the simulator of %,d hosts", network.hosts().size()));
        this.sim = Simulator.of(network);
        phase("simulator", t);
        this.clients = intent.hosts().keySet().stream().filter(h -> network.hosts().containsKey(h)).toList();
        this.families = new Families(network);
        for (ServiceDef s : intent.services().values()) admission.put(s.name(), new Admission(intent, s.allow()));
        this.symmetry = options.classes() && !options.traceAll() && !options.keepPasses() ? Symmetry.of(intent) : Symmetry.none();
    }

    /** Runs every check with its traced proof; the order is the file's order, expectations first. */
    public static List<Finding> run(Intent intent, Network network) {
        List<Finding> out = new ArrayList<>();
        run(intent, network, Compiler.compiled(intent).provenance(), Options.full(), out::add);
        return out;
    }

    /** Runs every check; findings go to {@code sink} in plan order (passes only with keepPasses). */
    public static Summary run(Intent intent, Network network, Provenance provenance, Options options, Consumer<Finding> sink) {
        return new Checker(intent, network, provenance, options).all(sink);
    }

    /** With -Danyloop.check.timing=true, prints how long each part took (for the benchmark). */
    private static long phase(String what, long t0) {
        long now = System.nanoTime();
        if (Boolean.getBoolean("anyloop.check.timing")) {
            System.err.printf("check: %-22s %6.2f s (process CPU so far %.2f s)%n", what, (now - t0) / 1e9, cpu());
        }
        return now;
    }

    /** CPU time of the whole JVM so far, every thread (the JIT and the GC included). */
    public static double cpu() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9 : 0;
    }

    private Summary all(Consumer<Finding> sink) {
        long t = System.nanoTime();
        options.progress().stage("planning the checks");
        long[] counts = new long[2];
        Consumer<Finding> counted = f -> {
            if (f.kind() == Finding.Kind.FAIL) counts[0]++;
            if (f.kind() == Finding.Kind.NOTE) counts[1]++;
            sink.accept(f);
        };
        Batch expect = expectations();
        List<Batch> access = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) for (Ip x : s.addresses()) access.add(access(s, x));
        Batch t8 = sourceAddresses();
        List<Batch> fences = SegmentFences.batches(intent, network, sim, clients);
        List<Batch> failover = Failover.batches(intent, network, provenance, sim, clients, admission, symmetry, families);
        long total = expect.size() + t8.size();
        for (List<Batch> bs : List.of(access, fences, failover)) for (Batch b : bs) total += b.size();
        t = phase("plan", t);
        try (Runner r = new Runner(options.traceAll(), options.keepPasses(), options.threads(), total, options.progress())) {
            r.run(expect, counted);
            for (Batch b : access) r.run(b, counted);
            t = phase("expect + access", t);
            // T6 stops at the first client that reaches the host: a few sequential round trips
            hidden(f -> r.emit(f, counted), r.traceAll());
            r.run(t8, counted);
            for (Batch b : fences) r.run(b, counted);
            for (Finding f : ShadowedRules.find(intent, network, sim, clients)) r.emit(f, counted);
            for (Finding f : WildcardUdp.check(intent)) r.emit(f, counted);
            for (Finding f : Redirects.check(intent, network, sim)) r.emit(f, counted);
            t = phase("T6 T8 fences T5", t);
            r.runAll(failover, counted);
            phase("failover", t);
            return new Summary(r.passed(), counts[0], counts[1]);
        }
    }

    private Batch expectations() {
        List<Job> jobs = new ArrayList<>();
        for (ExpectDef e : intent.expectations()) {
            for (Ip dst : resolve(e.to())) {
                // a service name stands for its addresses of the families the client speaks
                if (intent.services().containsKey(e.to()) && !families.has(e.from(), dst)) continue;
                Flow flow = Flow.of(e.from(), dst, e.proto(), e.port());
                jobs.add(new Job(sim, flow, o -> Job.Judged.held(o.reachable() == e.reachable(), "expect",
                        () -> "line " + e.pos().line() + ": " + flow + " expected " + (e.reachable() ? "reachable" : "not reachable")
                                + ", " + outcome(o))));
            }
        }
        return list(jobs);
    }

    /**
     * T3/T4: each port of each service from each client: reachable exactly when the intent allows the
     * source address the client's kernel picks (a router's own traffic may leave from an address
     * outside the segment that makes it "allowed").
     */
    private Batch access(ServiceDef s, Ip x) {
        List<String> from = clients.stream().filter(c -> !s.hosts().contains(c) && families.has(c, x)).toList();
        List<Flow> probes = new ArrayList<>();
        // ICMP echo belongs to the address: checked once, with the first service there
        List<ServiceDef> at = intent.servicesAt(x);
        boolean echo = at.get(0) == s;
        for (PortDef p : probes(s)) {
            if (p.proto() != Proto.ICMP || echo) probes.add(Flow.of(from.isEmpty() ? "" : from.get(0), x, p.proto(), p.port()));
        }
        Admission adm = admission.get(s.name());
        int[] standIn = symmetry.standIns(from);
        return new Batch() {
            @Override
            public int size() { return from.size() * probes.size(); }

            @Override
            public int sameAs(int i) {
                int r = standIn[i / probes.size()];
                return r < 0 ? -1 : r * probes.size() + i % probes.size();
            }

            @Override
            public Job job(int i) {
                String client = from.get(i / probes.size());
                Flow p = probes.get(i % probes.size());
                Flow flow = Flow.of(client, x, p.proto(), p.port());
                return new Job(sim, flow, o -> {
                    boolean allowed = o.source().map(adm::admits).orElseGet(() -> adm.admitsClient(client));
                    boolean expect = allowed && (p.proto() != Proto.ICMP || s.ping());
                    if (p.proto() == Proto.ICMP && at.size() > 1) {
                        // a shared address answers echo when any of its services with ping: true admits the source
                        expect = at.stream().anyMatch(o2 -> o2.ping() && o.source().map(admission.get(o2.name())::admits)
                                .orElseGet(() -> admission.get(o2.name()).admitsClient(client)));
                        allowed = expect || allowed;
                    }
                    boolean expected = expect;
                    boolean admitted = allowed;
                    String echoNote = p.proto() == Proto.ICMP && at.size() > 1 ? "; echo to " + x + " is answered when a service there with"
                            + " ping: true admits the source" : "";
                    return Job.Judged.held(o.reachable() == expected, expected ? "T2/T4" : (admitted ? "T4" : "T3/T4"),
                            () -> s.name() + ": " + flow + " expected " + (expected ? "reachable" : "refused") + " ("
                                    + adm.explain(o.source(), client) + (admitted && !expected ? "; ping: false" : "") + echoNote + "), "
                                    + outcome(o));
                });
            }
        };
    }

    /** T6: a service bound to its address only is not found at its hosts' interface addresses. */
    private void hidden(Consumer<Finding> out, boolean traceAll) {
        for (ServiceDef s : intent.services().values()) {
            if (s.bind() != Intent.Bind.ADDRESS || s.docker().isPresent()) continue;
            Admission adm = admission.get(s.name());
            for (String h : s.hosts()) {
                HostDef hd = intent.hosts().get(h);
                for (InterfaceDef i : hd.interfaces().values()) {
                    for (InterfaceAddress a : i.addresses()) {
                        if (a.ip().isLinkLocal()) continue;
                        for (PortDef p : s.ports()) {
                            hiddenAt(s, adm, h, a.ip(), p, traceAll).ifPresent(out);
                        }
                    }
                }
            }
        }
    }

    /**
     * One T6 probe: from the first allowed client whose packet reaches {@code host}, to the interface address;
     * it holds when {@code host} itself leaves it unanswered (no listener, or a rule), not when it never got there.
     */
    private Optional<Finding> hiddenAt(ServiceDef s, Admission adm, String host, Ip addr, PortDef p, boolean traceAll) {
        for (String c : clients) {
            if (c.equals(host) || !adm.admitsClient(c) || !families.has(c, addr)) continue;
            Flow flow = Flow.of(c, addr, p.proto(), p.port());
            Outcome o = sim.outcome(flow);
            boolean atHost = o.verdict().step().host().equals(host) || o.reachable();
            if (!atHost) continue;
            boolean held = !o.reachable();
            String msg = s.name() + ": " + flow + " at " + host + "'s interface address expected not answered, " + outcome(o);
            Optional<RoundTrip> proof = traceAll || !held ? Optional.of(sim.roundTrip(flow)) : Optional.empty();
            return Optional.of(new Finding("T6", held ? Finding.Kind.PASS : Finding.Kind.FAIL, msg, proof));
        }
        return Optional.empty();
    }

    /**
     * T8: every peer in the prefix answers the host, and the host's packets carry the loopback source; a service
     * address inside the prefix (a source intent toward one service) is such a peer too.
     */
    private Batch sourceAddresses() {
        List<Job> jobs = new ArrayList<>();
        for (SourceDef src : intent.sources()) {
            for (ServiceDef s : intent.services().values()) {
                if (s.hosts().contains(src.host())) continue;
                // echo when the service answers it, else its first port
                PortDef probe = s.ping() || s.ports().isEmpty() ? new PortDef(Proto.ICMP, 0) : new PortDef(s.ports().get(0).proto(),
                        s.ports().get(0).port());
                for (Ip x : s.addresses()) {
                    if (!src.to().contains(x)) continue;
                    Flow flow = Flow.of(src.host(), x, probe.proto(), probe.port());
                    jobs.add(new Job(sim, flow, o -> Job.Judged.held(o.reachable() && o.source().equals(Optional.of(src.from())), "T8",
                            () -> src.host() + " -> service " + s.name() + " (" + flow + "): expected source " + src.from()
                                    + " and a route back, got source " + o.source().map(Ip::toString).orElse("none") + ", " + outcome(o))));
                }
            }
            for (HostDef peer : intent.hosts().values()) {
                if (peer.name().equals(src.host())) continue;
                for (InterfaceDef i : peer.interfaces().values()) {
                    for (InterfaceAddress a : i.addresses()) {
                        if (!src.to().contains(a.ip())) continue;
                        Flow flow = Flow.of(src.host(), a.ip(), Proto.ICMP, 0);
                        jobs.add(new Job(sim, flow, o -> Job.Judged.held(o.reachable() && o.source().equals(Optional.of(src.from())), "T8",
                                () -> src.host() + " -> " + peer.name() + " (" + a.ip() + "): expected source " + src.from()
                                        + " and a route back, got source " + o.source().map(Ip::toString).orElse("none") + ", " + outcome(o))));
                    }
                }
            }
        }
        return list(jobs);
    }

    static Batch list(List<Job> jobs) {
        return new Batch() {
            @Override
            public int size() { return jobs.size(); }

            @Override
            public Job job(int i) { return jobs.get(i); }
        };
    }

    /** True when {@code host} has an address of {@code dst}'s family besides loopback ones (it can send to dst). */
    static boolean hasFamily(Network network, String host, Ip dst) {
        DeviceState d = network.hosts().get(host);
        for (Address a : d.addresses()) {
            if (a.address().family() == dst.family() && !a.address().ip().isLoopback() && !a.dev().equals("lo")) return true;
        }
        return false;
    }

    /** {@link #hasFamily} for every host of a network, worked out once (a check asks it for every client and service). */
    static final class Families {
        private final Map<String, Integer> bits = new HashMap<>();

        Families(Network n) {
            for (String h : n.hosts().keySet()) {
                int b = (hasFamily(n, h, Ip.zero(dev.anyloop.net.Family.V4)) ? 1 : 0) | (hasFamily(n, h, Ip.zero(dev.anyloop.net.Family.V6)) ? 2 : 0);
                bits.put(h, b);
            }
        }

        boolean has(String host, Ip dst) { return (bits.getOrDefault(host, 0) & (dst.isV4() ? 1 : 2)) != 0; }
    }

    /** The transport probes a service is checked with: the first and last port of each range, and ICMP echo. */
    static List<PortDef> probes(ServiceDef s) {
        List<PortDef> out = new ArrayList<>();
        for (PortDef p : s.ports()) {
            out.add(new PortDef(p.proto(), p.port()));
            if (!p.single()) out.add(new PortDef(p.proto(), p.last()));
        }
        out.add(new PortDef(Proto.ICMP, 0));
        return out;
    }

    /** Resolves an expectation target: a service name (each of its addresses) or an address. */
    List<Ip> resolve(String to) {
        ServiceDef s = intent.services().get(to);
        return s != null ? s.addresses() : List.of(Ip.parse(to));
    }

    static String outcome(Outcome o) {
        if (o.reachable()) return "reachable (answered by " + o.answeredBy().orElse("?") + ")";
        return "not reachable: " + o.verdict().describe();
    }

    static String outcome(RoundTrip rt) { return outcome(Outcome.of(rt)); }

}
