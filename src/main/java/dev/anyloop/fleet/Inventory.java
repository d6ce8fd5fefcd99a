package dev.anyloop.fleet;

import dev.anyloop.intent.ConfigException;
import dev.anyloop.intent.Diagnostic;
import dev.anyloop.intent.Names;
import dev.anyloop.intent.Pos;
import dev.anyloop.os.TargetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * How anyloop reaches each host of network.yaml, kept apart from it (the same network.yaml serves the lab and
 * the real hosts): an inventory file
 *
 * <pre>
 * hosts:
 *   router: ssh://root@192.168.1.1
 *   pi2: ssh://admin@192.168.1.32:2222
 *   laptop: local
 * ssh:
 *   known-hosts: ~/.ssh/known_hosts   # every host key must be in it; anyloop never adds one
 *   identity: [~/.ssh/id_ed25519]     # key files offered after the agent's keys
 *   connect-timeout: 10               # seconds
 * </pre>
 *
 * A host of network.yaml that the inventory does not name has no target and is skipped. Paths may start
 * with {@code ~/}; relative ones are relative to the inventory's folder. Every error is reported at once as
 * {@code file:line:col: message}.
 */
public record Inventory(String file, Map<String, Entry> hosts, Optional<Path> knownHosts, Optional<List<Path>> identities,
                        Optional<Integer> connectTimeout) {
    /** One host's target and where it was written. */
    public record Entry(TargetSpec target, Pos pos) { }

    private static final Set<String> TOP = Set.of("hosts", "ssh");
    private static final Set<String> SSH = Set.of("known-hosts", "identity", "connect-timeout");
    private static final int MAX_BYTES = 1024 * 1024;

    public Inventory {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        identities = identities.map(List::copyOf);
    }

    /** No inventory: every host without --target or --lab is skipped. */
    public static Inventory none() { return new Inventory("", Map.of(), Optional.empty(), Optional.empty(), Optional.empty()); }

    /** Reads {@code file}, checking each host name against {@code networkHosts}; every problem in one exception. */
    public static Inventory load(Path file, Collection<String> networkHosts) throws ConfigException {
        String name = file.toString();
        List<Diagnostic> problems = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Diagnostic(new Pos(name, 0, 0), "cannot read the inventory: " + e.getMessage())));
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException(List.of(new Diagnostic(new Pos(name, 0, 0), "file is " + bytes.length + " bytes, over the limit of " + MAX_BYTES)));
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).setMaxAliasesForCollections(50).setAllowDuplicateKeys(true).build();
            Optional<Node> n = new Compose(settings).composeString(new String(bytes, StandardCharsets.UTF_8));
            if (n.isEmpty()) throw new ConfigException(List.of(new Diagnostic(new Pos(name, 1, 1), "file is empty: expected a mapping with 'hosts'")));
            root = n.get();
        } catch (MarkedYamlEngineException e) {
            Pos pos = e.getProblemMark().or(e::getContextMark).map(m -> pos(name, m)).orElse(new Pos(name, 1, 1));
            throw new ConfigException(List.of(new Diagnostic(pos, "YAML syntax error: " + e.getProblem())));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(new Diagnostic(new Pos(name, 1, 1), "YAML error: " + e.getMessage())));
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, Entry> hosts = new LinkedHashMap<>();
        Optional<Path> knownHosts = Optional.empty();
        Optional<List<Path>> identities = Optional.empty();
        Optional<Integer> timeout = Optional.empty();
        for (NodeTuple t : mapping(name, root, "the inventory", problems)) {
            String key = scalar(t.getKeyNode()).orElse("");
            if (key.equals("hosts")) {
                for (NodeTuple h : mapping(name, t.getValueNode(), "hosts", problems)) {
                    Pos at = pos(name, h.getKeyNode());
                    String host = scalar(h.getKeyNode()).orElse("");
                    if (!networkHosts.contains(host)) {
                        problems.add(new Diagnostic(at, "hosts: '" + host + "' is not a host of network.yaml" + Names.didYouMean(host, networkHosts)));
                        continue;
                    }
                    if (hosts.containsKey(host)) {
                        problems.add(new Diagnostic(at, "hosts: '" + host + "' is given twice (first at " + hosts.get(host).pos() + ")"));
                        continue;
                    }
                    Optional<String> uri = scalar(h.getValueNode());
                    if (uri.isEmpty()) {
                        problems.add(new Diagnostic(pos(name, h.getValueNode()), "hosts: " + host + ": expected local, netns:NAME or ssh://user@host[:port]"));
                        continue;
                    }
                    try {
                        hosts.put(host, new Entry(TargetSpec.parse(uri.get()), pos(name, h.getValueNode())));
                    } catch (IllegalArgumentException e) {
                        problems.add(new Diagnostic(pos(name, h.getValueNode()), "hosts: " + host + ": " + e.getMessage()));
                    }
                }
            } else if (key.equals("ssh")) {
                for (NodeTuple o : mapping(name, t.getValueNode(), "ssh", problems)) {
                    String k = scalar(o.getKeyNode()).orElse("");
                    Node v = o.getValueNode();
                    Pos at = pos(name, v);
                    if (k.equals("known-hosts")) {
                        knownHosts = scalar(v).map(p -> path(base, p));
                        if (knownHosts.isEmpty()) problems.add(new Diagnostic(at, "ssh: known-hosts: expected a file name"));
                    } else if (k.equals("identity")) {
                        List<Path> ids = new ArrayList<>();
                        List<Node> items = v instanceof SequenceNode ? ((SequenceNode) v).getValue() : List.of(v);
                        for (Node i : items) {
                            Optional<String> p = scalar(i);
                            if (p.isEmpty()) problems.add(new Diagnostic(pos(name, i), "ssh: identity: expected a key file name"));
                            else ids.add(path(base, p.get()));
                        }
                        identities = Optional.of(ids);
                    } else if (k.equals("connect-timeout")) {
                        Optional<Integer> s = scalar(v).flatMap(Inventory::seconds);
                        if (s.isEmpty()) problems.add(new Diagnostic(at, "ssh: connect-timeout: expected whole seconds from 1 to 300, found '"
                                + scalar(v).orElse("?") + "'"));
                        timeout = s;
                    } else {
                        problems.add(new Diagnostic(pos(name, o.getKeyNode()), "ssh: unknown key '" + k + "'" + Names.didYouMean(k, SSH)
                                + " (known: " + String.join(", ", new java.util.TreeSet<>(SSH)) + ")"));
                    }
                }
            } else {
                problems.add(new Diagnostic(pos(name, t.getKeyNode()), "unknown key '" + key + "'" + Names.didYouMean(key, TOP) + " (known: hosts, ssh)"));
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new Inventory(name, hosts, knownHosts, identities, timeout);
    }

    private static Optional<Integer> seconds(String s) {
        try {
            int n = Integer.parseInt(s.strip());
            return n >= 1 && n <= 300 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code ~/x} is in the home folder; a relative path is next to the inventory. */
    static Path path(Path base, String p) {
        if (p.equals("~")) return Path.of(System.getProperty("user.home"));
        if (p.startsWith("~/")) return Path.of(System.getProperty("user.home"), p.substring(2));
        Path x = Path.of(p);
        return x.isAbsolute() || base == null ? x : base.resolve(x);
    }

    private static List<NodeTuple> mapping(String file, Node n, String what, List<Diagnostic> problems) {
        if (n instanceof MappingNode) return ((MappingNode) n).getValue();
        if (n instanceof ScalarNode && ((ScalarNode) n).getValue().isEmpty()) return List.of();
        problems.add(new Diagnostic(pos(file, n), what + ": expected a mapping"));
        return List.of();
    }

    private static Optional<String> scalar(Node n) {
        if (!(n instanceof ScalarNode)) return Optional.empty();
        String v = ((ScalarNode) n).getValue();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Pos pos(String file, Node n) { return n.getStartMark().map(m -> pos(file, m)).orElse(new Pos(file, 1, 1)); }

    private static Pos pos(String file, Mark m) { return new Pos(file, m.getLine() + 1, m.getColumn() + 1); }
}
