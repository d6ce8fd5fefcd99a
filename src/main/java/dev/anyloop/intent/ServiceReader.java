package dev.anyloop.intent;

import dev.anyloop.intent.Intent.AllowDef;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.Bind;
import dev.anyloop.intent.Intent.DockerDef;
import dev.anyloop.intent.Intent.Publish;
import dev.anyloop.intent.Intent.Routing;
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
    /** The widest port range a service may name: every port of it is a socket on the service host (and in the lab). */
    static final int MAX_RANGE = 16_384;

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
                            Bind.ADDRESS, Optional.empty(), Routing.STATIC, pos, Optional.empty()));
            out.put(e.name(), s);
        }
        return out;
    }

    private ServiceDef service(String name, Fields f, Pos pos) {
        List<Ip> addresses = nonEmpty(f, "addresses", ServiceReader::serviceAddress);
        List<PortDef> ports = unique(f, "ports", f.parsedList("ports", s -> port(s, false)));
        overlappingPorts(f, ports);
        boolean ping = f.bool("ping", true);
        List<String> hosts = unique(f, "hosts", nonEmpty(f, "hosts", Function.identity()));
        Bind bind = f.word("bind", Bind.class, Bind.ADDRESS);
        AllowDef allow = f.nested("allow", "allow", Section.ALLOW).map(this::allow).orElse(AllowDef.everyone());
        Optional<DockerDef> docker = f.nested("docker", "docker", Section.DOCKER).flatMap(this::docker);
        docker.ifPresent(d -> checkDocker(f, d, hosts, ports));
        Routing routing = f.word("routing", Routing.class, Routing.STATIC);
        return new ServiceDef(name, addresses, ports, ping, hosts, allow, bind, docker, routing, pos, f.text("comment"));
    }

    /** Two ranges of one service that share a port would be one socket opened twice. */
    private void overlappingPorts(Fields f, List<PortDef> ports) {
        for (int i = 0; i < ports.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ports.get(i).overlaps(ports.get(j)) && !ports.get(i).equals(ports.get(j))) {
                    problems.at(f.path("ports") + "[" + i + "]", f.context() + "ports: " + ports.get(i) + " overlaps "
                            + ports.get(j) + "; list each port once");
                }
            }
        }
    }

    private AllowDef allow(Fields f) {
        List<AllowEntry> entries = new ArrayList<>();
        List<String> segments = unique(f, "segments", f.parsedList("segments", Function.identity()));
        for (int k = 0; k < segments.size(); k++) {
            entries.add(AllowEntry.segment(segments.get(k), problems.where(f.path("segments") + "[" + k + "]")));
        }
        List<Prefix> sources = unique(f, "sources", f.parsedList("sources", Prefix::parse));
        for (int k = 0; k < sources.size(); k++) {
            entries.add(AllowEntry.source(sources.get(k), problems.where(f.path("sources") + "[" + k + "]")));
        }
        int k = 0;
        for (String ref : unique(f, "interfaces", f.parsedList("interfaces", ServiceReader::ifaceRef))) {
            int colon = ref.indexOf(':');
            Pos at = problems.where(f.path("interfaces") + "[" + k++ + "]");
            entries.add(AllowEntry.iface(new IfaceRef(ref.substring(0, colon), ref.substring(colon + 1), at)));
        }
        return new AllowDef(entries, f.pos());
    }

    /**
     * {@code container} and either {@code publish: ["80:2368", "443:2443/tcp", ...]} (docker run -p syntax) or the single
     * {@code container-port} / {@code host-port} / {@code proto}.
     */
    private Optional<DockerDef> docker(Fields f) {
        Optional<String> container = f.requiredText("container");
        container.flatMap(c -> Names.checkName("container", c, Names.MAX_HOST))
                .ifPresent(m -> problems.add(f.path("container"), f.get("container").orElseThrow(), f.context() + m));
        Optional<Node> list = f.get("publish");
        List<Publish> publish = new ArrayList<>();
        if (list.isPresent()) {
            for (String single : List.of("container-port", "host-port", "proto")) {
                f.get(single).ifPresent(n -> problems.add(f.path(single), n, f.context() + single
                        + ": give either 'publish' or container-port/host-port/proto, not both"));
            }
            publish.addAll(unique(f, "publish", f.parsedList("publish", ServiceReader::publish)));
            if (f.list("publish").isEmpty()) problems.add(f.path("publish"), list.get(), f.context() + "publish: the list is empty");
            Set<String> hostPorts = new HashSet<>();
            for (int i = 0; i < publish.size(); i++) {
                Publish p = publish.get(i);
                if (!hostPorts.add(p.proto() + "/" + p.hostPort())) {
                    problems.at(f.path("publish") + "[" + i + "]", f.context() + "publish: host port " + p.proto().word() + "/"
                            + p.hostPort() + " is published twice");
                }
            }
            if (container.isEmpty() || publish.isEmpty()) return Optional.empty();
        } else {
            Optional<Long> containerPort = f.required("container-port").flatMap(n -> f.integer("container-port", 1, 65535));
            long hostPort = f.integer("host-port", 1, 65535).orElse(containerPort.orElse(1L));
            Proto proto = f.parsed("proto", ServiceReader::transport).orElse(Proto.TCP);
            if (container.isEmpty() || containerPort.isEmpty()) return Optional.empty();
            publish.add(new Publish(proto, (int) hostPort, containerPort.get().intValue()));
        }
        return Optional.of(new DockerDef(container.get(), publish, f.pos()));
    }

    /** Docker publishes on one host only, and each host port is one of the service's ports (the firewall allows only those). */
    private void checkDocker(Fields f, DockerDef d, List<String> hosts, List<PortDef> ports) {
        Node docker = f.get("docker").orElseThrow();
        if (hosts.size() > 1) {
            problems.add(f.path("docker"), docker, f.context() + "docker: a container runs on one host, but the service has "
                    + hosts.size() + " hosts (" + String.join(", ", hosts) + ")");
        }
        for (Publish p : d.publish()) {
            if (!ports.isEmpty() && ports.stream().noneMatch(x -> x.contains(p.proto(), p.hostPort()))) {
                problems.add(f.path("docker"), docker, f.context() + "docker: host-port " + p.proto().word() + "/" + p.hostPort()
                        + " clashes with ports " + ports + ": the published port must be one of the service's ports");
            }
        }
    }

    /** "80:2368", "443:2443/tcp", "5353:53/udp": docker run -p HOSTPORT:CONTAINERPORT[/PROTO] (the address is the service's). */
    static Publish publish(String text) {
        String ports = text;
        Proto proto = Proto.TCP;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            ports = text.substring(0, slash);
            String p = text.substring(slash + 1);
            if (!p.equals("tcp") && !p.equals("udp")) {
                throw new IllegalArgumentException("Invalid publish '" + text + "': protocol '" + p + "' is not tcp or udp");
            }
            proto = Proto.parse(p);
        }
        String[] parts = ports.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("Invalid publish '" + text + "': expected HOSTPORT:CONTAINERPORT[/tcp|udp], as docker run -p"
                    + " writes it without the address");
        }
        return new Publish(proto, portNumber(text, parts[0]), portNumber(text, parts[1]));
    }

    private static int portNumber(String text, String number) {
        if (!number.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("Invalid port '" + text + "': '" + number + "' is not a port number");
        }
        int n = Integer.parseInt(number);
        if (n < 1 || n > 65535) throw new IllegalArgumentException("Invalid port '" + text + "': " + n + " is not in 1..65535");
        return n;
    }

    List<SourceDef> sources(Node node) {
        List<SourceDef> out = new ArrayList<>();
        List<Node> items = listAt(node, "source-addresses");
        for (int i = 0; i < items.size(); i++) {
            String path = "source-addresses[" + i + "]";
            problems.remember(path, items.get(i));
            Fields.of(problems, items.get(i), path, "source-addresses entry " + (i + 1) + ": ", Section.SOURCE).ifPresent(f -> {
                Optional<String> host = f.requiredText("host");
                Optional<Prefix> to = f.requiredParsed("to", ServiceReader::destination);
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

    /** A service address: one routable unicast address, put on lo of every service host as /32 or /128 (T1). */
    static Ip serviceAddress(String text) {
        InterfaceAddress a = InterfaceAddress.parse(text);
        if (a.length() != a.family().bits()) {
            throw new IllegalArgumentException("Service address '" + text + "' must be a single address (/"
                    + a.family().bits() + ")");
        }
        Addresses.whyNotRoutable(a.ip()).ifPresent(why -> {
            throw new IllegalArgumentException("Service address " + a.ip() + " is not a routable unicast address: " + why);
        });
        return a.ip();
    }

    /** A source intent's destination: a prefix, or one address standing for its /32 or /128. */
    static Prefix destination(String text) {
        if (text.indexOf('/') < 0) return Prefix.host(Ip.parse(text));
        return Prefix.parse(text);
    }

    /** "tcp/80", "udp/53", a range "tcp/8000-8010" (services only), and, where a probe may use it, "icmp" (echo). */
    static PortDef port(String text, boolean icmp) {
        if (icmp && text.equals("icmp")) return new PortDef(Proto.ICMP, 0);
        int slash = text.indexOf('/');
        String expected = icmp ? "tcp/PORT, udp/PORT or icmp" : "tcp/PORT, udp/PORT or a range such as tcp/8000-8010";
        if (slash < 0) throw new IllegalArgumentException("Invalid port '" + text + "': expected " + expected);
        String proto = text.substring(0, slash), number = text.substring(slash + 1);
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new IllegalArgumentException("Invalid port '" + text + "': protocol '" + proto + "' is not "
                    + (icmp ? "tcp or udp (icmp takes no port)" : "tcp or udp"));
        }
        int dash = number.indexOf('-');
        if (dash > 0 && !icmp) {
            int first = portNumber(text, number.substring(0, dash)), last = portNumber(text, number.substring(dash + 1));
            if (last < first) {
                throw new IllegalArgumentException("Port range '" + text + "' ends (" + last + ") before it starts (" + first + ")");
            }
            if (last - first + 1 > MAX_RANGE) {
                throw new IllegalArgumentException("Port range '" + text + "' has " + (last - first + 1)
                        + " ports, over the limit of " + MAX_RANGE + " (each is a socket on the service host)");
            }
            return new PortDef(Proto.parse(proto), first, last);
        }
        return new PortDef(Proto.parse(proto), portNumber(text, number));
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
