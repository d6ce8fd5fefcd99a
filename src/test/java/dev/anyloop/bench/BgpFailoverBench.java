package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.Probe;
import dev.anyloop.lab.ProbeResult;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How fast BGP moves a site's clients off a failed server, in examples/anycast.yaml (ra, its servers dns-a1 first
 * and dns-a2 second). Each run fails dns-a1 one way and measures from that instant to the moment ra's kernel
 * holds the route to 10.53.0.53 via dns-a2, as {@code ip -ts monitor route} in ra's namespace stamps the netlink
 * message; then client-a's query is checked to be answered by dns-a2, and dns-a1 is brought back (and BGP
 * reconverged) before the next run. The ways to fail:
 * <ul>
 *   <li>crash: dnsmasq and BIRD of dns-a1 SIGKILLed: the kernel closes BIRD's TCP session, so ra knows at once;</li>
 *   <li>hang: both SIGSTOPped: nothing is sent any more, so only BFD (on) or the hold timer (BFD off, 9 s) tells ra.</li>
 * </ul>
 * Not measured here: a failed health check withdrawing a live server's announcement (needs {@code anyloop watch}).
 * Root only. Run: {@code bench/bgp failover [RUNS]}.
 */
public final class BgpFailoverBench {
    private static final Path RUN = Path.of("/run/anyloop-lab/bgfail");
    private static final CommandRunner OS = new CommandRunner();

    private BgpFailoverBench() { }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String yaml = Files.readString(Path.of("examples/anycast.yaml"));
        measure("crash (SIGKILL dnsmasq + bird), BFD on", yaml, runs, "KILL");
        measure("hang (SIGSTOP dnsmasq + bird), BFD on", yaml, runs, "STOP");
        measure("hang (SIGSTOP dnsmasq + bird), BFD off", yaml.replace("  services: [dns]", "  services: [dns]\n  bfd: false"), Math.min(runs, 5), "STOP");
    }

    private static void measure(String what, String yaml, int runs, String signal) throws Exception {
        Intent intent = IntentLoader.parse("anycast.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        Network n = Compiler.compile(intent);
        LabPlan plan = LabPlan.of("bgfail", n);
        Lab.down("bgfail");
        List<Double> ms = new ArrayList<>();
        try (Lab lab = Lab.up(plan, n, Backend.IPTABLES, LabBird.of(intent, plan))) {
            LabBird bird = lab.bird().orElseThrow();
            Probe dns = new Probe.Dns(Ip.parse("10.53.0.53"), 53, false);
            for (int r = 1; r <= runs; r++) {
                bird.awaitSessions(n, LabBird.CONVERGE); // BFD up too: BFD starts only once BGP is established
                if (!"dns-a1".equals(lab.probe("client-a", dns).answeredBy())) throw new IllegalStateException("dns-a1 does not answer before run " + r);
                Process monitor = OS.start(List.of("nsenter", "--net=/run/netns/" + plan.namespaceOf("ra"), "--", "ip", "-ts", "monitor", "route"),
                        RUN.resolve("monitor.log"));
                Thread.sleep(300); // the monitor is listening
                long dnsmasq = Long.parseLong(Files.readString(RUN.resolve("dns-a1-dnsmasq.pid")).strip());
                long birdPid = bird.pid("dns-a1").orElseThrow();
                java.time.Instant now = java.time.Instant.now();
                long t0 = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
                OS.run("kill", "-" + signal, Long.toString(dnsmasq), Long.toString(birdPid)).orThrow();
                bird.awaitRoutes(n.without("dns-a1"), LabBird.CONVERGE);
                monitor.destroy();
                monitor.waitFor(2, TimeUnit.SECONDS);
                double switched = switchedAt(RUN.resolve("monitor.log"));
                ms.add((switched - t0) / 1000.0);
                ProbeResult after = lab.probe("client-a", dns);
                if (!"dns-a2".equals(after.answeredBy())) throw new IllegalStateException("client-a not answered by dns-a2: " + after);
                System.out.printf("  %s run %d: %.0f ms (load %s)%n", what, r, ms.get(ms.size() - 1), BgpBench.loadAverage());
                Files.deleteIfExists(RUN.resolve("monitor.log"));
                // back to normal: the same processes go on, or new ones are started where they were killed
                if (signal.equals("STOP")) {
                    OS.run("kill", "-CONT", Long.toString(dnsmasq), Long.toString(birdPid)).orThrow();
                } else {
                    bird.restart("dns-a1");
                    lab.listen("dns-a1", new Listener(Proto.UDP, Ip.parse("10.53.0.53"), 53, false, ""));
                }
                // a session that failed again within 300 s waits longer each time before it is retried (up to 10 s)
                bird.awaitRoutes(n, java.time.Duration.ofSeconds(60));
            }
        }
        Collections.sort(ms);
        System.out.printf("%s: %d runs, median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms%n", what, ms.size(), ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(0), ms.get(ms.size() - 1));
    }

    /** The microsecond (epoch) of the first monitor line that puts 10.53.0.53 via dns-a2 (10.1.1.12). */
    private static double switchedAt(Path log) throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.contains("10.53.0.53") || !line.contains("10.1.1.12") || line.contains("Deleted")) continue;
                String ts = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
                LocalDateTime t = LocalDateTime.parse(ts);
                java.time.Instant i = t.atZone(ZoneId.systemDefault()).toInstant();
                return i.getEpochSecond() * 1_000_000.0 + i.getNano() / 1000;
            }
        }
        throw new IllegalStateException("no route change to dns-a2 in " + log + ": " + Files.readString(log));
    }
}
