package dev.anyloop.os;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * A host reached over SSH (one MINA SSHD session, opened by {@link SshConnector}). Every operation is one
 * command on the host, an argument vector quoted word by word by {@link Shell#words} (sshd hands the line to
 * the user's shell: POSIX quoting is what every sh-like shell reads back as the same words); the small
 * scripts below are fixed text that takes the paths as positional parameters ({@code sh -c SCRIPT sh ARG...}),
 * so no path is ever part of the script. Nothing here needs more on the host than sshd and a POSIX sh with
 * cat, mv, rm, mkdir, ls and kill.
 *
 * <p>The target's id is the host's own: {@code host}, or {@code netns-NS} when sshd runs inside a named
 * network namespace ({@code ip netns identify}), so the state folder of a host is the same whether anyloop
 * reaches it over SSH or runs on it.
 */
public final class SshTarget implements Target, AutoCloseable {
    /** Exit code of the file scripts for "no such file": outside what cat, mv and sh themselves return. */
    private static final int ABSENT = 100;
    private static final Duration FILE_TIMEOUT = Duration.ofSeconds(60);
    private static final String READ = "[ -e \"$1\" ] || exit 100; exec cat -- \"$1\"";
    private static final String WRITE = "d=$(dirname -- \"$1\") && mkdir -p -- \"$d\" && cat > \"$1.tmp.$$\" && mv -f -- \"$1.tmp.$$\" \"$1\"";
    private static final String RENAME = "[ -e \"$1\" ] || exit 100; d=$(dirname -- \"$2\") && mkdir -p -- \"$d\" || exit 1; "
            + "mv -- \"$1\" \"$2\" 2>/dev/null && exit 0; [ -e \"$1\" ] && exit 1; exit 100";
    private static final String LIST = "[ -d \"$1\" ] || exit 0; cd -- \"$1\" && ls -1A";
    /**
     * A lock that goes with its holder: mkdir is atomic, the holder is this channel's own shell, which waits
     * (in cat) for the channel's stdin to end and then removes the lock; closing the lock, anyloop being killed
     * or the connection dropping all end that stdin. A lock whose shell is gone anyway (killed) is stale and
     * taken over. POSIX sh, mkdir, cat and kill only.
     */
    private static final String LOCK = "l=$1.d; mkdir -p -- \"$(dirname -- \"$1\")\" || exit 1; i=0; while [ $i -lt 3 ]; do i=$((i + 1)); "
            + "if mkdir -- \"$l\" 2>/dev/null; then echo $$ > \"$l/pid\"; echo locked; cat > /dev/null; rm -rf -- \"$l\"; exit 0; fi; "
            + "p=$(cat -- \"$l/pid\" 2>/dev/null); if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then echo busy; exit 0; fi; "
            + "if [ -z \"$p\" ]; then sleep 1; p=$(cat -- \"$l/pid\" 2>/dev/null); if [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null; then echo busy; exit 0; fi; fi; "
            + "mv -- \"$l\" \"$l.stale.$$\" 2>/dev/null && rm -rf -- \"$l.stale.$$\"; done; echo busy";
    /** setsid where it exists (util-linux, busybox), else nohup (POSIX); all I/O away from the channel, so sshd lets go. */
    private static final String DETACH = "log=$1; shift; mkdir -p -- \"$(dirname -- \"$log\")\" || exit 1; "
            + "if command -v setsid >/dev/null 2>&1; then setsid \"$@\" </dev/null >>\"$log\" 2>&1 & else nohup \"$@\" </dev/null >>\"$log\" 2>&1 & fi";
    private static final String IDENTIFY = "ip netns identify 2>/dev/null || true";

    private final TargetSpec spec;
    private final ClientSession session;
    private volatile String id;

    SshTarget(TargetSpec spec, ClientSession session) {
        this.spec = spec;
        this.session = session;
    }

    public TargetSpec spec() { return spec; }

    @Override
    public String id() {
        if (id == null) {
            CommandRunner.Result r = run(List.of("sh", "-c", IDENTIFY), Optional.empty(), FILE_TIMEOUT);
            String ns = r.ok() ? r.out().strip() : "";
            id = ns.isEmpty() || !ns.matches("[A-Za-z0-9_.-]{1,200}") ? "host" : "netns-" + ns;
        }
        return id;
    }

    @Override
    public String describe() { return spec.toString(); }

    @Override
    public CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout) {
        String line = Shell.words(argv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec ch = session.createExecChannel(line)) {
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(timeout.toMillis());
            try (OutputStream in = ch.getInvertedIn()) {
                if (stdin.isPresent()) in.write(stdin.get().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command may exit before reading its input; its exit code tells the story
            }
            Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.toMillis());
            if (ev.contains(ClientChannelEvent.TIMEOUT)) {
                ch.close(true);
                return new CommandRunner.Result(List.copyOf(argv), 124, text(out), text(err) + "\ntimed out after " + timeout.toMillis() + " ms on "
                        + describe());
            }
            Integer status = ch.getExitStatus();
            if (status == null) {
                String signal = ch.getExitSignal();
                if (signal == null && !session.isOpen()) throw lost(null);
                return new CommandRunner.Result(List.copyOf(argv), 128, text(out), text(err) + (signal == null ? "\nno exit status" : "\nkilled by SIG" + signal));
            }
            return new CommandRunner.Result(List.copyOf(argv), status, text(out), text(err));
        } catch (IOException | RuntimeException e) {
            if (e instanceof TargetException) throw (TargetException) e;
            throw lost(e);
        }
    }

    private TargetException lost(Throwable e) {
        return new TargetException(TargetException.Reason.LOST, describe() + ": the SSH connection was lost"
                + (e == null || e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }

    private static String text(ByteArrayOutputStream b) { return b.toString(StandardCharsets.UTF_8); }

    private CommandRunner.Result script(String script, List<String> args, Optional<String> stdin) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(args);
        return run(argv, stdin, FILE_TIMEOUT);
    }

    @Override
    public void startDetached(List<String> argv, Path log) {
        List<String> args = new ArrayList<>(List.of(log.toString()));
        args.addAll(argv);
        CommandRunner.Result r = script(DETACH, args, Optional.empty());
        if (!r.ok()) {
            throw new IllegalStateException("could not start " + String.join(" ", argv) + " detached on " + describe() + " (exit " + r.exit() + "): "
                    + r.err().strip());
        }
    }

    @Override
    public Optional<String> read(Path file) {
        CommandRunner.Result r = script(READ, List.of(file.toString()), Optional.empty());
        if (r.exit() == ABSENT) return Optional.empty();
        if (!r.ok()) throw new IllegalStateException("cannot read " + file + " on " + describe() + ": " + r.err().strip());
        return Optional.of(r.out());
    }

    @Override
    public void write(Path file, String text) {
        CommandRunner.Result r = script(WRITE, List.of(file.toString()), Optional.of(text));
        if (!r.ok()) throw new IllegalStateException("cannot write " + file + " on " + describe() + ": " + r.err().strip());
    }

    @Override
    public boolean rename(Path from, Path to) {
        CommandRunner.Result r = script(RENAME, List.of(from.toString(), to.toString()), Optional.empty());
        if (r.exit() == ABSENT) return false;
        if (!r.ok()) throw new IllegalStateException("cannot rename " + from + " to " + to + " on " + describe() + ": " + r.err().strip());
        return true;
    }

    @Override
    public void delete(Path path) {
        CommandRunner.Result r = run(List.of("rm", "-rf", "--", path.toString()), Optional.empty(), FILE_TIMEOUT);
        if (!r.ok()) throw new IllegalStateException("cannot remove " + path + " on " + describe() + ": " + r.err().strip());
    }

    @Override
    public List<String> list(Path dir) {
        CommandRunner.Result r = script(LIST, List.of(dir.toString()), Optional.empty());
        if (!r.ok()) throw new IllegalStateException("cannot list " + dir + " on " + describe() + ": " + r.err().strip());
        return r.out().lines().filter(s -> !s.isEmpty()).sorted().toList();
    }

    /**
     * Holds the lock through a channel of its own that stays open: closing it (or losing the connection)
     * ends the holder on the host, which frees the lock for the next anyloop.
     */
    @Override
    public Optional<Lock> tryLock(Path file) {
        ChannelExec ch = null;
        try {
            ch = session.createExecChannel(Shell.words(List.of("sh", "-c", LOCK, "sh", file.toString())));
            ch.open().verify(FILE_TIMEOUT.toMillis());
            BufferedReader answer = new BufferedReader(new InputStreamReader(ch.getInvertedOut(), StandardCharsets.UTF_8));
            String line = answer.readLine();
            if (!"locked".equals(line)) {
                ch.close(true);
                if (line == null && !session.isOpen()) throw lost(null);
                return Optional.empty();
            }
            ChannelExec held = ch;
            return Optional.of(() -> {
                try {
                    held.getInvertedIn().close();
                    held.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 5000);
                } catch (IOException e) {
                    // the holder ends with the channel anyway
                } finally {
                    held.close(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close(true);
            if (e instanceof TargetException) throw (TargetException) e;
            throw lost(e);
        }
    }

    /** True while the SSH session is up. */
    public boolean isOpen() { return session.isOpen(); }

    @Override
    public void close() {
        session.close(false);
    }
}
