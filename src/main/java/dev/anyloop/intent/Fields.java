package dev.anyloop.intent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one YAML mapping with a fixed set of keys: reports duplicate and unknown keys (with a suggestion),
 * then hands out typed values, reporting wrong types with the key, the value and the position.
 *
 * <p>{@code context} prefixes every message ("host router: "); {@code path} ("hosts/router") records
 * positions for the {@link Validator}.
 */
final class Fields {
    /** One entry of a mapping whose keys are names (segments, hosts, services, interfaces). */
    record Entry(String name, Node key, Node value) { }

    private final Problems problems;
    private final Node node;
    private final String path;
    private final String context;
    private final Map<String, Node> values = new LinkedHashMap<>();

    private Fields(Problems problems, Node node, String path, String context) {
        this.problems = problems;
        this.node = node;
        this.path = path;
        this.context = context;
    }

    /** The fields of {@code node}; an absent value (a key with nothing after it) reads as an empty mapping. */
    static Optional<Fields> of(Problems problems, Node node, String path, String context, Section section) {
        Set<String> allowed = section.keys();
        Fields f = new Fields(problems, node, path, context);
        if (YamlInput.isNull(node)) return Optional.of(f);
        String label = context.isEmpty() ? "top level" : context.substring(0, context.length() - 2);
        for (Entry e : entries(problems, node, path, label)) {
            if (allowed.contains(e.name())) {
                f.values.put(e.name(), e.value());
            } else {
                problems.add(path, e.key(), context + "unknown key '" + e.name() + "'" + Names.didYouMean(e.name(), allowed));
            }
        }
        return node instanceof MappingNode ? Optional.of(f) : Optional.empty();
    }

