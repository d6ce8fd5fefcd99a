package dev.anyloop.bench;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.LabWatch;
import dev.anyloop.lab.WatchDrill;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * bench/watch (root, a lab): the outage a client sees when the primary's DNS server dies, from the kill to the first
 * answer from the backup, with anyloop watch's defaults and with keepalived (VRRP on the Pis, a vrrp_script running
 * dig) at its defaults and at its fastest stable settings, in the same lab and run; then the CPU of watch checking
 * 100 services x 3 instances at the default interval. See docs/benchmarks.md.
 */
public final class WatchBench {
    static final String LAB = "wabench";
    static final String VIP = "192.168.1.250";
    static final Netns OS = new Netns();
    /** The kill comes at a random moment (seeded): the checkers' timers must not be in step with the bench's. */
    static final java.util.Random PHASE = new java.util.Random(20261201);

    private WatchBench() { }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String what = args.length > 1 ? args[1] : "all";
        if (!what.equals("cpu")) failover(runs, what);
        if (what.equals("all") || what.equals("cpu")) cpu(args.length > 2 ? Integer.parseInt(args[2]) : 30);
    }

    static void load(String when) { System.out.println("load average " + when + ": " + RunDirs.read(Path.of("/proc/loadavg")).orElse("?").strip()); }

    static void failover(int runs, String what) throws Exception {
        Path home = Path.of("examples/home.yaml");
        Intent intent = IntentLoader.load(home);
        Network n = Compiler.compile(intent);
        Lab.down(LAB);
        Lab lab = Lab.up(LabPlan.of(LAB, n), n, dev.anyloop.apply.Backend.IPTABLES);
        WatchDrill drill = new WatchDrill(LAB, n);
        try (WatchDrill.Client client = drill.client("laptop", "10.53.0.53", 20, 3600)) {
            load("before");
            if (what.equals("all") || what.equals("failover") || what.equals("watch")) {
                List<Long> w = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    // a fresh watch per run: the same kill every few seconds would otherwise be damped (held out);
                    // stop returns once the old one is gone, so two watches never check (and act) at once
                    LabWatch.start(LAB, home, intent, Duration.ofSeconds(60));
                    w.add(outage(drill, client));
                    LabWatch.stop(LAB);
                    if (LabWatch.running(LAB).stream().anyMatch(LabWatch.Daemon::alive)) throw new IllegalStateException("a watch outlived stop");
                }
                report("anyloop watch (defaults: interval 100ms, timeout 250ms, fall 3, rise 5)", w);
                load("after watch");
            }
            if (what.equals("all") || what.equals("failover") || what.equals("keepalived")) {
                toVip(lab);
                report("keepalived defaults (advert_int 1, vrrp_script interval 1 fall 1 rise 1)", keepalived(drill, client, runs, false));
                load("after keepalived defaults");
                report("keepalived fastest stable (VRRPv3 advert_int 0.05, vrrp_script interval 1 timeout 1 fall 1 rise 1)", keepalived(drill, client, runs, true));
                load("after keepalived fastest");
            }
        } finally {
            stopKeepalived(drill);
            Lab.down(LAB);
        }
    }

    /** Kills pi1's dnsmasq, measures until the first answer from pi2, starts it again and waits for pi1's answers. */
    static long outage(WatchDrill drill, WatchDrill.Client client) {
        long ready = System.currentTimeMillis();
        client.first("pi1", ready, Duration.ofSeconds(30)).orElseThrow(() -> new IllegalStateException("pi1 does not answer"));
        WatchDrill.sleep(300 + PHASE.nextInt(1000));
        long kill = System.currentTimeMillis();
        drill.killDnsmasq("pi1");
        WatchDrill.Answer moved = client.first("pi2", kill, Duration.ofSeconds(30))
                .orElseThrow(() -> new IllegalStateException("no answer from pi2 within 30 s of the kill"));
        drill.startDnsmasq("pi1", "10.53.0.53");
        long back = System.currentTimeMillis();
        client.first("pi1", back, Duration.ofSeconds(30)).orElseThrow(() -> new IllegalStateException("pi1 never came back"));
        long ms = moved.at() - kill;
        System.out.printf(Locale.ROOT, "  run: outage %d ms%n", ms);
        return ms;
    }

    static void report(String what, List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        s.sort(null);
        System.out.printf(Locale.ROOT, "%s: runs %d, median %d ms, p95 %d ms, min %d ms, max %d ms%n", what, s.size(),
                percentile(s, 50), percentile(s, 95), s.get(0), s.get(s.size() - 1));
    }

    /** Nearest-rank percentile. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** The router sends 10.53.0.53 to the VRRP address instead of watch's metric-ordered routes. */
    static void toVip(Lab lab) {
        String batch = "route del 10.53.0.53/32 via 192.168.1.53 dev eth1 metric 1\nroute del 10.53.0.53/32 via 192.168.1.54 dev eth1 metric 2\n"
                + "route replace 10.53.0.53/32 via " + VIP + " dev eth1 proto static\n";
        OS.batch(LabPlan.prefix(LAB) + "router", batch, true).orThrow();
    }

    static String config(String host, int priority, boolean fast) {
        String script = "/usr/bin/dig +time=1 +tries=1 +short @10.53.0.53 whoami.anyloop TXT";
        StringBuilder sb = new StringBuilder();
        sb.append("global_defs {\n  router_id ").append(host).append("\n  script_user root\n  enable_script_security\n}\n");
        sb.append("vrrp_script chk_dns {\n  script \"").append(script).append("\"\n");
        // keepalived takes whole seconds for a script's interval and timeout (1..4294): 1 is the least
        if (fast) sb.append("  interval 1\n  timeout 1\n  fall 1\n  rise 1\n");
        sb.append("}\n");
        sb.append("vrrp_instance dns {\n  state BACKUP\n  interface eth0\n  virtual_router_id 53\n  priority ").append(priority).append('\n');
        if (fast) sb.append("  version 3\n  advert_int 0.05\n");
        sb.append("  virtual_ipaddress {\n    ").append(VIP).append("/24 dev eth0\n  }\n  track_script {\n    chk_dns\n  }\n}\n");
        return sb.toString();
    }

    static List<Long> keepalived(WatchDrill drill, WatchDrill.Client client, int runs, boolean fast) throws Exception {
        stopKeepalived(drill);
        for (String[] h : new String[][] {{"pi1", "150"}, {"pi2", "100"}}) {
            Path dir = drill.runDir().resolve("keepalived-" + h[0]);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("keepalived.conf"), config(h[0], Integer.parseInt(h[1]), fast), StandardCharsets.UTF_8);
            List<String> argv = List.of("keepalived", "--dont-fork", "--log-console", "--vrrp", "-f", dir.resolve("keepalived.conf").toString(),
                    "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString());
            OS.startDetached(List.of(Map.entry(drill.ns(h[0]), argv)), dir.resolve("keepalived.log"));
        }
        List<Long> out = new ArrayList<>();
        for (int r = 0; r < runs; r++) out.add(outage(drill, client));
        stopKeepalived(drill);
        return out;
    }

    static void stopKeepalived(WatchDrill drill) {
        for (String h : List.of("pi1", "pi2")) {
            Path pid = drill.runDir().resolve("keepalived-" + h).resolve("keepalived.pid");
            Optional<ProcessHandle> p = RunDirs.read(pid).map(String::strip).filter(s -> s.matches("[0-9]+")).map(Long::parseLong).flatMap(ProcessHandle::of);
            p.ifPresent(ph -> {
                ph.destroy();
                ph.onExit().join();
            });
            RunDirs.deleteTree(pid);
        }
    }

    /** watch with 100 services x 3 instances, DNS checks at the default interval: its CPU over {@code seconds}. */
    static void cpu(int seconds) throws Exception {
        StringBuilder y = new StringBuilder("segments:\n  lan: { prefixes: [192.168.1.0/24] }\nhosts:\n");
        y.append("  router:\n    forwarding: true\n    interfaces:\n      eth1: { segment: lan, addresses: [192.168.1.1/24] }\n");
        for (int h = 1; h <= 3; h++) {
            y.append("  p").append(h).append(":\n    interfaces:\n      eth0: { segment: lan, addresses: [192.168.1.").append(10 + h)
                    .append("/24], gateway: 192.168.1.1 }\n");
        }
        y.append("services:\n");
        for (int s = 0; s < 100; s++) {
            y.append("  s").append(s).append(": { addresses: [10.60.").append(s / 200).append('.').append(s % 200 + 1)
                    .append("], ports: [udp/53], hosts: [p1, p2, p3] }\n");
        }
        y.append("health:\n  probe-sources: [10.255.1.0/24]\n");
        Path file = Path.of("target/watch-cpu.yaml");
        Files.writeString(file, y.toString());
        Intent intent = IntentLoader.load(file);
        Network n = Compiler.compile(intent);
        String lab = "wacpu";
        Lab.down(lab);
        Lab.up(LabPlan.of(lab, n), n, dev.anyloop.apply.Backend.IPTABLES);
        try {
            List<LabWatch.Daemon> ds = LabWatch.start(lab, file, intent, Duration.ofSeconds(120));
            long pid = ds.get(0).pid();
            WatchDrill.sleep(5000); // past start-up and the JIT's first compilations
            load("cpu start");
            long t0 = System.nanoTime();
            long c0 = cpuTicks(pid);
            WatchDrill.sleep(seconds * 1000L);
            long c1 = cpuTicks(pid);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (c1 - c0) / 100.0; // USER_HZ = 100 on Linux
            String metrics = OS.exec(LabPlan.prefix(lab) + "router", List.of("socat", "-t", "2", "-", "TCP:127.0.0.1:" + LabWatch.METRICS_PORT),
                    Optional.of("GET /metrics HTTP/1.0\r\n\r\n"), Duration.ofSeconds(5)).out();
            long ok = metrics.lines().filter(l -> l.startsWith("anyloop_watch_checks_total") && l.contains("result=\"ok\""))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            System.out.printf(Locale.ROOT, "watch CPU, 100 services x 3 instances, dns checks every 100 ms: %.1f%% of one core "
                    + "(%.2f s CPU in %.1f s, watch and its children); %d instances, %d good checks so far%n",
                    100 * cpu / wall, cpu, wall, ds.size() * 300, ok);
            load("cpu end");
        } finally {
            Lab.down(lab);
        }
    }

    /** utime + stime + cutime + cstime of {@code pid}, in clock ticks (proc(5): fields 14-17). */
    static long cpuTicks(long pid) {
        String stat = RunDirs.read(Path.of("/proc/" + pid + "/stat")).orElseThrow();
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ", field 3 (state) is f[0]; fields 14..17 are f[11..14]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    static CommandRunner runner() { return new CommandRunner(); }
}
