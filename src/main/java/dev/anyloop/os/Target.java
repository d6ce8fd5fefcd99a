package dev.anyloop.os;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Linux host that anyloop reads and changes: this machine, a network namespace on it, or (later) a
 * host reached over SSH. Everything anyloop does to a host goes through these few operations, so the
 * apply engine, the snapshotter and the lab work the same on every kind of target.
 *
 * <p>Files are the target's own (its state directory, its rollback timer). Nothing here needs Java on
 * the target: commands are argument vectors, and what runs detached is a POSIX {@code sh} script.
 */
public interface Target {
    /** A name for the target's own state folder: {@code host}, {@code netns-NS}; [A-Za-z0-9_.-] only. */
    String id();

    /** For messages: "this host", "network namespace al-x-router". */
    String describe();

    /** Runs {@code argv} on the target, feeding {@code stdin} if present; a command past {@code timeout} is killed (exit 124). */
    CommandRunner.Result run(List<String> argv, Optional<String> stdin, Duration timeout);

    /** Starts {@code argv} on the target in a session of its own ({@code setsid}), so it outlives anyloop; output goes to {@code log}. */
    void startDetached(List<String> argv, Path log);

    /** The text of a file on the target, empty when there is none. */
    Optional<String> read(Path file);

    /** Writes a file on the target through a temporary file and a rename, creating its folder. */
    void write(Path file, String text);

    /** Renames {@code from} to {@code to} atomically; false when {@code from} does not exist (someone else renamed it first). */
    boolean rename(Path from, Path to);

    /** Removes a file or a folder with everything in it; nothing there is fine. */
    void delete(Path path);

    /** The names in a folder, sorted; none when it does not exist. */
    List<String> list(Path dir);

    /**
     * Takes the exclusive lock {@code file} unless another process holds it. The lock goes with the process
     * that holds it, also when that process is killed, so a crashed apply never blocks the next one.
     */
    Optional<Lock> tryLock(Path file);

    /** A held lock; closing it releases it. */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }
}
