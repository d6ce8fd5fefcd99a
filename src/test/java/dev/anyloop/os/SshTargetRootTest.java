package dev.anyloop.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH target against Debian's real sshd, run by the test on 127.0.0.1 with keys the test made (only file and
 * read commands run through it here: nothing touches this namespace's network). Host keys unknown or changed,
 * refused authentication and a silent or closed port each give their own clear refusal.
 */
@Tag("root")
class SshTargetRootTest {
    @TempDir
    static Path tmp;
    private static Sshd sshd;
    private static Path key;
    private static Path knownHosts;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        key = Sshd.clientKey(tmp.resolve("client"));
        port = freePort();
        sshd = Sshd.prepare(tmp.resolve("sshd"), Optional.empty(), "127.0.0.1", port, key).start();
        knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine());
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static SshOptions options() {
        return new SshOptions(knownHosts, List.of(key), Optional.empty(), Duration.ofSeconds(5));
    }

    @Test
    void everyWordArrivesAsItselfThroughSshd() {
        List<String> words = List.of("plain", "", "two words", "it's", "'", "\"", "$HOME", "`id`", "$(id)", "a;b", "*", "~", "\\", "line\nbreak",
                "-n", "#x", "\u00e9 \u4e2d", "'; touch /tmp/anyloop-pwned #", "tab\there", "a\\'b");
        try (SshConnector c = new SshConnector(options()); SshTarget t = c.open(sshd.spec())) {
            for (String w : words) {
                CommandRunner.Result r = t.run(List.of("printf", "%s\\0", w, "next"), Optional.empty(), Duration.ofSeconds(10)).orThrow();
                assertThat(r.out()).as(w).isEqualTo(w + "\0next\0");
            }
        }
        assertThat(Path.of("/tmp/anyloop-pwned")).doesNotExist();
    }

    @Test
    void filesLocksAndDetachedProcessesWorkThroughSshd() throws Exception {
        Path d = tmp.resolve("remote dir's");
        try (SshConnector c = new SshConnector(options()); SshTarget t = c.open(sshd.spec())) {
            assertThat(t.id()).isEqualTo("host");
            assertThat(t.describe()).isEqualTo("ssh://root@127.0.0.1:" + port);
            assertThat(t.read(d.resolve("none"))).isEmpty();
            t.write(d.resolve("a.txt"), "one\ntwo $x\n");
            assertThat(t.read(d.resolve("a.txt"))).contains("one\ntwo $x\n");
            assertThat(t.list(d)).containsExactly("a.txt");
            assertThat(t.rename(d.resolve("a.txt"), d.resolve("sub/b.txt"))).isTrue();
            assertThat(t.rename(d.resolve("a.txt"), d.resolve("sub/c.txt"))).isFalse();
            assertThat(t.list(d.resolve("sub"))).containsExactly("b.txt");
            assertThat(t.list(d.resolve("nothing"))).isEmpty();
            t.delete(d.resolve("sub"));
            assertThat(d.resolve("sub")).doesNotExist();

            Optional<Target.Lock> first = t.tryLock(d.resolve("lock"));
            assertThat(first).isPresent();
            assertThat(t.tryLock(d.resolve("lock"))).isEmpty();
            first.get().close();
            Optional<Target.Lock> again = t.tryLock(d.resolve("lock"));
            assertThat(again).isPresent();

            t.startDetached(List.of("sh", "-c", "sleep 1; echo done > \"$0\"", d.resolve("detached").toString()), d.resolve("detached.log"));
        }
        // the connection is gone: the lock it held is free, and the detached process outlived it
        try (SshConnector c = new SshConnector(options()); SshTarget t = c.open(sshd.spec())) {
            Optional<Target.Lock> after = awaitLock(t, d.resolve("lock"));
            assertThat(after).as("a lock whose connection dropped is free").isPresent();
            after.get().close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(d.resolve("detached")) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(d.resolve("detached")).hasContent("done");
    }

    private static Optional<Target.Lock> awaitLock(Target t, Path lock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<Target.Lock> l = t.tryLock(lock);
            if (l.isPresent() || System.nanoTime() > deadline) return l;
            Thread.sleep(100);
        }
    }

    @Test
    void aHostKeyNotInKnownHostsIsRefused() throws IOException {
        Path empty = tmp.resolve("empty_known_hosts");
        Files.writeString(empty, "");
        try (SshConnector c = new SshConnector(options().withKnownHosts(empty))) {
            assertThatThrownBy(() -> c.open(sshd.spec())).isInstanceOfSatisfying(TargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.HOST_KEY_UNKNOWN))
                    .hasMessageContaining("ssh://root@127.0.0.1:" + port).hasMessageContaining("is not in " + empty).hasMessageContaining("SHA256:");
        }
        assertThat(Files.readString(empty)).as("nothing is ever added to known_hosts").isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefused() throws IOException {
        Path other = tmp.resolve("sshd-other");
        Sshd second = Sshd.prepare(other, Optional.empty(), "127.0.0.1", freePort(), key);
        Path kh = tmp.resolve("kh-changed");
        Files.writeString(kh, second.knownHostsLine());
        second.newHostKey();
        second.start();
        try (SshConnector c = new SshConnector(options().withKnownHosts(kh))) {
            assertThatThrownBy(() -> c.open(second.spec())).isInstanceOfSatisfying(TargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.HOST_KEY_CHANGED)).hasMessageContaining("CHANGED");
        } finally {
            second.close();
        }
    }

    @Test
    void anUnknownClientKeyIsRefusedNamingWhatWasOffered() throws IOException {
        Path stranger = Sshd.clientKey(tmp.resolve("stranger"));
        try (SshConnector c = new SshConnector(options().withIdentities(List.of(stranger)))) {
            assertThatThrownBy(() -> c.open(sshd.spec())).isInstanceOfSatisfying(TargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.AUTH_REFUSED))
                    .hasMessageContaining("authentication refused for user root").hasMessageContaining(stranger.toString());
        }
    }

    @Test
    void aHostThatStopsAnsweringMidSessionIsLostAfterThreeUnansweredKeepalivesNotAfterTheCommandTimeout() throws Exception {
        Path kh = tmp.resolve("kh-frozen");
        Sshd frozen = Sshd.prepare(tmp.resolve("sshd-frozen"), Optional.empty(), "127.0.0.1", freePort(), key);
        Files.writeString(kh, frozen.knownHostsLine());
        frozen.start();
        List<String> pids = new ArrayList<>();
        try (SshConnector c = new SshConnector(options().withKnownHosts(kh).withConnectTimeout(Duration.ofSeconds(1)));
             SshTarget t = c.open(frozen.spec())) {
            assertThat(t.run(List.of("true"), Optional.empty(), Duration.ofSeconds(10)).ok()).isTrue();
            // the host freezes (as when it is cut off: its TCP stays open, nothing answers), in the middle of a command
            for (Long pid : frozen.sessionPids()) pids.add(Long.toString(pid));
            assertThat(pids).as("sshd's session processes").isNotEmpty();
            List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
            stop.addAll(pids);
            new CommandRunner(Duration.ofSeconds(10)).run(stop.toArray(String[]::new)).orThrow();
            // the command's own timeout is a minute; the keepalives (every 1 s, 3 unanswered) end the session first
            assertThatThrownBy(() -> t.run(List.of("sleep", "1"), Optional.empty(), Duration.ofSeconds(60)))
                    .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.LOST))
                    .hasMessageContaining("the SSH connection was lost");
            assertThat(t.isOpen()).isFalse();
            // every later operation on it fails at once, the same way
            assertThatThrownBy(() -> t.read(tmp.resolve("none"))).isInstanceOfSatisfying(TargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.LOST));
        } finally {
            if (!pids.isEmpty()) {
                List<String> cont = new ArrayList<>(List.of("kill", "-CONT"));
                cont.addAll(pids);
                new CommandRunner(Duration.ofSeconds(10)).run(cont.toArray(String[]::new));
            }
            frozen.close();
        }
    }

    @Test
    void aClosedPortAndASilentOneAreUnreachable() throws Exception {
        int closed = freePort();
        try (SshConnector c = new SshConnector(options().withConnectTimeout(Duration.ofSeconds(1)))) {
            assertThatThrownBy(() -> c.open(TargetSpec.ssh("root", "127.0.0.1", closed))).isInstanceOfSatisfying(TargetException.class,
                    e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.UNREACHABLE)).hasMessageContaining("connection refused");
            List<Socket> accepted = new ArrayList<>();
            try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException ignored) {
                        // closed at the end of the test
                    }
                });
                t.start();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> c.open(TargetSpec.ssh("root", "127.0.0.1", silent.getLocalPort()))).isInstanceOfSatisfying(TargetException.class,
                        e -> assertThat(e.reason()).isEqualTo(TargetException.Reason.UNREACHABLE)).hasMessageContaining("within 1 s");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            } finally {
                for (Socket s : accepted) s.close();
            }
        }
    }
}
