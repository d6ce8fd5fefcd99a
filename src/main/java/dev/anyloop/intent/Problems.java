package dev.anyloop.intent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What the loader found wrong so far, and where each value of the file sits.
 *
 * <p>Positions are kept by path ("hosts/router/interfaces/eth1/addresses[0]"; "/" because names may hold
 * dots, as in eth0.100) so the {@link Validator}, which works on records, can still point at the exact value. A path with a reading error is "broken":
 * checks that depend on it are skipped rather than reporting a second, confusing consequence.
 */
final class Problems {
    private final String file;
    private final List<Diagnostic> found = new ArrayList<>();
    private final Map<String, Pos> positions = new HashMap<>();
    private final Map<Pos, String> paths = new HashMap<>();
    private final Set<String> broken = new HashSet<>();

    Problems(String file) { this.file = file; }

    String file() { return file; }

    /** 1-based position of a node's first character; snakeyaml's marks are 0-based. */
    Pos pos(Node node) {
        return node.getStartMark().map(this::pos).orElse(new Pos(file, 1, 1));
    }

    Pos pos(Mark m) { return new Pos(file, m.getLine() + 1, m.getColumn() + 1); }

    void add(Pos pos, String message) { found.add(new Diagnostic(pos, message)); }

    void add(Node node, String message) { add(pos(node), message); }

    /** An error in the value at {@code path}: reported, and the path marked broken. */
    void add(String path, Node node, String message) {
        broken.add(path);
        add(node, message);
    }

    /** An error reported by the validator at the recorded position of {@code path} (or its nearest ancestor). */
    void at(String path, String message) { add(where(path), message); }

    void remember(String path, Node node) {
        Pos pos = pos(node);
        positions.put(path, pos);
        paths.putIfAbsent(pos, path);
    }

    /** The path of the value that starts at {@code pos} (a record's position), so its fields can be found. */
    String pathOf(Pos pos) { return paths.getOrDefault(pos, ""); }

    Pos where(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Pos pos = positions.get(p);
            if (pos != null) return pos;
        }
        return new Pos(file, 1, 1);
    }

    /** True when a reading error was reported at {@code path} or below it. */
    boolean broken(String path) {
        for (String b : broken) {
            if (b.equals(path) || b.startsWith(path + "/") || b.startsWith(path + "[")) return true;
        }
        return false;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    boolean any() { return !found.isEmpty(); }

    List<Diagnostic> all() { return List.copyOf(found); }

    ConfigException exception() { return new ConfigException(found); }
}
