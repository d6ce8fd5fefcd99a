package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Failover as a client sees it, anyloop's BIRD (with BFD) against ExaBGP's healthcheck at its defaults (Debian
 * {@code exabgp} 4.2: interval 5 s, fast interval 1 s, fall 3, rise 3; a failing service stays announced, with MED
 * 1000, its down-metric), in one lab of examples/anycast.yaml and one run. client-a sends a DNS query for
 * whoami.anyloop to 10.53.0.53 every 5 ms ({@link DnsProber}); ra sends it to dns-a1 (MED 0) over dns-a2 (MED 1;
 * ExaBGP gets the same preference through {@code --up-metric 0} and {@code 1}). A run fails dns-a1 at t0; the
 * failover is the time from t0 to the sending of the first query dns-a2 answers; where a periodic check detects the
 * failure, t0 falls at a random moment of its cycle. Root only.
 * Run: {@code bench/bgp baseline [RUNS]}.
 */
public final class BgpBaselineBench {
    private static final String LAB = "bgbase";
    private static final Path RUN = Path.of("/run/anyloop-lab/" + LAB);
    private static final CommandRunner OS = new CommandRunner();
    private static final Duration RECOVER = Duration.ofSeconds(60);
    private static final java.util.Random PHASE = new java.util.Random(12);

    private BgpBaselineBench() { }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Intent intent = IntentLoader.load(Path.of("examples/anycast.yaml"));
        Network n = Compiler.compile(intent);
        LabPlan plan = LabPlan.of(LAB, n);
        Lab.down(LAB);
        Map<String, List<Double>> results = new java.util.LinkedHashMap<>();
        Process prober = null;
        List<Process> exabgp = new ArrayList<>();
        try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
            LabBird bird = lab.bird().orElseThrow();
            Path log = RUN.resolve("prober.log");
            prober = OS.start(List.of("nsenter", "--net=/run/netns/" + plan.namespaceOf("client-a"), "--", Path.of(System.getProperty("java.home"),
                    "bin", "java").toString(), "-cp", System.getProperty("java.class.path"), DnsProber.class.getName(), "10.53.0.53", "5"), log);
            Answers answers = new Answers(log);
            answers.awaitServedBy("dns-a1", RECOVER);

