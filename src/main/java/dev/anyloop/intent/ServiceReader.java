package dev.anyloop.intent;

import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.IfaceRef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads {@code services}, {@code source-addresses} and {@code expect}; cross-references are the Validator's. */
final class ServiceReader {

    private final Problems problems;

    ServiceReader(Problems problems) { this.problems = problems; }

    Map<String, ServiceDef> services(Node node) {
        Map<String, ServiceDef> out = new LinkedHashMap<>();
        for (Fields.Entry e : Fields.entries(problems, node, "services", "services")) {
            String path = "services/" + e.name();
            problems.remember(path, e.key());
            Names.checkName("service", e.name(), Names.MAX_SERVICE).ifPresent(m -> problems.add(path, e.key(), m));
            Pos pos = problems.pos(e.key());
            ServiceDef s = Fields.of(problems, e.value(), path, "service " + e.name() + ": ", Section.SERVICE)
                    .map(f -> service(e.name(), f, pos))
                    .orElse(new ServiceDef(e.name(), List.of(), List.of(), true, List.of(), AllowDef.everyone(),
                            Bind.ADDRESS, Optional.empty(), pos));
            out.put(e.name(), s);
        }
        return out;
    }

    private ServiceDef service(String name, Fields f, Pos pos) {
        List<Ip> addresses = nonEmpty(f, "addresses", ServiceReader::serviceAddress);
        List<PortDef> ports = unique(f, "ports", f.parsedList("ports", s -> port(s, false)));
        boolean ping = f.bool("ping", true);
        List<String> hosts = unique(f, "hosts", nonEmpty(f, "hosts", Function.identity()));
        Bind bind = f.word("bind", Bind.class, Bind.ADDRESS);
        AllowDef allow = f.nested("allow", "allow", Section.ALLOW).map(this::allow).orElse(AllowDef.everyone());
        Optional<DockerDef> docker = f.nested("docker", "docker", Section.DOCKER).flatMap(this::docker);
        docker.ifPresent(d -> checkDocker(f, d, hosts, ports));
        return new ServiceDef(name, addresses, ports, ping, hosts, allow, bind, docker, pos, f.text("comment"));
    }

    private AllowDef allow(Fields f) {
        List<String> segments = unique(f, "segments", f.parsedList("segments", Function.identity()));
        List<Prefix> sources = unique(f, "sources", f.parsedList("sources", Prefix::parse));
        List<IfaceRef> interfaces = new ArrayList<>();
        for (String ref : unique(f, "interfaces", f.parsedList("interfaces", ServiceReader::ifaceRef))) {
            int colon = ref.indexOf(':');
            Pos at = problems.where(f.path("interfaces") + "[" + interfaces.size() + "]");
            interfaces.add(new IfaceRef(ref.substring(0, colon), ref.substring(colon + 1), at));
        }
        return new AllowDef(segments, sources, interfaces, f.pos());
    }

    private Optional<DockerDef> docker(Fields f) {
        Optional<String> container = f.requiredText("container");
        container.flatMap(c -> Names.checkName("container", c, Names.MAX_HOST))
                .ifPresent(m -> problems.add(f.path("container"), f.get("container").orElseThrow(), f.context() + m));
        Optional<Long> containerPort = f.required("container-port").flatMap(n -> f.integer("container-port", 1, 65535));
        long hostPort = f.integer("host-port", 1, 65535).orElse(containerPort.orElse(1L));
        Proto proto = f.parsed("proto", ServiceReader::transport).orElse(Proto.TCP);
        if (container.isEmpty() || containerPort.isEmpty()) return Optional.empty();
        return Optional.of(new DockerDef(container.get(), proto, containerPort.get().intValue(), (int) hostPort, f.pos()));
    }

    /** Docker publishes on one host only, and its host port is the service's port (the firewall allows only ports). */
    private void checkDocker(Fields f, DockerDef d, List<String> hosts, List<PortDef> ports) {
        Node docker = f.get("docker").orElseThrow();
        if (hosts.size() > 1) {
            problems.add(f.path("docker"), docker, f.context() + "docker: a container runs on one host, but the service has "
                    + hosts.size() + " hosts (" + String.join(", ", hosts) + ")");
        }
        PortDef published = new PortDef(d.proto(), d.hostPort());
        if (!ports.isEmpty() && !ports.contains(published)) {
            problems.add(f.path("docker"), docker, f.context() + "docker: host-port " + published
                    + " clashes with ports " + ports + ": the published port must be one of the service's ports");
        }
    }

