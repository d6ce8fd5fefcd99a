package dev.anyloop.intent;

import dev.anyloop.intent.CheckSpec.Kind;
import dev.anyloop.intent.CheckSpec.Timing;
import dev.anyloop.intent.HealthDef.DampingDef;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code health:} (docs/network-yaml.md, "health"): probe sources, default timing, damping and per-service
 * checks, resolving every service's check against its ports. Checks against the rest of the file (a probe source
 * that collides with an address in use, too few probe sources) are {@link HealthChecks}'.
 */
final class HealthReader {
    /** Below this an interval is a busy loop, not a health check. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final Set<String> RCODES = Set.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
            "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE");
    static final Set<String> TYPES = Set.of("A", "AAAA", "ANY", "CAA", "CNAME", "DNSKEY", "DS", "HTTPS", "MX", "NS", "PTR",
            "SOA", "SRV", "SVCB", "TXT");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(\\.[0-9]{1,3})?(ms|s)");

    private final Problems problems;

    HealthReader(Problems problems) { this.problems = problems; }

    Optional<HealthDef> health(Node node, Map<String, ServiceDef> services) {
        Optional<Fields> read = Fields.of(problems, node, "health", "health: ", Section.HEALTH);
        if (read.isEmpty()) return Optional.empty();
        Fields f = read.get();
        problems.remember("health", node);
        List<Prefix> sources = f.parsedList("probe-sources", Prefix::parse);
        for (int i = 0; i < sources.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (sources.get(j).family() == sources.get(i).family()) {
                    problems.at("health/probe-sources[" + i + "]", "health: probe-sources: " + sources.get(i)
                            + " is a second " + HealthChecks.label(sources.get(i).family()) + " prefix (after " + sources.get(j) + "): one per family");
                }
            }
        }
        Timing timing = timing(f, Timing.DEFAULT);
        DampingDef damping = f.nested("damping", "damping", Section.DAMPING).map(this::damping).orElse(DampingDef.DEFAULT);
        Map<String, Fields> listed = new LinkedHashMap<>();
        Node listNode = f.get("services").orElse(null);
        List<Fields.Entry> entries = listNode == null ? List.of() : Fields.entries(problems, listNode, "health/services", "health: services");
        for (Fields.Entry e : entries) {
            String path = "health/services/" + e.name();
            problems.remember(path, e.key());
            if (!services.containsKey(e.name())) {
                problems.add(path, e.key(), "health: services: service '" + e.name() + "' is not defined"
                        + Names.didYouMean(e.name(), services.keySet()));
                continue;
            }
            Fields.of(problems, e.value(), path, "health: service " + e.name() + ": ", Section.CHECK).ifPresent(c -> listed.put(e.name(), c));
        }
        Map<String, Optional<CheckSpec>> checks = new LinkedHashMap<>();
        for (ServiceDef s : services.values()) {
            Fields c = listed.get(s.name());
            checks.put(s.name(), c == null ? derived(s, timing) : check(s, c, timing));
        }
        return Optional.of(new HealthDef(sources, damping, checks, f.pos()));
    }

    private Timing timing(Fields f, Timing base) {
        Duration interval = duration(f, "interval").orElse(base.interval());
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            problems.at(f.path("interval"), f.context() + "interval: " + words(interval) + " is below the minimum of "
                    + words(MIN_INTERVAL));
        }
        Duration timeout = duration(f, "timeout").orElse(base.timeout());
        if (timeout.isZero()) problems.at(f.path("timeout"), f.context() + "timeout: must be at least 1ms");
        int rise = f.integer("rise", 1, 100).map(Long::intValue).orElse(base.rise());
        int fall = f.integer("fall", 1, 100).map(Long::intValue).orElse(base.fall());
        return new Timing(interval, timeout, rise, fall);
    }

    private DampingDef damping(Fields f) {
        DampingDef d = DampingDef.DEFAULT;
        long penalty = f.integer("penalty", 1, 1_000_000).orElse((long) d.penalty());
        long suppress = f.integer("suppress", 1, 1_000_000).orElse((long) d.suppress());
        long reuse = f.integer("reuse", 1, 1_000_000).orElse((long) d.reuse());
        Duration half = duration(f, "half-life").orElse(d.halfLife());
        Duration max = duration(f, "max-suppress").orElse(d.maxSuppress());
        if (reuse >= suppress) {
            problems.at(f.path("reuse"), f.context() + "reuse " + reuse + " must be below suppress " + suppress
                    + " (an instance is held out above suppress until its penalty decays below reuse)");
        }
        if (half.isZero()) problems.at(f.path("half-life"), f.context() + "half-life: must be at least 1ms");
        if (max.compareTo(half) < 0) {
            problems.at(f.path("max-suppress"), f.context() + "max-suppress " + words(max) + " is shorter than half-life " + words(half));
        }
        return new DampingDef(penalty, suppress, reuse, half, max);
    }

    /** A service not listed under health: services: its ports say what to check. */
    private static Optional<CheckSpec> derived(ServiceDef s, Timing t) {
        Optional<PortDef> dns = dnsPort(s);
        if (dns.isPresent()) return Optional.of(dns(dns.get(), ".", "NS", List.of(), t));
        Optional<PortDef> tcp = s.ports().stream().filter(p -> p.proto() == Proto.TCP).findFirst();
        if (tcp.isPresent()) return Optional.of(new CheckSpec.Tcp(tcp.get().port(), t));
        if (s.ping()) return Optional.of(new CheckSpec.Icmp(t));
        return Optional.empty();
    }

