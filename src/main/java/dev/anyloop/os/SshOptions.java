package dev.anyloop.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How anyloop authenticates and checks hosts over SSH: the known_hosts file every host key must be in (there is
 * no "accept any key"), the key files to offer besides the agent, whether to ask the agent, and how long a
 * connection may take to come up.
 */
public record SshOptions(Path knownHosts, List<Path> identities, Optional<Path> agent, Duration connectTimeout) {
    /** OpenSSH's default key files, in the order ssh tries them. */
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    public SshOptions {
        identities = List.copyOf(identities);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("Invalid connect timeout " + connectTimeout.toSeconds() + " s: at least 1 s");
        }
    }

    /**
     * The defaults ssh uses: {@code ~/.ssh/known_hosts}, the agent at {@code $SSH_AUTH_SOCK} if set, and those of
     * {@code ~/.ssh/id_ed25519, id_ecdsa, id_rsa} that exist; 10 s to connect.
     */
    public static SshOptions defaults() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> keys = new ArrayList<>();
        for (String k : DEFAULT_KEYS) if (Files.exists(ssh.resolve(k))) keys.add(ssh.resolve(k));
        String sock = System.getenv("SSH_AUTH_SOCK");
        return new SshOptions(ssh.resolve("known_hosts"), keys, sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock)),
                Duration.ofSeconds(10));
    }

    public SshOptions withKnownHosts(Path p) { return new SshOptions(p, identities, agent, connectTimeout); }

    /** Only these key files (and the agent): an explicit {@code --identity} replaces the default files. */
    public SshOptions withIdentities(List<Path> p) { return new SshOptions(knownHosts, p, agent, connectTimeout); }

    public SshOptions withAgent(Optional<Path> a) { return new SshOptions(knownHosts, identities, a, connectTimeout); }

    public SshOptions withConnectTimeout(Duration d) { return new SshOptions(knownHosts, identities, agent, d); }
}
