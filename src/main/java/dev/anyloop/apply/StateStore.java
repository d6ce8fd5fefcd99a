package dev.anyloop.apply;

import dev.anyloop.os.Target;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A target's state folder, {@code STATE_DIR/<target id>/}: {@code state.json} (the {@link HostRecord}), the
 * lock, {@code journal/ID/} for a change in flight (the host as it was before, in the snapshot format, and
 * the record as it was), {@code last/ID/} for the last change made (what rollback returns to) and
 * {@code pending/ID/} for a change awaiting confirmation (its undo files and the timer script). All of it
 * lives on the target, read and written through it.
 */
final class StateStore {
    /** The default state folder. */
    static final Path DEFAULT = Path.of("/var/lib/anyloop");
    /** Paths that go into a script or a systemd unit: no blanks, quotes or specials. */
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9_./-]*");

    private final Target target;
    private final Path dir;

    StateStore(Target target, Path stateDir) {
        this.target = target;
        Path abs = stateDir.toAbsolutePath().normalize();
        if (!SAFE_PATH.matcher(abs.toString()).matches()) {
            throw new IllegalArgumentException("Invalid state folder '" + stateDir + "': only letters, digits and _ . / - (it is written into scripts)");
        }
        this.dir = abs.resolve(target.id());
    }

    Path dir() { return dir; }

    Path file() { return dir.resolve("state.json"); }

    Path journal(String id) { return dir.resolve("journal").resolve(id); }

    Path last() { return dir.resolve("last"); }

    Path pending(String id) { return dir.resolve("pending").resolve(id); }

    Target target() { return target; }

    /** Holds the target's lock for one command; a second anyloop on the same target is refused at once. */
    Target.Lock lock() throws ApplyException {
        Optional<Target.Lock> l = target.tryLock(dir.resolve("lock"));
        if (l.isEmpty()) {
            String who = target.read(dir.resolve("lock.owner")).map(String::strip).orElse("another anyloop");
            throw new ApplyException(2, "another anyloop is changing " + target.describe() + " (" + who + "); nothing was changed: "
                    + "wait for it to finish and run this again");
        }
        target.write(dir.resolve("lock.owner"), "pid " + ProcessHandle.current().pid() + " since " + java.time.Instant.now() + "\n");
        return l.get();
    }

    HostRecord load() throws ApplyException {
        Optional<String> text = target.read(file());
        if (text.isEmpty()) return HostRecord.fresh();
        try {
            return HostRecord.parse(file().toString(), text.get());
        } catch (HostRecord.StateException e) {
            throw new ApplyException(2, e.getMessage());
        }
    }

    void save(HostRecord r) { target.write(file(), r.toJson()); }

    /** A record kept beside a change (the one to go back to); a corrupt one is an error of the change, not of the input. */
    Optional<HostRecord> readRecord(Path file) throws ApplyException {
        Optional<String> text = target.read(file);
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(HostRecord.parse(file.toString(), text.get()));
        } catch (HostRecord.StateException e) {
            throw new ApplyException(2, e.getMessage());
        }
    }

    void writeFiles(Path folder, Map<String, String> files) {
        for (Map.Entry<String, String> f : files.entrySet()) target.write(folder.resolve(f.getKey()), f.getValue());
    }

    Map<String, String> readFiles(Path folder) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : target.list(folder)) target.read(folder.resolve(name)).ifPresent(t -> out.put(name, t));
        return out;
    }

    /** Makes {@code journal/ID} the last change: what a rollback goes back to (only one is kept). */
    void keepAsLast(String id) {
        target.delete(last());
        target.rename(journal(id), last().resolve(id));
    }
}
