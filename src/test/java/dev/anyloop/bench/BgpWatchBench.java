package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.LabWatch;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Health-driven BGP failover as a client sees it (issue 12, item 5): examples/anycast.yaml with a health: section,
 * BIRD (BFD on) on every server and router, {@code anyloop watch} on every server ({@code lab watch}), and client-a
 * querying 10.53.0.53 every 5 ms ({@link DnsProber}). A run kills dns-a1's dnsmasq (the service dies, the server
 * stays up) at t0, at a random moment of the 100 ms check cycle, and measures t0 to dns-a1's watch logging the
 * withdrawal (detection: three failed checks, then birdc disable) and t0 to the sending of the first query dns-a2
 * answers; then dnsmasq is started again and the run ends once client-a is served by dns-a1 again (watch restored the
 * announcement after rise). In the same lab and run, the same failure with ExaBGP's healthcheck at its defaults in
 * place of BIRD and watch on site A's servers ({@link BgpBaselineBench#startExabgp}), the kill at a random moment of
 * its 5 s cycle. Root only. Run: {@code bench/bgp watch [RUNS] [EXABGP_RUNS]}.
 *
 * <p>Damping: each run is a fall; 20 of them in a minute would have watch's default damping (half-life 30 s) hold
 * dns-a1 out after the third, which delays only the return, never the withdrawal measured here. The benchmark's
 * health: section therefore sets half-life 1 s (max-suppress 2 s), so that every run starts from dns-a1 in service.
 */
public final class BgpWatchBench {
    private static final String LAB = "bgwbench";
    private static final Path RUN = Path.of("/run/anyloop-lab/" + LAB);
    private static final CommandRunner OS = new CommandRunner();
    private static final Duration RECOVER = Duration.ofSeconds(60);
    private static final Random PHASE = new Random(7);
    static final String HEALTH = "\nhealth:\n  damping: { half-life: 1s, max-suppress: 2s }\n  services:\n"
            + "    dns: { check: dns, port: udp/53, query: whoami.anyloop, type: TXT, rcodes: [NOERROR] }\n";