    private static Optional<PortDef> dnsPort(ServiceDef s) {
        for (Proto p : List.of(Proto.UDP, Proto.TCP)) {
            Optional<PortDef> found = s.ports().stream().filter(x -> x.proto() == p && x.port() == 53).findFirst();
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    private static CheckSpec.Dns dns(PortDef p, String name, String type, List<String> rcodes, Timing t) {
        return new CheckSpec.Dns(p.proto(), p.port(), name, type, rcodes, t);
    }

    private Optional<CheckSpec> check(ServiceDef s, Fields c, Timing defaults) {
        Timing t = timing(c, defaults);
        Optional<CheckSpec> base = derived(s, t);
        Kind kind = c.word("check", Kind.class, base.map(CheckSpec::kind).orElse(Kind.NONE));
        Optional<PortDef> port = c.parsed("port", x -> ServiceReader.port(x, false));
        port.ifPresent(p -> {
            if (!s.ports().contains(p)) {
                problems.at(c.path("port"), c.context() + "port " + p + " is not one of the service's ports " + s.ports());
            }
        });
        List<String> only = switch (kind) {
            case DNS -> List.of("query", "type", "rcodes");
            case HTTP -> List.of("path", "status");
            default -> List.of();
        };
        for (String k : List.of("query", "type", "rcodes", "path", "status")) {
            if (!only.contains(k) && c.get(k).isPresent()) {
                problems.at(c.path(k), c.context() + k + ": only a " + (k.equals("path") || k.equals("status") ? "http" : "dns")
                        + " check takes it (this one is " + kind.word() + ")");
            }
        }
        switch (kind) {
            case NONE:
                return Optional.empty();
            case ICMP:
                port.ifPresent(p -> problems.at(c.path("port"), c.context() + "port: an icmp check takes no port"));
                if (!s.ping()) {
                    problems.at(c.path("check"), c.context() + "check icmp: the service has ping: false, so its hosts drop echo requests");
                }
                return Optional.of(new CheckSpec.Icmp(t));
            case TCP:
            case HTTP: {
                Optional<PortDef> p = port.isPresent() ? port : s.ports().stream().filter(x -> x.proto() == Proto.TCP).findFirst();
                if (p.isEmpty()) {
                    problems.at(c.path("check"), c.context() + "check " + kind.word() + ": the service has no tcp port to check");
                    return Optional.empty();
                }
                if (p.get().proto() != Proto.TCP) {
                    problems.at(c.path("port"), c.context() + "port " + p.get() + ": a " + kind.word() + " check needs a tcp port");
                }
                if (kind == Kind.TCP) return Optional.of(new CheckSpec.Tcp(p.get().port(), t));
                String path = c.parsed("path", HealthReader::httpPath).orElse("/");
                List<Integer> statuses = statuses(c);
                return Optional.of(new CheckSpec.Http(p.get().port(), path, statuses, t));
            }
            case DNS: {
                Optional<PortDef> p = port.isPresent() ? port : dnsPort(s).or(() -> s.ports().stream().findFirst());
                if (p.isEmpty()) {
                    problems.at(c.path("check"), c.context() + "check dns: the service has no port to send a query to");
                    return Optional.empty();
                }
                String name = c.parsed("query", HealthReader::dnsName).orElse(".");
                String type = c.parsed("type", HealthReader::dnsType).orElse("NS");
                List<String> rcodes = c.parsedList("rcodes", HealthReader::rcode);
                return Optional.of(dns(p.get(), name, type, rcodes, t));
            }
            default:
                throw new IllegalStateException("check kind " + kind);
        }
    }

    private List<Integer> statuses(Fields c) {
        Optional<Node> n = c.get("status");
        if (n.isEmpty()) return List.of(200);
        if (n.get() instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) return c.parsedList("status", HealthReader::status);
        return c.parsed("status", HealthReader::status).map(List::of).orElse(List.of(200));
    }

    private Optional<Duration> duration(Fields f, String key) { return f.parsed(key, HealthReader::duration); }

    /** "100ms", "2s", "1.5s": milliseconds or seconds, at most three decimals, at most an hour. */
    static Duration duration(String text) {
        var m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Invalid duration '" + text + "': expected a number and ms or s, like 100ms or 2s");
        }
        java.math.BigDecimal v = new java.math.BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        java.math.BigDecimal millis = m.group(3).equals("s") ? v.movePointRight(3) : v;
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("Invalid duration '" + text + "': finer than a millisecond");
        }
        Duration d = Duration.ofMillis(millis.longValueExact());
        if (d.compareTo(MAX_DURATION) > 0) throw new IllegalArgumentException("Invalid duration '" + text + "': over an hour");
        return d;
    }

