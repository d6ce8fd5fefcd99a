package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.os.SelfProcess;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * anyloop watch in a lab of examples/home.yaml (issue 10's tests): dnsmasq on both Pis, a client on the laptop asking
 * 10.53.0.53 every 20 ms, watch on the router started by 'lab watch'. One lab for the class; each test starts its own
 * watch (fresh damping state) and puts the lab back as it found it.
 */
@Tag("root")
class WatchLabRootTest {
    static final String LAB = "wafail";
    static final Path HOME = Path.of("examples/home.yaml");
    static Intent intent;
    static Network network;
    static Lab lab;
    final List<WatchDrill.Client> clients = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        intent = IntentLoader.load(HOME);
        network = Compiler.compile(intent);
        Lab.down(LAB);
        lab = Lab.up(LabPlan.of(LAB, network), network, dev.anyloop.apply.Backend.IPTABLES);
    }

    @AfterAll
    static void down() {
        List<Long> pids = LabWatch.running(LAB).stream().map(LabWatch.Daemon::pid).toList();
        Lab.down(LAB);
        // lab down stops the watches it started
        for (long pid : pids) assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-" + LAB + "-"));
    }

    @BeforeEach
    void watch() { LabWatch.start(LAB, HOME, intent, Duration.ofSeconds(60)); }

    @AfterEach
    void putBack() {
        for (WatchDrill.Client c : clients) c.close();
        LabWatch.stop(LAB);
        if (!alive("pi1")) startDnsmasq("pi1");
        lab.restore();
        RunDirs.deleteTree(log());
    }

    static WatchDrill drill() { return new WatchDrill(LAB, network); }

    List<WatchDrill.Answer> client(int seconds) {
        WatchDrill.Client c = drill().client("laptop", "10.53.0.53", 20, seconds);
        clients.add(c);
        return c.answers;
    }

    static String ns(String host) { return LabPlan.prefix(LAB) + host; }

    static Path log() { return Lab.runDir(LAB).resolve("watch-router.log"); }

    /** The watch log's lines for event {@code event} of dns on {@code host}. */
    static List<String> events(String event, String host) {
        return RunDirs.read(log()).orElse("").lines()
                .filter(l -> l.contains(" event=" + event + " ") && l.contains("service=dns ") && l.contains("host=" + host + " ")).toList();
    }

    static boolean alive(String host) { return drill().dnsmasqAlive(host); }

    static void killDnsmasq(String host) { drill().killDnsmasq(host); }

    static void startDnsmasq(String host) { drill().startDnsmasq(host, "10.53.0.53"); }

    /** The router's routes as text; -N: "proto 77" whether or not /etc/iproute2/rt_protos.d names it "anyloop". */
    static String routes() { return Lab.exec(LAB, "router", List.of("ip", "-N", "route", "show", "table", "all")).out(); }

    Optional<WatchDrill.Answer> first(List<WatchDrill.Answer> answers, String host, long after, Duration max) {
        return clients.get(clients.size() - 1).first(host, after, max);
    }

    static void sleep(long ms) { WatchDrill.sleep(ms); }

    @Test
    void eachProbeReachesTheInstanceItNames() {
        // the kernel's view of the probe paths: a DNS query from each pair's source is answered by that pair's host
        for (ProbePairs.Pair p : ProbePairs.of(intent, "router")) {
            if (!p.host().startsWith("pi")) continue;
            CommandRunner.Result r = Lab.exec(LAB, "router", List.of("dig", "+short", "+time=1", "+tries=2", "-b", p.source().toString(),
                    "@10.53.0.53", "whoami.anyloop", "TXT"));
            assertThat(r.out().strip()).as(p.toString()).isEqualTo("\"" + p.host() + "\"");
        }
        // without a probe source the main table answers: pi1 (metric 1)
        assertThat(Lab.exec(LAB, "router", List.of("dig", "+short", "+time=1", "@10.53.0.53", "whoami.anyloop", "TXT")).out().strip()).isEqualTo("\"pi1\"");
        // and watch's own checks say so: each dns instance's answer names its host
        String table = LabWatch.table(LabWatch.running(LAB).get(0)).orElseThrow();
        assertThat(table.lines().filter(l -> l.startsWith("dns ")))
                .anySatisfy(l -> assertThat(l).contains(" pi1 ").contains("(\"pi1\")"))
                .anySatisfy(l -> assertThat(l).contains(" pi2 ").contains("(\"pi2\")"));
        // lab status shows the watch and its table
        assertThat(Lab.status(LAB).namespaces().get(ns("router"))).contains(LabWatch.running(LAB).get(0).pid());
    }

    /** anyloop watch ARGS run as a new JVM already inside the router's namespace (never re-exec'ing the test JVM). */
    static CommandRunner.Result watchInRouter(String... args) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns("router"), "--"));
        List<String> all = new ArrayList<>(List.of("watch"));
        all.addAll(List.of(args));
        argv.addAll(SelfProcess.java("dev.anyloop.cli.Main", all));
        return new CommandRunner().run(argv, Optional.empty(), Duration.ofSeconds(60));
    }

    @Test
    void onceMetricsTakenStatusAndReload(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // --once: the health table of the live lab, exit 0 when every instance answered
        CommandRunner.Result once = watchInRouter(HOME.toString(), "--host", "router", "--netns", ns("router"), "--once");
        assertThat(once.exit()).as(once.err()).isZero();
        assertThat(once.out()).contains("SERVICE").containsPattern("dns +10\\.53\\.0\\.53 +pi2 +dns +up +in +ok: udp dns: NOERROR");
        // a second watch cannot have the metrics port the lab's watch holds: exit 2, nothing started
        CommandRunner.Result taken = watchInRouter(HOME.toString(), "--host", "router", "--netns", ns("router"),
                "--metrics", "127.0.0.1:" + LabWatch.METRICS_PORT);
        assertThat(taken.exit()).isEqualTo(2);
        assertThat(taken.err()).contains("metrics address 127.0.0.1:" + LabWatch.METRICS_PORT + " is not free").contains("nothing was changed");
        // lab status lists the watch and its table
        java.io.StringWriter out = new java.io.StringWriter();
        int code = dev.anyloop.cli.Main.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .execute("lab", "status", "--name", LAB);
        assertThat(code).isZero();
        assertThat(out.toString()).contains("watch on router: checking (pid ").contains("dns       10.53.0.53   pi1");
        // SIGHUP: a bad file is refused and the running configuration kept; a good one is taken
        LabWatch.stop(LAB);
        Path copy = dir.resolve("home.yaml");
        Files.copy(HOME, copy);
        LabWatch.start(LAB, copy, intent, Duration.ofSeconds(60));
        long pid = LabWatch.running(LAB).get(0).pid();
        Files.writeString(copy, Files.readString(HOME).replace("probe-sources: [10.255.1.0/24]", "probe-sources: [10.255.1.0/24]\n  interval: 5ms"));
        assertThat(SelfProcess.signal(pid, "HUP")).isTrue();
        awaitLog("event=reload-refused");
        assertThat(RunDirs.read(log()).orElse("")).contains("interval: 5ms is below the minimum of 10ms");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
        Files.writeString(copy, Files.readString(HOME).replace("dns: { query", "dns: { rise: 2, query"));
        assertThat(SelfProcess.signal(pid, "HUP")).isTrue();
        awaitLog("event=reloaded");
        // the reloaded watch still fails over
        killDnsmasq("pi1");
        long deadline = System.currentTimeMillis() + 5000;
        while (events("withdrawn", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(events("withdrawn", "pi1")).hasSize(1);
        startDnsmasq("pi1");
        deadline = System.currentTimeMillis() + 5000;
        while (events("restored", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(events("restored", "pi1")).singleElement().asString().contains("2 good checks in a row");
    }

    static void awaitLog(String text) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!RunDirs.read(log()).orElse("").contains(text) && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(RunDirs.read(log()).orElse("")).contains(text);
    }

    @Test
    void primaryDnsmasqKilled_answersMoveToPi2_andBackAfterRise() {
        List<WatchDrill.Answer> answers = client(20);
        assertThat(first(answers, "pi1", 0, Duration.ofSeconds(10))).isPresent();
        long kill = System.currentTimeMillis();
        killDnsmasq("pi1");
        WatchDrill.Answer moved = first(answers, "pi2", kill, Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no answer from pi2 after the kill"));
        assertThat(moved.at() - kill).as("outage in ms").isLessThan(3000);
        assertThat(events("withdrawn", "pi1")).singleElement().asString().contains("failed checks in a row");
        assertThat(routes()).doesNotContain("10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1");
        sleep(500);
        long start = System.currentTimeMillis();
        startDnsmasq("pi1");
        WatchDrill.Answer back = first(answers, "pi1", start, Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("pi1 never came back"));
        // rise 5 checks 100 ms apart: not before 400 ms after the restart
        assertThat(back.at() - start).as("return in ms").isGreaterThanOrEqualTo(400);
        assertThat(events("restored", "pi1")).singleElement().asString().contains("5 good checks in a row");
        assertThat(routes()).contains("10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1");
    }

    @Test
    void aPrimaryFlappingEvery300msChangesRoutesNoMoreThanDampingAllows() {
        // with the defaults (rise 5 x 100 ms) a 300 ms up-time never counts as up: one withdrawal, then held out;
        // the bound damping allows in any case is 2 * ceil(suppress / penalty) + 1 = 5 changes before suppression
        for (int k = 0; k < 8; k++) {
            killDnsmasq("pi1");
            sleep(300);
            startDnsmasq("pi1");
            sleep(300);
        }
        int changes = events("withdrawn", "pi1").size() + events("restored", "pi1").size();
        assertThat(changes).isBetween(1, 5);
    }

    @Test
    void killMinus9_routesStayAsTheyAre_andARestartTakesOverWithoutAChange() {
        killDnsmasq("pi1");
        long deadline = System.currentTimeMillis() + 5000;
        while (events("withdrawn", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(events("withdrawn", "pi1")).hasSize(1);
        String before = routes();
        LabWatch.Daemon d = LabWatch.running(LAB).get(0);
        ProcessHandle.of(d.pid()).orElseThrow().destroyForcibly();
        startDnsmasq("pi1");
        sleep(1500);
        assertThat(routes()).as("nothing restores pi1 while watch is dead").isEqualTo(before);
        killDnsmasq("pi1");
        RunDirs.deleteTree(log());
        LabWatch.start(LAB, HOME, intent, Duration.ofSeconds(60));
        sleep(1000);
        assertThat(routes()).as("the new watch takes over: pi1 out, pi2 in, nothing changed").isEqualTo(before);
        assertThat(RunDirs.read(log()).orElse("")).contains("event=start").doesNotContain("event=withdrawn").doesNotContain("event=restored");
        startDnsmasq("pi1");
        deadline = System.currentTimeMillis() + 5000;
        while (events("restored", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(events("restored", "pi1")).hasSize(1);
    }

    @Test
    void probeSourcesRemoved_isACheckerFault_noWithdrawal_andAnAlarm() {
        for (ProbePairs.Pair p : ProbePairs.of(intent, "router")) {
            Lab.exec(LAB, "router", List.of("ip", "address", "del", p.source() + "/32", "dev", "lo"));
        }
        String before = routes();
        killDnsmasq("pi1");
        sleep(2000);
        assertThat(routes()).isEqualTo(before);
        assertThat(events("withdrawn", "pi1")).isEmpty();
        assertThat(RunDirs.read(log()).orElse("")).contains("level=error event=alarm").contains("alarm=probe-fault");
        // the metrics port lives in the router's namespace: asked from in there
        CommandRunner.Result m = new Netns().exec(ns("router"), List.of("socat", "-t", "2", "-", "TCP:127.0.0.1:" + LabWatch.METRICS_PORT),
                Optional.of("GET /metrics HTTP/1.0\r\n\r\n"), Duration.ofSeconds(5));
        assertThat(m.out()).contains("anyloop_watch_instance_probe_fault{service=\"dns\",address=\"10.53.0.53\",host=\"pi1\"} 1")
                .contains("anyloop_watch_instance_routed{service=\"dns\",address=\"10.53.0.53\",host=\"pi1\"} 1")
                .containsPattern("anyloop_watch_alarms [1-9]");
    }

    @Test
    void everyInstanceDown_isACheckerFault_routesKept_andAnAlarm() {
        String before = routes();
        drill().killDnsmasq("pi1", "pi2");
        try {
            awaitLog("alarm=checker-fault");
            sleep(1000);
            assertThat(routes()).as("both routes stay: the network is not failed by watch").isEqualTo(before);
            assertThat(events("withdrawn", "pi1")).isEmpty();
            assertThat(events("withdrawn", "pi2")).isEmpty();
            assertThat(RunDirs.read(log()).orElse("")).contains("all 2 instances fail their checks at once");
            // one instance back: the alarm clears, and the other (still down) goes out
            startDnsmasq("pi2");
            awaitLog("event=alarm-cleared");
            long deadline = System.currentTimeMillis() + 5000;
            while (events("withdrawn", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
            assertThat(events("withdrawn", "pi1")).hasSize(1);
            assertThat(events("withdrawn", "pi2")).isEmpty();
        } finally {
            if (!alive("pi2")) startDnsmasq("pi2");
        }
    }

    /** anyloop drain/undrain (CMD) of dns via pi1 on the router, with the lab's state, in this JVM. */
    static void drainCmd(String cmd) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.anyloop.cli.Main.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))
                .execute(cmd, HOME.toString(), "dns", "pi1", "--host", "router", "--netns", ns("router"), "--state-dir", Lab.stateDir(LAB).toString());
        assertThat(code).as(cmd + ": " + out + err).isZero();
    }

    static final String PI1_ROUTE = "10.53.0.53 via 192.168.1.53 dev eth1 proto 77 metric 1";

    /** pi1's route in the main table (the probe table's line says "table N" after the device). */
    static boolean pi1Routed() { return routes().lines().map(String::strip).anyMatch(l -> l.equals(PI1_ROUTE) || l.startsWith(PI1_ROUTE + " ")); }

    @Test
    void aDrainWinsOverHealth_andUndrainHandsTheInstanceBackToWatch() {
        List<WatchDrill.Answer> answers = client(30);
        // watch takes pi1 out (its dnsmasq dies), then the operator drains it
        killDnsmasq("pi1");
        long deadline = System.currentTimeMillis() + 5000;
        while (events("withdrawn", "pi1").isEmpty() && System.currentTimeMillis() < deadline) sleep(20);
        assertThat(events("withdrawn", "pi1")).hasSize(1);
        boolean drained = false;
        try {
            drainCmd("drain");
            drained = true;
            awaitLog("event=drained");
            // pi1 healthy again: watch would restore it after rise (5 x 100 ms), but the drain wins
            startDnsmasq("pi1");
            sleep(2500);
            assertThat(pi1Routed()).as("a drained instance is never put back").isFalse();
            assertThat(events("restored", "pi1")).isEmpty();
            assertThat(LabWatch.table(LabWatch.running(LAB).get(0)).orElseThrow().lines().filter(l -> l.startsWith("dns ") && l.contains(" pi1 ")))
                    .singleElement().asString().contains("drained");
            long since = System.currentTimeMillis();
            assertThat(first(answers, "pi2", since, Duration.ofSeconds(2))).isPresent();
            // undrain puts the route back itself; watch takes it as the operator's (no external change) and keeps it
            drainCmd("undrain");
            drained = false;
            assertThat(pi1Routed()).isTrue();
            long undrained = System.currentTimeMillis();
            assertThat(first(answers, "pi1", undrained, Duration.ofSeconds(5))).isPresent();
            awaitLog("event=undrained");
            sleep(1500);
            assertThat(pi1Routed()).as("a healthy undrained instance keeps its route").isTrue();
            assertThat(RunDirs.read(log()).orElse("")).doesNotContain("event=external-change");
            assertThat(events("withdrawn", "pi1")).hasSize(1);
            // and watch has it again: its dnsmasq dies, watch withdraws it
            killDnsmasq("pi1");
            deadline = System.currentTimeMillis() + 5000;
            while (events("withdrawn", "pi1").size() < 2 && System.currentTimeMillis() < deadline) sleep(20);
            assertThat(events("withdrawn", "pi1")).hasSize(2);
            assertThat(pi1Routed()).isFalse();
        } finally {
            // lab.restore() applies through the engine, which keeps a recorded drain withdrawn: undrain here
            if (drained) drainCmd("undrain");
        }
    }

    @Test
    void pi1PoweredOff_failover() {
        List<WatchDrill.Answer> answers = client(15);
        assertThat(first(answers, "pi1", 0, Duration.ofSeconds(10))).isPresent();
        long off = System.currentTimeMillis();
        lab.fail("pi1");
        WatchDrill.Answer moved = first(answers, "pi2", off, Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no answer from pi2"));
        assertThat(moved.at() - off).as("outage in ms").isLessThan(3000);
        assertThat(events("withdrawn", "pi1")).singleElement().asString().contains("no answer within 250 ms");
        // SIGTERM: watch stops and leaves pi1 withdrawn
        String before = routes();
        LabWatch.stop(LAB);
        assertThat(routes()).isEqualTo(before);
        assertThat(RunDirs.read(log()).orElse("")).contains("event=stop reason=\"stopped: routes stay as they are\"");
    }
}