    private BgpWatchBench() { }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int exaRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Lab.down(LAB);
        Path file = Files.createTempFile("anycast-watch-bench", ".yaml");
        Files.writeString(file, Files.readString(Path.of("examples/anycast.yaml")) + HEALTH);
        Map<String, List<Double>> results = new LinkedHashMap<>();
        Process prober = null;
        List<Process> exabgp = new ArrayList<>();
        try {
            Intent intent = IntentLoader.load(file);
            Network n = Compiler.compile(intent);
            LabPlan plan = LabPlan.of(LAB, n);
            List<Listener> dns = n.host("dns-a1").orElseThrow().listeners().stream().filter(l -> l.port() == 53).toList();
            try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
                LabBird bird = lab.bird().orElseThrow();
                LabWatch.start(LAB, file, intent, RECOVER);
                Path log = RUN.resolve("prober.log");
                prober = OS.start(List.of("nsenter", "--net=/run/netns/" + plan.namespaceOf("client-a"), "--", Path.of(System.getProperty("java.home"),
                        "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), DnsProber.class.getName(), "10.53.0.53", "5"), log);
                BgpBaselineBench.Answers answers = new BgpBaselineBench.Answers(log);
                answers.awaitServedBy("dns-a1", RECOVER);

                List<Double> served = new ArrayList<>();
                List<Double> detected = new ArrayList<>();
                List<Double> converged = new ArrayList<>();
                Path watchLog = RUN.resolve("watch-dns-a1.log");
                for (int r = 1; r <= runs; r++) {
                    answers.awaitServedBy("dns-a1", RECOVER);
                    bird.awaitRoutes(n, RECOVER);
                    Thread.sleep(PHASE.nextInt(100));
                    long t0 = BgpBaselineBench.micros();
                    OS.run(List.of("kill", "-KILL", Long.toString(dnsmasq()))).orThrow();
                    long firstA2 = answers.firstAfter(t0, "dns-a2", RECOVER);
                    long withdrawn = withdrawnAfter(watchLog, t0, RECOVER);
                    served.add((firstA2 - t0) / 1000.0);
                    detected.add((withdrawn - t0) / 1000.0);
                    converged.add((firstA2 - withdrawn) / 1000.0);
                    System.out.printf("  watch run %d: served by dns-a2 after %.0f ms, withdrawn after %.0f ms (load %s)%n", r,
                            served.get(r - 1), detected.get(r - 1), BgpBench.loadAverage());
                    lab.listen("dns-a1", dns);
                }
                results.put("anyloop watch + BIRD + BFD: service killed (dnsmasq, SIGKILL), t0 to client-a served by dns-a2", served);
                results.put("  of it: t0 to watch's withdrawal (3 failed checks + birdc disable), from watch's log", detected);
                results.put("  of it: the withdrawal to client-a served by dns-a2 (BGP update, ra's kernel)", converged);
                answers.awaitServedBy("dns-a1", RECOVER);

                // ExaBGP in place of BIRD and watch on site A's servers, its healthcheck checking the local dnsmasq
                LabWatch.stop(LAB);
                for (String h : List.of("dns-a1", "dns-a2")) OS.run(List.of("kill", "-TERM", Long.toString(bird.pid(h).orElseThrow()))).orThrow();
                for (String h : List.of("dns-a1", "dns-a2")) exabgp.add(BgpBaselineBench.startExabgp(intent, plan, h, RUN));
                answers.awaitServedBy("dns-a1", RECOVER);
                List<Double> exa = new ArrayList<>();
                for (int r = 1; r <= exaRuns; r++) {
                    answers.awaitServedBy("dns-a1", RECOVER);
                    Thread.sleep(PHASE.nextInt(5000)); // a check every 5 s: the kill falls anywhere in that cycle
                    long t0 = BgpBaselineBench.micros();
                    OS.run(List.of("kill", "-KILL", Long.toString(dnsmasq()))).orThrow();
                    exa.add((answers.firstAfter(t0, "dns-a2", RECOVER) - t0) / 1000.0);
                    System.out.printf("  exabgp run %d: served by dns-a2 after %.0f ms (load %s)%n", r, exa.get(r - 1), BgpBench.loadAverage());
                    lab.listen("dns-a1", dns);
                }
                results.put("ExaBGP healthcheck (defaults): service killed (dnsmasq, SIGKILL), t0 to client-a served by dns-a2", exa);
            }
        } finally {
            if (prober != null) prober.destroyForcibly();
            for (Process p : exabgp) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            Lab.down(LAB);
            Files.deleteIfExists(file);
        }
        System.out.println();
        System.out.println("| measured | runs | median | p95 | min | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        results.forEach((what, ms) -> {
            List<Double> s = new ArrayList<>(ms);
            Collections.sort(s);
            System.out.printf("| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", what, s.size(), median(s),
                    s.get((int) Math.ceil(s.size() * 0.95) - 1), s.get(0), s.get(s.size() - 1));
        });
        List<Double> w = new ArrayList<>(results.values().iterator().next());
        List<Double> e = new ArrayList<>(results.get("ExaBGP healthcheck (defaults): service killed (dnsmasq, SIGKILL), t0 to client-a served by dns-a2"));
        Collections.sort(w);
        Collections.sort(e);
        System.out.printf("ratio of the medians, watch / ExaBGP: %.3f%n", median(w) / median(e));
        results.forEach((what, ms) -> System.out.println("raw " + what.strip() + ": " + ms.stream().map(d -> String.format("%.0f", d)).toList()));
    }

    private static double median(List<Double> s) {
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static long dnsmasq() throws IOException { return Long.parseLong(Files.readString(RUN.resolve("dns-a1-dnsmasq.pid")).strip()); }

    /** The time (epoch µs) of the first "withdrawn" line for dns-a1's 10.53.0.53 logged after {@code t0}. */
    private static long withdrawnAfter(Path log, long t0, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (!line.contains("event=withdrawn service=dns address=10.53.0.53 host=dns-a1") || !line.startsWith("ts=")) continue;
                Instant ts = Instant.parse(line.substring(3, line.indexOf(' ')));
                long us = ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1000;
                if (us >= t0) return us;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("watch on dns-a1 logged no withdrawal within " + timeout.toSeconds() + " s; see " + log);
    }
}
