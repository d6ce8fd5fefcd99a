package dev.anyloop.os;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Opens SSH targets through Apache MINA SSHD's client: public-key authentication only (the agent, then the
 * key files), host keys checked against one known_hosts file, refused when the host is not in it or offers
 * another key than the one recorded (MINA's {@link KnownHostsServerKeyVerifier} with a delegate that refuses,
 * and a modified-key acceptor that refuses), never written to it, ~/.ssh/config not read. One client serves
 * every target; {@link #close} stops it and every session it opened.
 */
public final class SshConnector implements AutoCloseable {
    /** Unanswered keepalives after which a session counts as lost. */
    static final int ALIVE_COUNT_MAX = 3;
    private final SshOptions options;
    private final SshClient client;
    /** Why a session's host key was refused, by session, for the message (the verifier only says no). */
    private final Map<ClientSession, String> refused = new ConcurrentHashMap<>();
    private final Map<ClientSession, TargetException.Reason> refusedWhy = new ConcurrentHashMap<>();
    private final List<KeyPair> keys;
    private final List<String> keyProblems = new ArrayList<>();

    public SshConnector(SshOptions options) {
        this.options = options;
        this.keys = loadKeys(options.identities());
        this.client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setAgentFactory(options.agent().map(UnixAgent::factory).orElse(null));
        client.setServerKeyVerifier(verifier());
        // a host that stops answering mid-run (cut off, powered down) must not hold every later command for its whole
        // timeout: a keepalive request with want-reply every connect-timeout, the session closed after 3 unanswered
        // (OpenSSH's ServerAliveInterval and ServerAliveCountMax), which ends every channel waiting on it
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, options.connectTimeout());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, ALIVE_COUNT_MAX);
        client.start();
    }

    public SshOptions options() { return options; }

    private ServerKeyVerifier verifier() {
        ServerKeyVerifier unknown = (session, remote, key) -> {
            refuse(session, TargetException.Reason.HOST_KEY_UNKNOWN, "its host key (" + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key)
                    + ") is not in " + options.knownHosts() + (Files.exists(options.knownHosts()) ? "" : " (the file does not exist)")
                    + ": refused; check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and add it, e.g. with ssh-keyscan");
            return false;
        };
        KnownHostsServerKeyVerifier v = new KnownHostsServerKeyVerifier(unknown, options.knownHosts());
        v.setModifiedServerKeyAcceptor((ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected, PublicKey actual) -> {
            refuse(session, TargetException.Reason.HOST_KEY_CHANGED, "its host key CHANGED: " + options.knownHosts() + " has "
                    + KeyUtils.getFingerPrint(expected) + ", the host offers " + KeyUtils.getFingerPrint(actual)
                    + ": refused (the host was reinstalled, or someone is in between; if you know it was reinstalled, "
                    + "remove the old key with ssh-keygen -R and add the new one)");
            return false;
        });
        return v;
    }

    private void refuse(ClientSession s, TargetException.Reason reason, String why) {
        refused.put(s, why);
        refusedWhy.put(s, reason);
    }

    /** Connects, checks the host key and authenticates; throws {@link TargetException} saying which of the three failed. */
    public SshTarget open(TargetSpec spec) {
        if (spec.kind() != TargetSpec.Kind.SSH) throw new IllegalArgumentException("not an ssh target: " + spec);
        long timeout = options.connectTimeout().toMillis();
        ClientSession session;
        try {
            session = client.connect(spec.user(), spec.host(), spec.port()).verify(timeout).getSession();
        } catch (IOException | RuntimeException e) {
            throw new TargetException(TargetException.Reason.UNREACHABLE, spec + ": cannot connect: " + cause(e, options.connectTimeout().toSeconds()), e);
        }
        try {
            for (KeyPair k : keys) session.addPublicKeyIdentity(k);
            session.auth().verify(timeout);
        } catch (IOException | RuntimeException e) {
            String why = refused.remove(session);
            TargetException.Reason reason = refusedWhy.remove(session);
            closeQuietly(session);
            if (why != null) throw new TargetException(reason, spec + ": " + why, e);
            if (!session.isAuthenticated() && isAuthFailure(e)) {
                throw new TargetException(TargetException.Reason.AUTH_REFUSED, spec + ": authentication refused for user " + spec.user()
                        + ": offered " + offered() + "; add one of these public keys to ~" + spec.user() + "/.ssh/authorized_keys on the host", e);
            }
            throw new TargetException(TargetException.Reason.UNREACHABLE, spec + ": the SSH session did not come up: "
                    + cause(e, options.connectTimeout().toSeconds()), e);
        }
        refused.remove(session);
        refusedWhy.remove(session);
        return new SshTarget(spec, session);
    }

    /** What authentication offered, for the refusal message. */
    private String offered() {
        List<String> what = new ArrayList<>();
        options.agent().ifPresent(a -> what.add("the keys of the ssh-agent at " + a));
        for (Path p : options.identities()) what.add(p.toString());
        what.addAll(keyProblems);
        return what.isEmpty() ? "no key (no ssh-agent, no key file: give --identity FILE)" : String.join(", ", what);
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No more authentication methods") || m.contains("authentication")) return true;
        }
        return false;
    }

    /** The root cause in a few words: refused, timed out, no route, unknown name. */
    private static String cause(Throwable e, long seconds) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return "connection refused (is sshd running there?)";
            if (t instanceof NoRouteToHostException) return "no route to the host";
            if (t instanceof UnknownHostException) return "unknown host name " + t.getMessage();
        }
        String m = String.valueOf(e.getMessage());
        if (m.toLowerCase(java.util.Locale.ROOT).contains("timeout") || m.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
            return "no answer within " + seconds + " s (the connect timeout)";
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return String.valueOf(root.getMessage());
    }

    private List<KeyPair> loadKeys(List<Path> files) {
        List<KeyPair> out = new ArrayList<>();
        for (Path p : files) {
            try (InputStream in = Files.newInputStream(p)) {
                for (KeyPair k : SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(p.toString()), in, null)) out.add(k);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                boolean encrypted = m.toLowerCase(java.util.Locale.ROOT).contains("password") || m.toLowerCase(java.util.Locale.ROOT).contains("encrypt");
                keyProblems.add("not " + p + " (" + (encrypted ? "it is encrypted: load it into ssh-agent with ssh-add" : "unreadable: " + m) + ")");
            }
        }
        return out;
    }

    private static void closeQuietly(ClientSession s) {
        try {
            s.close(true);
        } catch (RuntimeException ignored) {
            // closing a failed session: nothing left to do
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // stopping: nothing to recover
        }
    }
}
