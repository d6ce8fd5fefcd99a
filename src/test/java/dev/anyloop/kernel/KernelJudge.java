package dev.anyloop.kernel;

import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.NetnsTarget;
import dev.anyloop.os.Snapshotter;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The Linux kernel as the judge of the simulator: builds a network with the lab (iptables backend),
 * snapshots every host namespace with the plain commands, reads the snapshot back, and compares each
 * real probe with the simulator's verdict on the snapshot-read (live) network.
 */
final class KernelJudge {
    /** Probes in flight at once: each mostly waits on a veth or a timeout, not on a CPU. */
    static final int PROBE_THREADS = Integer.getInteger("anyloop.kernel.threads", 12);

    private final Netns netns = new Netns(new CommandRunner(Duration.ofSeconds(20)));
    private final CommandRunner runner = new CommandRunner(Duration.ofSeconds(20));

    /** One probe the kernel and the simulator answered differently. */
    record Disagreement(String network, KernelProbe probe, boolean kernel, String kernelDetail, RoundTrip sim) {
        String render() {
            return "DISAGREE " + network + ": " + probe + ": kernel " + (kernel ? "REACHABLE" : "NOT REACHABLE") + " (" + kernelDetail
                    + "), simulator " + (sim.reachable() ? "REACHABLE" : "NOT REACHABLE") + " (" + sim.verdict().describe() + ")\n"
                    + sim.render();
        }
    }

    /** What one network gave. */
    record Result(String network, int probes, int agreed, int reachable, List<Disagreement> disagreements, List<String> inconsistencies,
                  double upSeconds, double probeSeconds) { }

    /** Chooses the probes once the live network is known. */
    interface ProbePlanner extends Function<Network, List<KernelProbe>> { }

    /**
     * Builds {@code generated} as lab {@code lab}, snapshots it into {@code dir}, checks the live state
     * against the generated one, runs {@code planner}'s probes and compares each with the simulator.
     */
    Result judge(String lab, Network generated, Path dir, ProbePlanner planner) throws Exception {
        return judge(lab, generated, dir, planner, dev.anyloop.apply.Backend.IPTABLES, Map.of());
    }

    /**
     * As {@link #judge(String, Network, Path, ProbePlanner)} with the lab's firewall backend, and a native nftables
     * ruleset ({@code nft -f} text) loaded on some hosts after the lab is up, as a host's own nftables.service would.
     */
    Result judge(String lab, Network generated, Path dir, ProbePlanner planner, dev.anyloop.apply.Backend backend, Map<String, String> nft)
            throws Exception {
        Map<String, List<Setup>> setup = new java.util.LinkedHashMap<>();
        nft.forEach((h, text) -> setup.put(h, List.of(new Setup(List.of("nft", "-f", "-"), text))));
        return judgeWith(lab, generated, dir, planner, backend, setup);
    }

    /** Which next hop the kernel's flow hash picks for a probe ("10.1.0.2"), asked of the live lab. */
    interface KernelPath {
        String via(Netns netns, LabPlan plan, KernelProbe p);
    }

    /**
     * Multipath flows: the kernel's path (from {@code kernelPath}) must be one the simulator walked, and the probe's
     * outcome that path's verdict. Probes on one path are judged as by {@link #judgeWith}.
     */
    Result judgeMultipath(String lab, Network generated, Path dir, ProbePlanner planner, KernelPath kernelPath) throws Exception {
        return run(lab, generated, dir, planner, dev.anyloop.apply.Backend.IPTABLES, Map.of(), kernelPath);
    }

    /** A command run in a host's namespace after the lab is up and before the snapshot, with its stdin. */
    record Setup(List<String> argv, String stdin) { }

    /**
     * As {@link #judge(String, Network, Path, ProbePlanner)} with the lab's firewall backend and commands run on some
     * hosts once the lab is up (a host's own nftables.service, ipset restore, iptables-restore --noflush).
     */
    Result judgeWith(String lab, Network generated, Path dir, ProbePlanner planner, dev.anyloop.apply.Backend backend,
                     Map<String, List<Setup>> setup) throws Exception {
        return run(lab, generated, dir, planner, backend, setup, null);
    }

