package dev.anyloop.snapshot;

/**
 * A snapshot folder that cannot be read: the message names the file, where in it (a line number or a
 * JSON path such as {@code [3].dst}) and what was expected and found.
 */
public final class SnapshotException extends Exception {
    private final String file;
    private final String where;
    private final String reason;

    public SnapshotException(String file, String where, String reason) {
        super(file + (where.isEmpty() ? "" : (where.startsWith("[") ? ": " : ":") + where) + ": " + reason);
        this.file = file;
        this.where = where;
        this.reason = reason;
    }

    /** An error at a 1-based line of a text file: "iptables.rules:12: ...". */
    public static SnapshotException atLine(String file, int line, String reason) {
        return new SnapshotException(file, Integer.toString(line), reason);
    }

    /** An error about a whole file (missing, unreadable, not JSON). */
    public static SnapshotException inFile(String file, String reason) {
        return new SnapshotException(file, "", reason);
    }

    public String file() { return file; }

    /** The line number or JSON path, empty for the whole file. */
    public String where() { return where; }

    public String reason() { return reason; }

    /** The same error with its file name prefixed by the host folder, e.g. "router/ip-route.json". */
    public SnapshotException under(String folder) {
        SnapshotException e = new SnapshotException(folder + "/" + file, where, reason);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
