package dev.anyloop.intent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The names a network.yaml declares (hosts, services, segments, loopback and service addresses), read without
 * validation: shell completion offers them while the file is still being written and may have errors.
 */
public record Outline(List<String> hosts, List<String> services, List<String> segments, List<String> addresses) {
    private static final Outline EMPTY = new Outline(List.of(), List.of(), List.of(), List.of());

    /** What {@code file} declares as far as it is readable YAML; an unreadable file declares nothing. */
    public static Outline read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return EMPTY;
        }
        Problems ignored = new Problems(file.toString());
        Optional<Node> root = YamlInput.read(content, ignored); // same limits as the loader: no alias bombs here either
        if (root.isEmpty()) return EMPTY;
        Set<String> addresses = new LinkedHashSet<>();
        for (Fields.Entry s : entries(root.get(), "services")) addresses.addAll(scalars(value(s.value(), "addresses")));
        for (Fields.Entry h : entries(root.get(), "hosts")) addresses.addAll(scalars(value(h.value(), "loopbacks")));
        return new Outline(names(root.get(), "hosts"), names(root.get(), "services"), names(root.get(), "segments"),
                List.copyOf(addresses));
    }

    private static List<String> names(Node root, String key) {
        List<String> out = new ArrayList<>();
        for (Fields.Entry e : entries(root, key)) out.add(e.name());
        return out;
    }

    private static List<Fields.Entry> entries(Node root, String key) {
        Node n = value(root, key);
        return n == null ? List.of() : Fields.entries(new Problems(""), n, key, key);
    }

    private static Node value(Node mapping, String key) {
        if (!(mapping instanceof MappingNode)) return null;
        for (NodeTuple t : ((MappingNode) mapping).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }

    /** The scalar items of a list of addresses, without the host length ("10.53.0.1/32" is typed as 10.53.0.1). */
    private static List<String> scalars(Node list) {
        List<String> out = new ArrayList<>();
        if (!(list instanceof SequenceNode)) return out;
        for (Node item : ((SequenceNode) list).getValue()) {
            if (item instanceof ScalarNode && !YamlInput.isNull(item)) {
                out.add(((ScalarNode) item).getValue().replaceFirst("/(32|128)$", ""));
            }
        }
        return out;
    }
}