    private Result run(String lab, Network generated, Path dir, ProbePlanner planner, dev.anyloop.apply.Backend backend,
                       Map<String, List<Setup>> setup, KernelPath kernelPath) throws Exception {
        long t0 = System.nanoTime();
        LabPlan plan = LabPlan.of(lab, generated);
        Lab l = Lab.up(plan, generated, backend);
        try {
            for (Map.Entry<String, List<Setup>> e : setup.entrySet()) {
                for (Setup c : e.getValue()) {
                    netns.exec(plan.namespaceOf(e.getKey()), c.argv(), Optional.of(c.stdin()), Duration.ofSeconds(20)).orThrow();
                }
            }
            KernelDiagnostics diag = new KernelDiagnostics(netns, plan, dir);
            diag.linksAfterUp();
            Network live = snapshot(plan, generated, dir);
            long t1 = System.nanoTime();
            List<String> problems = Consistency.check(generated, live, backend);
            List<KernelProbe> probes = planner.apply(live);
            probes = KernelDiagnostics.only(probes);
            long tp = System.nanoTime();
            List<KernelProbe.Outcome> outcomes = parallel(probes, p -> {
                long ts = System.nanoTime();
                KernelProbe.Outcome o = send(plan, p);
                return new KernelProbe.Outcome(o.reachable(), o.detail() + String.format(" [sent %.2f s after the first probe, took %.2f s]",
                        (ts - tp) / 1e9, (System.nanoTime() - ts) / 1e9));
            });
            long t2 = System.nanoTime();
            Simulator sim = Simulator.of(live);
            List<Disagreement> bad = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                KernelProbe p = probes.get(i);
                KernelProbe.Outcome o = outcomes.get(i);
                RoundTrip rt = kernelPath == null ? null : sim.roundTrip(p.flow());
                if (rt != null && !rt.paths().isEmpty()) {
                    String via = kernelPath.via(netns, plan, p);
                    Optional<RoundTrip> taken = rt.paths().stream().filter(x -> x.render().contains("(via " + via + " dev ")).findFirst();
                    if (taken.isEmpty()) {
                        bad.add(new Disagreement(lab, p, o.reachable(), o.detail() + "; the kernel's path via " + via + " is not among the simulator's", rt));
                    } else if (taken.get().reachable() != o.reachable()) {
                        bad.add(new Disagreement(lab, p, o.reachable(), o.detail() + "; on the kernel's path via " + via, taken.get()));
                    }
                    continue;
                }
                if (sim.reachable(p.flow()) != o.reachable()) bad.add(new Disagreement(lab, p, o.reachable(), o.detail(), sim.roundTrip(p.flow())));
            }
            diag.after(bad, p -> send(plan, p));
            int reachable = (int) outcomes.stream().filter(KernelProbe.Outcome::reachable).count();
            return new Result(lab, probes.size(), probes.size() - bad.size(), reachable, bad, problems, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        } finally {
            l.close();
        }
    }

    /**
     * Sends {@code p}. A UDP probe without an answer is sent up to twice more, an echo request that timed out
     * without an ICMP error once more: a datagram can be lost on this loaded 2-core machine without the network
     * being at fault (the lab's UDP stand-in lost 10-60% while it answered through /bin/echo; see
     * LabService.socat). A refusal (ICMP port unreachable, TCP reset) is an answer and is not retried.
     */
    private KernelProbe.Outcome send(LabPlan plan, KernelProbe p) {
        int tries = p.proto() == dev.anyloop.net.Proto.TCP ? 1 : p.proto() == dev.anyloop.net.Proto.ICMP ? 2 : 3;
        KernelProbe.Outcome o = null;
        for (int i = 0; i < tries; i++) {
            if (o != null && (o.reachable() || o.detail().contains("error") || o.detail().contains("refused"))) break;
            o = p.read(netns.exec(plan.namespaceOf(p.from()), p.argv(), p.stdin(), Duration.ofSeconds(5)));
        }
        return o;
    }

    /**
     * Every host namespace with {@link Snapshotter} into {@code dir/HOST}, and links.txt naming the
     * point-to-point segments (a bridged segment is found again by its shared subnet).
     */
    private Network snapshot(LabPlan plan, Network generated, Path dir) throws Exception {
        parallel(List.copyOf(generated.hosts().keySet()), host -> {
            try {
                new Snapshotter(new NetnsTarget(plan.namespaceOf(host), runner)).snapshot(dir.resolve(host));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return host;
        });
        StringBuilder links = new StringBuilder();
        for (Segment seg : generated.segments()) {
            if (seg.ports().size() != 2) continue;
            Segment.Port a = seg.ports().get(0);
            Segment.Port b = seg.ports().get(1);
            links.append(a.host()).append(' ').append(a.dev()).append(' ').append(b.host()).append(' ').append(b.dev()).append('\n');
        }
        Files.writeString(dir.resolve(SnapshotReader.LINKS), links.toString(), StandardCharsets.UTF_8);
        return SnapshotReader.read(dir);
    }

    /** {@code f} over {@code items} on a bounded pool; results in input order. */
    static <T, R> List<R> parallel(List<T> items, Function<T, R> f) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PROBE_THREADS, items.size())));
        try {
            List<Future<R>> fs = new ArrayList<>();
            for (T t : items) fs.add(pool.submit(() -> f.apply(t)));
            List<R> out = new ArrayList<>();
            for (Future<R> fu : fs) out.add(fu.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Segments as sorted port lists, for comparing two networks' wiring regardless of names and order. */
    static List<List<String>> wiring(Network n) {
        List<List<String>> out = new ArrayList<>();
        for (Segment s : n.segments()) out.add(s.ports().stream().map(Segment.Port::toString).sorted().toList());
        out.sort(Comparator.comparing(Object::toString));
        return out;
    }
}