    /** A duration as the file writes it: 250ms, 2s. */
    static String words(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 && ms > 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A DNS name: "." or dot-separated labels of letters, digits, '-' and '_', at most 253 characters. */
    static String dnsName(String text) {
        if (text.equals(".")) return text;
        String bare = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (bare.isEmpty() || bare.length() > 253) throw new IllegalArgumentException("Invalid DNS name '" + text + "': 1 to 253 characters");
        for (String label : bare.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("Invalid DNS name '" + text + "': label '" + label
                        + "' must be 1-63 letters, digits, '-' or '_', not starting or ending with '-'");
            }
        }
        return bare;
    }

    static String dnsType(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(t)) {
            throw new IllegalArgumentException("Invalid DNS type '" + text + "': expected one of " + new java.util.TreeSet<>(TYPES));
        }
        return t;
    }

    static String rcode(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (!RCODES.contains(t)) {
            throw new IllegalArgumentException("Invalid DNS rcode '" + text + "': expected one of " + new java.util.TreeSet<>(RCODES)
                    + Names.didYouMean(t, RCODES));
        }
        return t;
    }

    static String httpPath(String text) {
        if (!PATH.matcher(text).matches()) {
            throw new IllegalArgumentException("Invalid HTTP path '" + text + "': must start with '/' and hold no blank or control character");
        }
        return text;
    }

    static int status(String text) {
        if (!text.matches("[0-9]{3}") || text.charAt(0) < '1' || text.charAt(0) > '5') {
            throw new IllegalArgumentException("Invalid HTTP status '" + text + "': expected 100..599");
        }
        return Integer.parseInt(text);
    }
}
