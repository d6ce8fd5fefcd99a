package dev.anyloop.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Debian's OpenSSH server for a test: its config, host key, the client key and authorized_keys all made by the
 * test under a folder of its own, started as {@code /usr/sbin/sshd -D -f CONFIG} (inside a network namespace,
 * or in this one on 127.0.0.1), stopped by {@link #close}. Nothing of the system's sshd is read or touched.
 */
public final class Sshd implements AutoCloseable {
    private static final CommandRunner RUN = new CommandRunner(Duration.ofSeconds(30));
    private final Path dir;
    private final Optional<String> netns;
    private final String address;
    private final int port;
    private Process process;
    /** Stops this sshd if the JVM is stopped before {@link #close} (one outside a namespace outlives any lab teardown). */
    private Thread hook;

    private Sshd(Path dir, Optional<String> netns, String address, int port) {
        this.dir = dir;
        this.netns = netns;
        this.address = address;
        this.port = port;
    }

    /** A client key pair shared by several servers (one user, many hosts): {@code DIR/id_ed25519} and its .pub. */
    public static Path clientKey(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ed25519");
        if (!Files.exists(key)) keygen("ed25519", key);
        return key;
    }

    /** Writes the config and a fresh host key; {@link #start} runs it. */
    public static Sshd prepare(Path dir, Optional<String> netns, String address, int port, Path clientKey) throws IOException {
        Files.createDirectories(dir);
        Sshd s = new Sshd(dir, netns, address, port);
        keygen("ed25519", s.hostKey());
        Files.copy(clientKey.resolveSibling(clientKey.getFileName() + ".pub"), dir.resolve("authorized_keys"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + s.hostKey(),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "MaxStartups 100:30:200",
                "LogLevel ERROR",
                "") );
        return s;
    }

    public Path hostKey() { return dir.resolve("host_ed25519"); }

    /** Replaces the host key by a new one (a reinstalled host, or someone in between); takes effect on {@link #start}. */
    public void newHostKey() throws IOException {
        Files.deleteIfExists(hostKey());
        Files.deleteIfExists(hostKey().resolveSibling("host_ed25519.pub"));
        keygen("ed25519", hostKey());
    }

    /** The known_hosts line for this server as it is now. */
    public String knownHostsLine() throws IOException {
        String pub = Files.readString(hostKey().resolveSibling("host_ed25519.pub")).strip();
        String[] f = pub.split(" ");
        String name = port == 22 ? address : "[" + address + "]:" + port;
        return name + " " + f[0] + " " + f[1] + "\n";
    }

    public TargetSpec spec() { return TargetSpec.ssh("root", address, port); }

    public Sshd start() throws IOException {
        Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory Debian's sshd insists on
        List<String> argv = new ArrayList<>();
        netns.ifPresent(ns -> argv.addAll(List.of("ip", "netns", "exec", ns)));
        argv.addAll(List.of("/usr/sbin/sshd", "-D", "-f", dir.resolve("sshd_config").toString(), "-E", dir.resolve("sshd.log").toString(),
                "-o", "PidFile=" + dir.resolve("sshd.pid")));
        process = RUN.start(argv);
        Process started = process;
        hook = new Thread(started::destroyForcibly, "sshd-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(dir.resolve("sshd.log")) ? Files.readString(dir.resolve("sshd.log")) : "";
                close();
                throw new IllegalStateException("sshd did not start on " + address + ":" + port + ": " + log);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return this;
    }

    private boolean listening() {
        List<String> argv = new ArrayList<>();
        netns.ifPresent(ns -> argv.addAll(List.of("ip", "netns", "exec", ns)));
        argv.addAll(List.of("ss", "-Hltn", "sport", "= :" + port));
        CommandRunner.Result r = RUN.run(argv, Optional.empty(), Duration.ofSeconds(5));
        return r.ok() && !r.out().isBlank();
    }

    /** The processes serving this server's connections now (the listener's descendants), e.g. to freeze a host. */
    public List<Long> sessionPids() {
        List<Long> out = new ArrayList<>();
        if (process != null) process.descendants().forEach(p -> out.add(p.pid()));
        return out;
    }

    /** Stops the listener (sessions it already forked stay until their clients go, as with a real sshd). */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now
            }
            hook = null;
        }
        try {
            Optional<String> pid = Files.exists(dir.resolve("sshd.pid")) ? Optional.of(Files.readString(dir.resolve("sshd.pid")).strip()) : Optional.empty();
            pid.filter(p -> p.matches("\\d+")).ifPresent(p -> RUN.run("kill", p));
        } catch (IOException e) {
            // no pid file: nothing more to stop
        }
    }

    private static void keygen(String type, Path key) throws IOException {
        RUN.run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "anyloop-test", "-f", key.toString()).orThrow();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
}
