package dev.anyloop.intent;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns the bytes of network.yaml into a YAML node tree, refusing input that would cost unbounded time or memory.
 *
 * <p>Limits: the file size, the nesting depth (the composer recurses once per level, so a deep
 * "[[[[..." would overflow the stack), the number of aliases, and how far aliases multiply the document: aliases
 * share nodes, so the classic "billion laughs" is small as a graph but 10^9 nodes when walked. The walk may visit
 * at most {@link #MAX_EXPANSION} times the nodes written in the file, or {@link #MIN_NODES}, whichever is more: a
 * 10,000-host file without aliases is as large expanded as written, and loads.
 */
final class YamlInput {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_ALIASES = 1000;
    /** The expanded document may always have this many nodes, however small the file. */
    static final int MIN_NODES = 100_000;
    /** Expanded nodes per written node that aliases may add up to, past MIN_NODES. */
    static final int MAX_EXPANSION = 10;

    private YamlInput() { }

    /** The document's root node, or empty with the reason added to {@code problems}. */
    static Optional<Node> read(byte[] content, Problems problems) {
        Pos top = new Pos(problems.file(), 0, 0);
        if (content.length > MAX_BYTES) {
            problems.add(top, "file is " + content.length + " bytes, over the limit of " + MAX_BYTES + " bytes");
            return Optional.empty();
        }
        Optional<String> text = decode(content, problems);
        if (text.isEmpty()) return Optional.empty();
        LoadSettings settings = LoadSettings.builder().setLabel(problems.file()).setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_BYTES).setAllowDuplicateKeys(true) // the reader reports duplicates with positions
                .setSchema(new CoreSchema()) // YAML 1.2 core: "~", "null" and nothing are null
                .build();
        try {
            int aliases = prescan(text.get(), settings, problems);
            if (aliases < 0) return Optional.empty();
            Optional<Node> root = new Compose(settings).composeString(text.get());
            if (root.isEmpty() || isNull(root.get())) {
                problems.add(new Pos(problems.file(), 1, 1), "file is empty: expected a mapping with at least 'hosts'");
                return Optional.empty();
            }
            // without aliases a document is exactly as large as written, and nothing can contain itself
            return aliases == 0 || withinBudget(root.get(), problems) ? root : Optional.empty();
        } catch (MarkedYamlEngineException e) {
            Pos pos = e.getProblemMark().or(e::getContextMark).map(problems::pos).orElse(new Pos(problems.file(), 1, 1));
            problems.add(pos, "YAML syntax error: " + syntaxMessage(e.getContext(), e.getProblem()));
        } catch (ReaderException e) {
            problems.add(posOfCodePoint(text.get(), e.getPosition(), problems.file()),
                    String.format("character U+%04X is not allowed in YAML", e.getCodePoint()));
        } catch (YamlEngineException e) {
            problems.add(new Pos(problems.file(), 1, 1), "YAML error: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** "expected ',' or ']', but got <stream end> (while parsing a flow sequence)". */
    private static String syntaxMessage(String context, String problem) {
        if (context == null || context.isBlank()) return problem;
        return context.startsWith("while") ? problem + " (" + context + ")" : context + ", " + problem;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** Strict UTF-8: a bad byte is reported with its line, column and value, never replaced by U+FFFD. */
    private static Optional<String> decode(byte[] content, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int bad = in.position();
            int lineStart = 0, line = 1;
            for (int i = 0; i < bad; i++) {
                if (content[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(content, lineStart, bad - lineStart, StandardCharsets.UTF_8); // valid: decoded
            int col = before.codePointCount(0, before.length()) + 1;
            problems.add(new Pos(problems.file(), line, col),
                    String.format("file is not UTF-8: byte 0x%02X cannot be decoded", content[bad] & 0xff));
            return Optional.empty();
        }
        String text = out.flip().toString();
        return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /**
     * Walks the event stream (no recursion) to refuse deep nesting and too many aliases before composing; returns the
     * number of aliases, or -1 after reporting why the document is refused.
     */
    private static int prescan(String text, LoadSettings settings, Problems problems) {
        int depth = 0, aliases = 0;
        for (Event e : new Parse(settings).parseString(text)) {
            Event.ID id = e.getEventId();
            if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
                if (++depth > MAX_DEPTH) {
                    problems.add(problems.pos(e.getStartMark().orElseThrow()), "nesting is deeper than " + MAX_DEPTH + " levels");
                    return -1;
                }
            } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                depth--;
            } else if (id == Event.ID.Alias && ++aliases > MAX_ALIASES) {
                problems.add(problems.pos(e.getStartMark().orElseThrow()),
                        "more than " + MAX_ALIASES + " aliases (YAML alias bomb?)");
                return -1;
            }
        }
        return aliases;
    }

    /**
     * Counts the nodes written (each node once, however many aliases point at it), then the nodes the document
     * expands to, iteratively, stopping as soon as the budget derived from the first count is spent.
     */
    private static boolean withinBudget(Node root, Problems problems) {
        Set<Node> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n.isRecursive()) {
                problems.add(n, "recursive alias: this node contains itself");
                return false;
            }
            if (written.add(n)) children(n, todo);
        }
        long budget = Math.max(MIN_NODES, (long) MAX_EXPANSION * written.size());
        todo.push(root);
        long seen = 0;
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (++seen > budget) {
                problems.add(root, "document expands to more than " + budget + " nodes from " + written.size() + " written ones"
                        + " (aliases may multiply a document by at most " + MAX_EXPANSION + ", or up to " + MIN_NODES
                        + " nodes; YAML alias bomb?)");
                return false;
            }
            children(n, todo);
        }
        return true;
    }

    private static void children(Node n, Deque<Node> todo) {
        if (n instanceof SequenceNode) {
            for (Node child : ((SequenceNode) n).getValue()) todo.push(child);
        } else if (n instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                todo.push(t.getKeyNode());
                todo.push(t.getValueNode());
            }
        }
    }

    private static Pos posOfCodePoint(String text, int index, String file) {
        int line = 1, col = 1, i = 0;
        for (int cp = 0; cp < index && i < text.length(); cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Pos(file, line, col);
    }
}