            // anyloop: BIRD on every server, BFD on every session
            Supplier<Long> birdA1 = () -> bird.pid("dns-a1").orElseThrow();
            results.put("BIRD + BFD: server's processes killed (dnsmasq + bird, SIGKILL)", runs(runs, answers, () -> {
                bird.awaitSessions(n, LabBird.CONVERGE);
                return List.of(dnsmasq(), birdA1.get());
            }, "KILL", () -> {
                bird.restart("dns-a1");
                dnsmasqBack(lab);
                bird.awaitRoutes(n, RECOVER);
            }));
            results.put("BIRD + BFD: server hung (dnsmasq + bird, SIGSTOP)", runs(runs, answers, () -> {
                bird.awaitSessions(n, LabBird.CONVERGE);
                return List.of(dnsmasq(), birdA1.get());
            }, "STOP", () -> bird.awaitRoutes(n, RECOVER)));
            List<Double> withdrawn = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                withdrawn.add(once(answers, () -> bird.withdraw("dns-a1", "dns"), "withdraw run " + r));
                bird.restore("dns-a1", "dns");
                bird.awaitRoutes(n, RECOVER);
            }
            results.put("BIRD: announcement withdrawn through birdc (detection not included)", withdrawn);

            // ExaBGP in place of BIRD on site A's servers, its healthcheck checking the local dnsmasq
            for (String h : List.of("dns-a1", "dns-a2")) OS.run("kill", "-TERM", Long.toString(bird.pid(h).orElseThrow())).orThrow();
            for (String h : List.of("dns-a1", "dns-a2")) exabgp.add(startExabgp(intent, plan, h));
            answers.awaitServedBy("dns-a1", RECOVER);
            Victims exaA1 = () -> {
                List<Long> pids = new ArrayList<>(List.of(dnsmasq(), exabgp.get(0).pid()));
                exabgp.get(0).descendants().forEach(p -> pids.add(p.pid()));
                return pids;
            };
            // a check every 5 s: the kill comes at a random moment of that cycle, as a real failure does
            results.put("ExaBGP healthcheck (defaults): service killed (dnsmasq, SIGKILL)", runs(runs, answers, () -> {
                Thread.sleep(PHASE.nextInt(5000));
                return List.of(dnsmasq());
            }, "KILL", () -> {
                dnsmasqBack(lab);
                answers.awaitServedBy("dns-a1", RECOVER);
            }));
            results.put("ExaBGP: server's processes killed (dnsmasq + exabgp + healthcheck, SIGKILL)", runs(runs, answers, exaA1, "KILL", () -> {
                exabgp.set(0, startExabgp(intent, plan, "dns-a1"));
                dnsmasqBack(lab);
                answers.awaitServedBy("dns-a1", RECOVER);
            }));
            results.put("ExaBGP: server hung (dnsmasq + exabgp + healthcheck, SIGSTOP)", runs(Math.min(runs, 5), answers, exaA1, "STOP",
                    () -> answers.awaitServedBy("dns-a1", RECOVER)));
        } finally {
            if (prober != null) prober.destroyForcibly();
            for (Process p : exabgp) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            Lab.down(LAB);
        }
        System.out.println();
        System.out.println("| failure | runs | median | p95 | min | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        results.forEach((what, ms) -> {
            List<Double> s = new ArrayList<>(ms);
            Collections.sort(s);
            double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
            System.out.printf("| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n", what, s.size(), median,
                    s.get((int) Math.ceil(s.size() * 0.95) - 1), s.get(0), s.get(s.size() - 1));
        });
        results.forEach((what, ms) -> System.out.println("raw " + what + ": " + ms.stream().map(d -> String.format("%.0f", d)).toList()));
    }

    /** The pids one run signals. */
    private interface Victims { List<Long> get() throws Exception; }

    private interface Step { void run() throws Exception; }

    /** Runs of a failure by signal: the victims get {@code signal} at t0 (and SIGCONT after a SIGSTOP), then {@code recover}. */
    private static List<Double> runs(int runs, Answers answers, Victims victims, String signal, Step recover) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            List<Long> pids = victims.get();
            ms.add(once(answers, () -> signal(signal, pids), signal + " run " + r));
            if (signal.equals("STOP")) signal("CONT", pids);
            recover.run();
        }
        return ms;
    }

    /** One failover: {@code failure} at t0, then the wait for the first query dns-a2 answers; in ms. */
    private static double once(Answers answers, Step failure, String what) throws Exception {
        answers.awaitServedBy("dns-a1", RECOVER);
        long t0 = micros();
        failure.run();
        double ms = (answers.firstAfter(t0, "dns-a2", RECOVER) - t0) / 1000.0;
        System.out.printf("  %s: %.0f ms (load %s)%n", what, ms, BgpBench.loadAverage());
        return ms;
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> argv = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> argv.add(Long.toString(p)));
        OS.run(argv).orThrow();
    }

    private static long dnsmasq() throws IOException { return Long.parseLong(Files.readString(RUN.resolve("dns-a1-dnsmasq.pid")).strip()); }

    private static void dnsmasqBack(Lab lab) { lab.listen("dns-a1", new Listener(Proto.UDP, Ip.parse("10.53.0.53"), 53, false, "")); }

    /**
     * ExaBGP on {@code host}, to its router over IPv4, with the same AS numbers and router id as anyloop's plan and
     * the healthcheck at its defaults but for the MED an up service gets: the server's place in the service's order.
     */
    static Process startExabgp(Intent intent, LabPlan plan, String host) throws IOException { return startExabgp(intent, plan, host, RUN); }

    /** As above, its files in {@code run} (the lab's run folder). */
    static Process startExabgp(Intent intent, LabPlan plan, String host, Path run) throws IOException {
        BgpDef.Speaker me = intent.bgp().speakers().get(host);
        BgpDef.Session s = intent.bgp().sessionsOf(host).stream().filter(x -> x.family() == dev.anyloop.net.Family.V4).findFirst().orElseThrow();
        int rank = intent.services().get("dns").hosts().indexOf(host);
        String conf = "process health {\n"
                + "  run /usr/bin/python3 -m exabgp healthcheck --no-syslog --cmd \"dig @10.53.0.53 whoami.anyloop TXT +time=1 +tries=1\""
                + " --ip 10.53.0.53/32 --no-ip-setup --up-metric " + rank + ";\n"
                + "  encoder text;\n}\n"
                + "neighbor " + s.peerOf(host).address() + " {\n"
                + "  router-id " + me.routerId() + ";\n"
                + "  local-address " + (s.a().host().equals(host) ? s.a() : s.b()).address() + ";\n"
                + "  local-as " + me.asn() + ";\n"
                + "  peer-as " + intent.bgp().speakers().get(s.peerOf(host).host()).asn() + ";\n"
                + "  api { processes [ health ]; }\n}\n";
        Path file = run.resolve(host + ".exabgp.conf");
        Files.writeString(file, conf);
        return OS.start(List.of("nsenter", "--net=/run/netns/" + plan.namespaceOf(host), "--", "env", "exabgp_daemon_user=root",
                "exabgp_api_cli=false", "exabgp_daemon_daemonize=false", "/usr/sbin/exabgp", file.toString()), run.resolve(host + ".exabgp.log"));
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** The prober's answers, read as its log grows: send time (epoch µs) to the host that answered. */
    static final class Answers {
        private final Path log;
        private final TreeMap<Long, String> byTime = new TreeMap<>();
        private long offset;
        private String partial = "";

        Answers(Path log) { this.log = log; }

        private void read() throws IOException {
            if (!Files.exists(log)) return;
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                if (f.length() <= offset) return;
                byte[] b = new byte[(int) (f.length() - offset)];
                f.seek(offset);
                f.readFully(b);
                offset += b.length;
                String text = partial + new String(b, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                partial = text.substring(end + 1);
                for (String line : text.substring(0, end + 1).split("\n")) {
                    String[] w = line.split(" ");
                    if (w.length == 2 && w[0].matches("[0-9]+")) byTime.put(Long.parseLong(w[0]), w[1]);
                }
            }
        }

        /** The send time of the first query sent after {@code t0} that {@code host} answered. */
        long firstAfter(long t0, String host, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                read();
                for (Map.Entry<Long, String> e : byTime.tailMap(t0, false).entrySet()) if (e.getValue().equals(host)) return e.getKey();
                Thread.sleep(20);
            }
            throw new IllegalStateException(host + " did not answer within " + timeout.toSeconds() + " s; see " + log);
        }

        /** Returns once every answer of the last 0.5 s came from {@code host} (and there were some). */
        void awaitServedBy(String host, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                read();
                Map<Long, String> recent = byTime.tailMap(micros() - 500_000, true);
                if (recent.size() > 20 && recent.values().stream().allMatch(host::equals)) return;
                Thread.sleep(50);
            }
            throw new IllegalStateException("client-a is not served by " + host + " within " + timeout.toSeconds() + " s; see " + log);
        }
    }
}
