package dev.anyloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.apply.Backend;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabGuard;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.Probe;
import dev.anyloop.net.Ip;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.Sshd;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply --all over SSH, as on real hosts: examples/home.yaml's lab with Debian's sshd in every host namespace and
 * anyloop in an operator namespace (its own JVM there), reaching them over the lab's management network with keys
 * made here. From empty; again (nothing changes, through ssh-agent this time); a changed host key refused with
 * nothing changed; web moved from desktop to pi2 while laptop asks for it every 50 ms, losing no request; a host
 * killed in the middle: everything rolls back, the killed host by its own timer; a command failing on the router in
 * the middle: the rollout stops and the host already changed is put back; bad targets refused.
 */
@Tag("root")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetSshTest {
    private static final String FILE = "examples/home.yaml";
    private static final String LAB = "flssh";
    private static final List<String> HOSTS = List.of("isp", "router", "desktop", "laptop", "pi1", "pi2", "cam");
    private static final Ip WEB = Ip.parse("10.10.10.10");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Netns OS = new Netns(new CommandRunner(Duration.ofSeconds(30)));
    private static Lab lab;
    private static LabGuard guard;
    private static SshLab ssh;
    private static Path moved;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void up() throws Exception {
        guard = LabGuard.of(LAB);
        Network n = Compiler.compile(IntentLoader.load(Path.of(FILE)));
        lab = Lab.prepare(LabPlan.of(LAB, n), n, Backend.IPTABLES);
        ssh = SshLab.up(lab, HOSTS, tmp.resolve("ssh"));
        String text = Files.readString(Path.of(FILE));
        moved = tmp.resolve("home-web-on-pi2.yaml");
        Files.writeString(moved, text.replaceFirst("    ping: true\n    hosts: \\[desktop\\]", "    ping: true\n    hosts: [pi2]"));
        assertThat(Files.readString(moved)).isNotEqualTo(text);
    }

    @AfterAll
    static void down() {
        if (ssh != null) ssh.close();
        if (guard != null) guard.close();
    }

    private static Cli apply(String file, String... more) {
        List<String> args = new ArrayList<>(List.of("apply", file, "--all", "--inventory", ssh.inventory().toString()));
        args.addAll(List.of(more));
        return ssh.run(args.toArray(String[]::new));
    }

    private static boolean onLo(String host, Ip ip) {
        CommandRunner.Result r = OS.exec(lab.plan().namespaceOf(host), List.of("ip", "-o", "addr", "show", "dev", "lo"));
        return r.out().contains(" " + ip + "/");
    }

    @Test
    @Order(1)
    void applyAllOfHomeFromEmptyOverSshThenASecondRunThroughTheAgentChangesNothing() throws Exception {
        // the services start once their addresses are up (the make wave); the move wave waits for them to listen
        Thread services = LabServices.onceAddressed(lab, Duration.ofSeconds(90));
        Cli r = apply(FILE);
        services.join(10_000);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("preview: ", "proved: ", "wave make", "applied on ");
        assertThat(lab.probe("laptop", new Probe.Dns(Ip.parse("10.53.0.53"), 53)).reachable()).isTrue();
        assertThat(lab.probe("laptop", new Probe.Tcp(WEB, 80)).reachable()).isTrue();
        assertThat(lab.probe("cam", new Probe.Tcp(WEB, 80)).reachable()).isFalse();

        // the second run authenticates through ssh-agent only (no key file), every host named by --target
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.exists(sock) && System.nanoTime() < deadline) Thread.sleep(20);
            new CommandRunner(Duration.ofSeconds(10)).run(List.of("env", "SSH_AUTH_SOCK=" + sock, "ssh-add", ssh.key().toString()), Optional.empty(),
                    Duration.ofSeconds(10)).orThrow();
            List<String> args = new ArrayList<>(List.of("apply", FILE, "--all", "--json", "--known-hosts", ssh.knownHosts().toString()));
            for (String h : HOSTS) args.addAll(List.of("--target", h + "=ssh://root@" + ssh.address(h)));
            Cli again = ssh.run(Map.of("SSH_AUTH_SOCK", sock.toString(), "HOME", tmp.resolve("empty-home").toString()), Duration.ofSeconds(120),
                    args.toArray(String[]::new));
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            JsonNode j = JSON.readTree(again.out());
            assertThat(j.get("changed").asBoolean()).isFalse();
            assertThat(j.get("skipped")).isEmpty();
            for (JsonNode h : j.get("hosts")) assertThat(h.get("waves")).as(h.toString()).isEmpty();
        } finally {
            agent.destroy();
        }
    }

    @Test
    @Order(2)
    void aChangedHostKeyIsRefusedAndNothingChangesAnywhere() throws Exception {
        Sshd pi1 = ssh.sshd("pi1");
        pi1.close();
        pi1.newHostKey();
        pi1.start();
        try {
            Cli r = apply(moved.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.out() + r.err()).contains("pi1 (ssh://root@" + ssh.address("pi1") + "): its host key CHANGED", "nothing was changed anywhere");
            assertThat(onLo("desktop", WEB)).isTrue();
            assertThat(onLo("pi2", WEB)).isFalse();
        } finally {
            // the operator checks the new key and records it, as with ssh-keygen -R and ssh-keyscan (the later tests need it)
            List<String> lines = new ArrayList<>(Files.readAllLines(ssh.knownHosts()));
            lines.removeIf(l -> l.startsWith(ssh.address("pi1") + " "));
            Files.writeString(ssh.knownHosts(), String.join("\n", lines) + "\n" + pi1.knownHostsLine());
        }
    }

    @Test
    @Order(3)
    void movingWebFromDesktopToPi2LosesNoRequestOfAClientAskingEvery50Ms() throws Exception {
        // web must listen on pi2 before any route moves there: anyloop does not start services
        DeviceState plannedPi2 = Compiler.compile(IntentLoader.load(moved)).host("pi2").orElseThrow();
        Listener web = plannedPi2.listeners().stream().filter(l -> l.port() == 80).findFirst().orElseThrow();
        // like a unit that starts once its address is up: web comes up on pi2 when the make wave put 10.10.10.10 there
        Thread starter = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!onLo("pi2", WEB) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (onLo("pi2", WEB)) lab.listen("pi2", web);
        });
        starter.start();
        Path log = tmp.resolve("prober.log");
        // a bounded client: 1,200 requests at most (60 s), each a TCP connect to web, "ok" or "FAIL" a line
        String loop = "i=0; while [ $i -lt 1200 ] && [ ! -e " + tmp.resolve("stop") + " ]; do "
                + "if socat -T1 /dev/null TCP:" + WEB + ":80,connect-timeout=1 >/dev/null 2>&1; then echo ok; else echo FAIL; fi; "
                + "sleep 0.05; i=$((i + 1)); done > " + log;
        Process prober = OS.start(lab.plan().namespaceOf("laptop"), List.of("sh", "-c", loop));
        try {
            Thread.sleep(500);
            Cli r = apply(moved.toString());
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            // the router's part of make is watch's probe route to pi2's instance (its own table): additive, nothing routes there yet
            assertThat(r.out()).contains("plan: wave make: addresses, new chains and routes: router, pi2", "plan: wave move: routes and rules switch: router",
                    "plan: wave break: what is left unused goes: desktop");
            Thread.sleep(500);
        } finally {
            starter.join(5000);
            Files.writeString(tmp.resolve("stop"), "");
            prober.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            prober.destroyForcibly();
        }
        List<String> results = Files.readAllLines(log);
        assertThat(results).as("requests made during the rollout").hasSizeGreaterThan(20);
        assertThat(results).as("every request answered").containsOnly("ok");
        assertThat(onLo("pi2", WEB)).isTrue();
        assertThat(onLo("desktop", WEB)).isFalse();
        Files.delete(tmp.resolve("stop"));
    }

    @Test
    @Order(4)
    void aHostKilledMidRolloutRollsEverythingBackTheKilledOneByItsOwnTimer() throws Exception {
        // back to web on desktop: desktop gets it in the make wave; killed before the move wave, it cannot be reached again
        Path marker = tmp.resolve("pause-marker");
        List<String> argv = new ArrayList<>(ssh.java());
        argv.addAll(2, List.of("-Danyloop.test.fleet.pause=move", "-Danyloop.test.fleet.marker=" + marker));
        // the timers must outlast arming and the make wave on a loaded machine: 20 s (each wave gives them the full time again)
        argv.addAll(List.of("apply", FILE, "--all", "--inventory", ssh.inventory().toString(), "--confirm", "20"));
        Path out = tmp.resolve("killed.out");
        Process apply = new ProcessBuilder(concat(List.of("ip", "netns", "exec", ssh.op(), "sh", "-c", "exec \"$@\" > \"$0\" 2>&1", out.toString()),
                argv)).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.exists(marker) && apply.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(marker).as(Files.exists(out) ? Files.readString(out) : "no output").exists();
            assertThat(onLo("desktop", WEB)).as("desktop got web in the make wave").isTrue();
            // desktop goes away: its sshd stops and its management link goes down
            ssh.sshd("desktop").close();
            OS.batch(lab.plan().namespaceOf("desktop"), "link set mg0 down\n", false).orThrow();
            Files.delete(marker);
            assertThat(apply.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String text = Files.readString(out);
            assertThat(apply.exitValue()).as(text).isEqualTo(1);
            assertThat(text).contains("desktop (ssh://root@" + ssh.address("desktop") + "): ", "cannot be read again after the make wave",
                    "except desktop, whose rollback failed", "desktop rolls back by its own timer");
            // nobody routes to desktop: pi2 still serves web, the router was never changed
            assertThat(lab.probe("laptop", new Probe.Tcp(WEB, 80)).reachable()).as(text).isTrue();
            // desktop, cut off from anyloop, takes its change back by itself when its timer fires
            long back = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (onLo("desktop", WEB) && System.nanoTime() < back) Thread.sleep(200);
            assertThat(onLo("desktop", WEB)).as("desktop rolled back by its own timer; its state folder:\n" + stateOf("desktop") + "\napply said:\n" + text)
                    .isFalse();
            assertThat(onLo("pi2", WEB)).isTrue();
        } finally {
            apply.destroyForcibly();
            OS.batch(lab.plan().namespaceOf("desktop"), "link set mg0 up\n", false);
            ssh.sshd("desktop").start();
        }
    }

    /** The files of a host's state folder with their text (what its timer saw), for a failure message. */
    private static String stateOf(String host) throws java.io.IOException {
        Path dir = dev.anyloop.apply.Engine.defaultStateDir().resolve("netns-" + lab.plan().namespaceOf(host));
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(dir)) return dir + " does not exist";
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String t = Files.readString(f);
                sb.append(dir.relativize(f)).append(": ").append(t.length() > 300 ? t.substring(0, 300) + "..." : t).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    @Order(5)
    void aCommandFailingOnTheRouterMidRolloutStopsItAndPutsBackTheHostsAlreadyChanged() throws Exception {
        // the router's kernel refuses its route change once: a second sshd there whose sessions find a stand-in ip first
        // on the PATH, which fails the first ip -batch that replaces a main-table route (the move; make only adds watch's
        // probe route, in a table of its own) and runs the real ip for everything else
        Path bin = tmp.resolve("router-bin");
        Path mark = tmp.resolve("router-fails-once");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("ip"), "#!/bin/sh\n"
                + "if [ \"$1\" = -batch ] && [ -e '" + mark + "' ] && grep '^route replace' \"$2\" | grep -qv ' table '; then\n"
                + "  rm -f '" + mark + "'; echo 'Error: Nexthop has invalid gateway.' >&2; echo \"Command failed $2:1\" >&2; exit 2\n"
                + "fi\nexec /usr/sbin/ip \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("ip"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(mark, "");
        Sshd faulty = Sshd.prepare(tmp.resolve("sshd-router-faulty"), Optional.of(lab.plan().namespaceOf("router")), ssh.address("router"), 2223, ssh.key());
        Path conf = tmp.resolve("sshd-router-faulty").resolve("sshd_config");
        Files.writeString(conf, Files.readString(conf) + "SetEnv PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        faulty.start();
        try {
            Path kh = tmp.resolve("kh-router-faulty");
            Files.writeString(kh, Files.readString(ssh.knownHosts()) + faulty.knownHostsLine());
            String router = "router (ssh://root@" + ssh.address("router") + ":2223)";
            // web back to desktop: desktop gets the address and the router its probe route (make), then the router's main route fails (move)
            Cli r = apply(FILE, "--target", "router=ssh://root@" + ssh.address("router") + ":2223", "--known-hosts", kh.toString(), "--json");
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(Files.exists(mark)).as("the router's ip failed once").isFalse();
            JsonNode j = JSON.readTree(r.out());
            assertThat(j.get("changed").asBoolean()).isFalse();
            assertThat(j.toString()).contains("wave move failed on router", "Nexthop has invalid gateway", router);
            JsonNode hosts = j.get("hosts");
            JsonNode desktop = null;
            for (JsonNode h : hosts) if (h.get("host").asText().equals("desktop")) desktop = h;
            assertThat(desktop).as(j.toString()).isNotNull();
            assertThat(desktop.toString()).as("desktop was changed, then put back").contains("make", "rolled back");
            // as before the run: web on pi2 only, the router routing it there, laptop served
            assertThat(onLo("desktop", WEB)).isFalse();
            assertThat(onLo("pi2", WEB)).isTrue();
            assertThat(lab.probe("laptop", new Probe.Tcp(WEB, 80)).reachable()).isTrue();
            Cli check = ssh.run("check", moved.toString(), "--live", "--inventory", ssh.inventory().toString());
            assertThat(check.exit()).as(check.out() + check.err()).isZero();
            assertThat(check.out()).doesNotContain("drift:");
        } finally {
            faulty.close();
        }
    }

    @Test
    @Order(6)
    void badTargetsAreRefusedNamingTheHostAndNothingChanges() throws Exception {
        // an unknown host key: pi2's line is missing from known_hosts
        Path partial = tmp.resolve("known_hosts_partial");
        Files.writeString(partial, String.join("\n", Files.readAllLines(ssh.knownHosts()).stream()
                .filter(l -> !l.startsWith(ssh.address("pi2") + " ")).toList()) + "\n");
        Cli unknown = apply(FILE, "--known-hosts", partial.toString());
        assertThat(unknown.exit()).as(unknown.out() + unknown.err()).isEqualTo(2);
        assertThat(unknown.out() + unknown.err()).contains("pi2 (ssh://root@" + ssh.address("pi2") + "): its host key", "is not in " + partial, "nothing was changed anywhere");
        // authentication refused: a key the hosts do not know
        Path stranger = Sshd.clientKey(tmp.resolve("stranger"));
        Cli refused = apply(FILE, "--identity", stranger.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out() + refused.err()).contains("authentication refused for user root", stranger.toString());
        // unreachable: nothing listens on that port
        Cli gone = apply(FILE, "--target", "cam=ssh://root@" + ssh.address("cam") + ":2299");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.out() + gone.err()).contains("cam (ssh://root@" + ssh.address("cam") + ":2299): cannot connect: connection refused");
        // unknown scheme
        Cli scheme = apply(FILE, "--target", "cam=telnet://" + ssh.address("cam"));
        assertThat(scheme.exit()).isEqualTo(2);
        assertThat(scheme.err()).contains("Invalid target 'telnet://" + ssh.address("cam") + "': unknown scheme 'telnet'");
        // a host without ip and iptables: its sshd gives sessions a PATH of a shell and a few utilities only
        Path conf = tmp.resolve("ssh").resolve("sshd-isp").resolve("sshd_config");
        Path bareBin = Files.createDirectories(tmp.resolve("bare-bin"));
        for (String tool : List.of("sh", "id", "cat", "mkdir", "mv", "rm", "ls", "dirname")) {
            Files.createSymbolicLink(bareBin.resolve(tool), Path.of("/bin", tool).toRealPath());
        }
        Sshd bare = Sshd.prepare(tmp.resolve("sshd-bare"), Optional.of(lab.plan().namespaceOf("isp")), ssh.address("isp"), 2222, ssh.key());
        Files.writeString(tmp.resolve("sshd-bare").resolve("sshd_config"), Files.readString(tmp.resolve("sshd-bare").resolve("sshd_config"))
                + "SetEnv PATH=" + bareBin + "\n");
        bare.start();
        try {
            Path kh = tmp.resolve("kh-bare");
            Files.writeString(kh, Files.readString(ssh.knownHosts()) + bare.knownHostsLine());
            Cli tools = apply(FILE, "--target", "isp=ssh://root@" + ssh.address("isp") + ":2222", "--known-hosts", kh.toString());
            assertThat(tools.exit()).as(tools.out() + tools.err()).isEqualTo(2);
            assertThat(tools.out() + tools.err()).contains("isp (ssh://root@" + ssh.address("isp") + ":2222): ip, iptables-save, iptables-restore are not installed there");
        } finally {
            bare.close();
        }
        assertThat(Files.exists(conf)).isTrue();
        // after all of these, the network is exactly as the move left it
        assertThat(onLo("pi2", WEB)).isTrue();
        assertThat(onLo("desktop", WEB)).isFalse();
        Cli check = ssh.run("check", moved.toString(), "--live", "--inventory", ssh.inventory().toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
    }
}
