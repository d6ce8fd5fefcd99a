package dev.anyloop.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A JSON value that knows its file and path, so every error says where: {@code ip-route.json: [3].dst: ...}. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String file;
    private final String path;
    private final JsonNode node;

    private Json(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Parses a whole file that must hold a JSON array (what every {@code ip -json} command prints). */
    static List<Json> parseArray(String file, String text) throws SnapshotException {
        // ip prints nothing at all (not "[]") in a few versions when there is nothing to show
        if (text.isBlank()) return List.of();
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw SnapshotException.inFile(file, "expected JSON, found a syntax error at line "
                    + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage());
        }
        return new Json(file, "", root).elements();
    }

    String path() { return path; }

    /** The elements of this array, each with its index in the path. */
    List<Json> elements() throws SnapshotException {
        if (!node.isArray()) throw error("expected an array, found " + describe(node));
        List<Json> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) out.add(new Json(file, path + "[" + i + "]", node.get(i)));
        return out;
    }

    boolean has(String key) { return node.has(key); }

    /** The names of this object's fields, in file order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) keys.add(it.next());
        return keys;
    }

    /** Field {@code key}, absent when the field is missing. A JSON null is present (ip prints "not": null). */
    Optional<Json> field(String key) throws SnapshotException {
        if (!node.isObject()) throw error("expected an object, found " + describe(node));
        JsonNode v = node.get(key);
        return v == null ? Optional.empty() : Optional.of(new Json(file, child(key), v));
    }

    Json require(String key) throws SnapshotException {
        Optional<Json> f = field(key);
        if (f.isEmpty()) throw new SnapshotException(file, child(key), "expected a value, found none (the field is missing)");
        return f.get();
    }

    Optional<String> optString(String key) throws SnapshotException {
        Optional<Json> f = field(key);
        return f.isPresent() ? Optional.of(f.get().asString()) : Optional.empty();
    }

    String string(String key) throws SnapshotException { return require(key).asString(); }

    Optional<Long> optLong(String key) throws SnapshotException {
        Optional<Json> f = field(key);
        return f.isPresent() ? Optional.of(f.get().asLong()) : Optional.empty();
    }

    Optional<Ip> optIp(String key) throws SnapshotException {
        Optional<Json> f = field(key);
        return f.isPresent() ? Optional.of(f.get().asIp()) : Optional.empty();
    }

    String asString() throws SnapshotException {
        if (!node.isTextual()) throw error("expected a string, found " + describe(node));
        return node.asText();
    }

    long asLong() throws SnapshotException {
        if (!node.isIntegralNumber()) throw error("expected an integer, found " + describe(node));
        return node.asLong();
    }

    Ip asIp() throws SnapshotException {
        String s = asString();
        Optional<Ip> ip = Ip.tryParse(s);
        if (ip.isEmpty()) throw error("expected an IP address, found '" + s + "'");
        return ip.get();
    }

    /** The strings of an array field such as "flags"; empty when the field is missing. */
    List<String> strings(String key) throws SnapshotException {
        Optional<Json> f = field(key);
        List<String> out = new ArrayList<>();
        if (f.isEmpty()) return out;
        for (Json e : f.get().elements()) out.add(e.asString());
        return out;
    }

    SnapshotException error(String reason) { return new SnapshotException(file, path.isEmpty() ? "" : path, reason); }

    private String child(String key) { return path + (path.isEmpty() ? "" : ".") + key; }

    private static String describe(JsonNode n) {
        if (n.isTextual()) return "the string \"" + n.asText() + "\"";
        if (n.isNull()) return "null";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + n;
    }
}