    List<SourceDef> sources(Node node) {
        List<SourceDef> out = new ArrayList<>();
        List<Node> items = listAt(node, "source-addresses");
        for (int i = 0; i < items.size(); i++) {
            String path = "source-addresses[" + i + "]";
            problems.remember(path, items.get(i));
            Fields.of(problems, items.get(i), path, "source-addresses entry " + (i + 1) + ": ", Section.SOURCE).ifPresent(f -> {
                Optional<String> host = f.requiredText("host");
                Optional<Prefix> to = f.requiredParsed("to", Prefix::parse);
                Optional<Ip> from = f.requiredParsed("from", Ip::parse);
                if (host.isPresent() && to.isPresent() && from.isPresent()) {
                    out.add(new SourceDef(host.get(), to.get(), from.get(), f.pos()));
                }
            });
        }
        return out;
    }

    List<ExpectDef> expectations(Node node) {
        List<ExpectDef> out = new ArrayList<>();
        List<Node> items = listAt(node, "expect");
        for (int i = 0; i < items.size(); i++) {
            String path = "expect[" + i + "]";
            problems.remember(path, items.get(i));
            Fields.of(problems, items.get(i), path, "expect entry " + (i + 1) + ": ", Section.EXPECT).ifPresent(f -> {
                Optional<String> from = f.requiredText("from");
                Optional<String> to = f.requiredParsed("to", ServiceReader::target);
                Optional<PortDef> port = f.requiredParsed("port", s -> port(s, true));
                Optional<Boolean> reachable = f.requiredBool("reachable");
                // Kept even when port or reachable is bad, so that from and to are still checked: a file with
                // any error never yields an Intent, so the stand-in values cannot leak.
                if (from.isPresent() && to.isPresent()) {
                    PortDef p = port.orElse(new PortDef(Proto.ICMP, 0));
                    out.add(new ExpectDef(from.get(), to.get(), p.proto(), p.port(), reachable.orElse(false), f.pos()));
                }
            });
        }
        return out;
    }

    private List<Node> listAt(Node node, String key) {
        if (YamlInput.isNull(node)) return List.of();
        if (node instanceof SequenceNode) return ((SequenceNode) node).getValue();
        problems.add(key, node, key + ": expected a list, got " + Fields.describe(node));
        return List.of();
    }

    /** A list that must be present and not empty. */
    private <T> List<T> nonEmpty(Fields f, String key, Function<String, T> parser) {
        Optional<Node> n = f.required(key);
        List<Node> items = f.list(key);
        if (n.isPresent() && items.isEmpty() && (YamlInput.isNull(n.get()) || n.get() instanceof SequenceNode)) {
            problems.add(f.path(key), n.get(), f.context() + key + ": the list is empty");
        }
        return f.parsedList(key, parser);
    }

    /**
     * Reports the second and later copies of a list item. The list is returned whole, so item i still matches
     * the position remembered as key[i].
     */
    private <T> List<T> unique(Fields f, String key, List<T> items) {
        Set<T> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(items.get(i))) {
                problems.at(f.path(key) + "[" + i + "]", f.context() + key + ": '" + items.get(i) + "' is listed twice");
            }
        }
        return items;
    }

    /** A service address: one address, put on lo of every service host as /32 or /128 (T1). */
    static Ip serviceAddress(String text) {
        InterfaceAddress a = InterfaceAddress.parse(text);
        if (a.length() != a.family().bits()) {
            throw new IllegalArgumentException("Service address '" + text + "' must be a single address (/"
                    + a.family().bits() + ")");
        }
        return a.ip();
    }

    /** "tcp/80", "udp/53", and, where a probe may use it, "icmp" (echo). */
    static PortDef port(String text, boolean icmp) {
        if (icmp && text.equals("icmp")) return new PortDef(Proto.ICMP, 0);
        int slash = text.indexOf('/');
        String expected = icmp ? "tcp/PORT, udp/PORT or icmp" : "tcp/PORT or udp/PORT";
        if (slash < 0) throw new IllegalArgumentException("Invalid port '" + text + "': expected " + expected);
        String proto = text.substring(0, slash), number = text.substring(slash + 1);
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new IllegalArgumentException("Invalid port '" + text + "': protocol '" + proto + "' is not "
                    + (icmp ? "tcp or udp (icmp takes no port)" : "tcp or udp"));
        }
        if (!number.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("Invalid port '" + text + "': '" + number + "' is not a port number");
        }
        int n = Integer.parseInt(number);
        if (n < 1 || n > 65535) throw new IllegalArgumentException("Invalid port '" + text + "': " + n + " is not in 1..65535");
        return new PortDef(Proto.parse(proto), n);
    }

    static Proto transport(String text) {
        if (text.equals("tcp") || text.equals("udp")) return Proto.parse(text);
        throw new IllegalArgumentException("Invalid protocol '" + text + "': expected tcp or udp");
    }

    /** "router:eth1": a host and one of its interfaces. */
    static String ifaceRef(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("Invalid interface reference '" + text + "': expected host:interface");
        }
        return text;
    }

    /** An expectation's target: a service name as written, or an address in canonical form. */
    static String target(String text) {
        boolean address = text.indexOf(':') >= 0 || (!text.isEmpty() && Character.isDigit(text.charAt(0)));
        return address ? Ip.parse(text).toString() : text;
    }
}