    /** The entries of a mapping in file order; duplicate keys are reported, and only the first one kept. */
    static List<Entry> entries(Problems problems, Node node, String path, String label) {
        List<Entry> out = new ArrayList<>();
        if (YamlInput.isNull(node)) return out;
        if (!(node instanceof MappingNode)) {
            problems.add(path, node, label + ": expected a mapping, got " + describe(node));
            return out;
        }
        Map<String, Node> seen = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode)) {
                problems.add(path, k, label + ": expected a name as key, got " + describe(k));
                continue;
            }
            String name = ((ScalarNode) k).getValue();
            Node first = seen.putIfAbsent(name, k);
            if (first != null) {
                problems.add(path, k, label + ": duplicate key '" + name + "' (first at line " + problems.pos(first).line() + ")");
                continue;
            }
            out.add(new Entry(name, k, t.getValueNode()));
        }
        return out;
    }

    Pos pos() { return problems.pos(node); }

    /** The same fields, with messages now prefixed by {@code newContext} (once a route's "to" is known, say). */
    Fields withContext(String newContext) {
        Fields f = new Fields(problems, node, path, newContext);
        f.values.putAll(values);
        return f;
    }

    String path(String key) { return path + "/" + key; }

    String context() { return context; }

    Optional<Node> get(String key) {
        Node n = values.get(key);
        if (n != null) problems.remember(path(key), n);
        return Optional.ofNullable(n);
    }

    /** The value of a key that must be present; reports "missing key" at the mapping. */
    Optional<Node> required(String key) {
        Optional<Node> n = get(key);
        if (n.isEmpty()) problems.add(path, node, context + "missing key '" + key + "'");
        return n;
    }

    Optional<String> text(String key) { return get(key).flatMap(n -> text(n, path(key), context + key)); }

    Optional<String> requiredText(String key) { return required(key).flatMap(n -> text(n, path(key), context + key)); }

    boolean bool(String key, boolean absent) { return get(key).flatMap(n -> bool(n, key)).orElse(absent); }

    Optional<Boolean> requiredBool(String key) { return required(key).flatMap(n -> bool(n, key)); }

    private Optional<Boolean> bool(Node n, String key) {
        return text(n, path(key), context + key).flatMap(s -> {
            if (s.equals("true") || s.equals("false")) return Optional.of(s.equals("true"));
            problems.add(path(key), n, context + key + ": expected true or false, got '" + s + "'");
            return Optional.empty();
        });
    }

    /** An integer in {@code min..max}; YAML 1.2 has no "yes"/"0x" surprises here because the text is checked. */
    Optional<Long> integer(String key, long min, long max) {
        return get(key).flatMap(n -> text(n, path(key), context + key).flatMap(s -> {
            if (!s.matches("-?[0-9]{1,18}")) {
                problems.add(path(key), n, context + key + ": expected an integer, got '" + s + "'");
                return Optional.empty();
            }
            long v = Long.parseLong(s);
            if (v < min || v > max) {
                problems.add(path(key), n, context + key + ": " + v + " is not in " + min + ".." + max);
                return Optional.empty();
            }
            return Optional.of(v);
        }));
    }

    /** One of a few words, as a lower-case enum constant name ("rp-filter: loose" -> LOOSE). */
    <E extends Enum<E>> E word(String key, Class<E> type, E absent) {
        return get(key).flatMap(n -> text(n, path(key), context + key).flatMap(s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(s)) return Optional.of(e);
            }
            List<String> words = new ArrayList<>();
            for (E e : type.getEnumConstants()) words.add(e.name().toLowerCase(Locale.ROOT));
            problems.add(path(key), n, context + key + ": '" + s + "' is not one of " + String.join(", ", words)
                    + Names.didYouMean(s, words));
            return Optional.<E>empty();
        })).orElse(absent);
    }

    /** The items of a list; an absent value is an empty list. */
    List<Node> list(String key) { return get(key).map(n -> list(n, path(key), context + key)).orElse(List.of()); }

    /**
     * The items of a list, each parsed by {@code parser}; an item it refuses is reported as
     * {@code context + message}, with the message's first letter lower-cased ("invalid prefix ...").
     * Kept items are remembered as {@code path(key)[i]}, counting kept items only.
     */
    <T> List<T> parsedList(String key, Function<String, T> parser) {
        return parsedItems(list(key), path(key), parser);
    }

    <T> List<T> parsedItems(List<Node> items, String listPath, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (Node item : items) {
            Optional<T> v = parsed(item, listPath, parser);
            if (v.isPresent()) {
                problems.remember(listPath + "[" + out.size() + "]", item);
                out.add(v.get());
            }
        }
        return out;
    }

    /** A scalar parsed by {@code parser}, its refusal reported at the node and the path marked broken. */
    <T> Optional<T> parsed(Node n, String at, Function<String, T> parser) {
        return text(n, at, context.isEmpty() ? "value" : context.substring(0, context.length() - 2)).flatMap(s -> {
            try {
                return Optional.of(parser.apply(s));
            } catch (IllegalArgumentException e) {
                problems.add(at, n, context + lower(e.getMessage()));
                return Optional.empty();
            }
        });
    }

    <T> Optional<T> parsed(String key, Function<String, T> parser) {
        return get(key).flatMap(n -> parsed(n, path(key), parser));
    }

    <T> Optional<T> requiredParsed(String key, Function<String, T> parser) {
        return required(key).flatMap(n -> parsed(n, path(key), parser));
    }

    /** A nested mapping with its own keys; context grows by {@code label}. */
    Optional<Fields> nested(String key, String label, Section section) {
        return get(key).flatMap(n -> of(problems, n, path(key), context + label + ": ", section));
    }

    Optional<String> text(Node n, String at, String label) {
        if (n instanceof ScalarNode && !YamlInput.isNull(n)) return Optional.of(((ScalarNode) n).getValue());
        problems.add(at, n, label + ": expected a single value, got " + describe(n));
        return Optional.empty();
    }

    List<Node> list(Node n, String at, String label) {
        if (YamlInput.isNull(n)) return List.of();
        if (n instanceof SequenceNode) return ((SequenceNode) n).getValue();
        problems.add(at, n, label + ": expected a list, got " + describe(n));
        return List.of();
    }

    static String describe(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (YamlInput.isNull(n)) return "nothing";
        return "'" + ((ScalarNode) n).getValue() + "'";
    }

    static String lower(String message) {
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
