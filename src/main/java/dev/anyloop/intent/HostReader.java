package dev.anyloop.intent;

import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.ReachDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.RpFilter;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads the {@code segments} and {@code hosts} sections into records; cross-references are the Validator's. */
final class HostReader {
    /** The route types anyloop renders; "ip route" knows more (throw, nat), which have no meaning here. */
    static final List<String> ROUTE_TYPES = List.of("unicast", "blackhole", "unreachable", "prohibit");

    private final Problems problems;

    HostReader(Problems problems) { this.problems = problems; }

    Map<String, SegmentDef> segments(Node node) {
        Map<String, SegmentDef> out = new LinkedHashMap<>();
        for (Fields.Entry e : Fields.entries(problems, node, "segments", "segments")) {
            String path = "segments/" + e.name();
            problems.remember(path, e.key());
            Names.checkName("segment", e.name(), Names.MAX_HOST).ifPresent(m -> problems.add(path, e.key(), m));
            Optional<Fields> fields = Fields.of(problems, e.value(), path, "segment " + e.name() + ": ", Section.SEGMENT);
            List<Prefix> prefixes = fields.map(f -> {
                Optional<Node> list = f.required("prefixes");
                List<Prefix> ps = f.parsedList("prefixes", Prefix::parse);
                if (list.isPresent() && f.list("prefixes").isEmpty()) {
                    problems.add(f.path("prefixes"), list.get(), f.context() + "prefixes: the list is empty");
                }
                return ps;
            }).orElse(List.of());
            Optional<ReachDef> reach = fields.flatMap(this::reach);
            out.put(e.name(), new SegmentDef(e.name(), prefixes, reach, problems.pos(e.key())));
        }
        return out;
    }

    /** {@code may-reach: [staff, internet]}: segment names (checked by the Validator) and the word internet. */
    private Optional<ReachDef> reach(Fields f) {
        Optional<Node> node = f.get("may-reach");
        if (node.isEmpty()) return Optional.empty();
        List<String> words = f.parsedList("may-reach", java.util.function.Function.identity());
        List<String> segments = new java.util.ArrayList<>();
        List<Pos> positions = new java.util.ArrayList<>();
        boolean internet = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < words.size(); k++) {
            String w = words.get(k);
            String at = f.path("may-reach") + "[" + k + "]";
            if (!seen.add(w)) {
                problems.at(at, f.context() + "may-reach: '" + w + "' is listed twice");
            } else if (w.equals(ReachDef.INTERNET)) {
                internet = true;
            } else {
                segments.add(w);
                positions.add(problems.where(at));
            }
        }
        return Optional.of(new ReachDef(segments, positions, internet, problems.pos(node.get())));
    }

    Map<String, HostDef> hosts(Node node) {
        Map<String, HostDef> out = new LinkedHashMap<>();
        for (Fields.Entry e : Fields.entries(problems, node, "hosts", "hosts")) {
            String path = "hosts/" + e.name();
            problems.remember(path, e.key());
            Names.checkName("host", e.name(), Names.MAX_HOST).ifPresent(m -> problems.add(path, e.key(), m));
            Pos pos = problems.pos(e.key());
            HostDef host = Fields.of(problems, e.value(), path, "host " + e.name() + ": ", Section.HOST)
                    .map(f -> host(e.name(), f, pos))
                    .orElse(new HostDef(e.name(), false, RpFilter.LOOSE, Map.of(), List.of(), List.of(), pos));
            out.put(e.name(), host);
        }
        return out;
    }

    private HostDef host(String name, Fields f, Pos pos) {
        boolean forwarding = f.bool("forwarding", false);
        RpFilter rp = f.word("rp-filter", RpFilter.class, RpFilter.LOOSE);
        Map<String, InterfaceDef> interfaces = new LinkedHashMap<>();
        Optional<Node> ifs = f.get("interfaces");
        if (ifs.isPresent()) {
            for (Fields.Entry e : Fields.entries(problems, ifs.get(), f.path("interfaces"), f.context() + "interfaces")) {
                String path = f.path("interfaces") + "/" + e.name();
                problems.remember(path, e.key());
                Optional<String> bad = e.name().equals("lo")
                        ? Optional.of("interface 'lo' is implicit: put its addresses under 'loopbacks'")
                        : Names.checkInterface(e.name());
                bad.ifPresent(m -> problems.add(path, e.key(), f.context() + m));
                String ctx = f.context() + "interface " + e.name() + ": ";
                Pos ipos = problems.pos(e.key());
                InterfaceDef def = Fields.of(problems, e.value(), path, ctx, Section.INTERFACE)
                        .map(i -> iface(e.name(), i, ipos))
                        .orElse(new InterfaceDef(e.name(), "", List.of(), List.of(), ipos));
                interfaces.put(e.name(), def);
            }
        }
        List<InterfaceAddress> loopbacks = f.parsedList("loopbacks", HostReader::loopback);
        List<RouteDef> routes = new java.util.ArrayList<>();
        List<Node> items = f.list("routes");
        for (int i = 0; i < items.size(); i++) {
            String path = f.path("routes") + "[" + i + "]";
            problems.remember(path, items.get(i));
            Fields.of(problems, items.get(i), path, f.context() + "route " + (i + 1) + ": ", Section.ROUTE)
                    .flatMap(r -> route(r, f.context())).ifPresent(routes::add);
        }
        return new HostDef(name, forwarding, rp, interfaces, loopbacks, routes, pos, f.text("comment"));
    }

    private InterfaceDef iface(String name, Fields f, Pos pos) {
        String segment = f.requiredText("segment").orElse("");
        List<InterfaceAddress> addresses = f.parsedList("addresses", HostReader::interfaceAddress);
        // "gateway: 192.168.1.254" or "gateway: [192.168.1.254, fd00:1::fe]"
        List<Ip> gateways = f.get("gateway")
                .map(g -> f.parsedItems(g instanceof SequenceNode ? f.list("gateway") : List.of(g), f.path("gateway"), Ip::parse))
                .orElse(List.of());
        return new InterfaceDef(name, segment, addresses, gateways, pos);
    }

    private Optional<RouteDef> route(Fields first, String hostContext) {
        Optional<Prefix> to = first.requiredParsed("to", Prefix::parse);
        if (to.isEmpty()) return Optional.empty();
        Fields f = first.withContext(hostContext + "route to " + to.get() + ": ");
        Optional<Ip> via = f.parsed("via", Ip::parse);
        Optional<String> dev = f.text("dev");
        // the kernel's metric (RTA_PRIORITY) is a u32; values over 2^31-1 are kept as the same 32 bits
        int metric = f.integer("metric", 0, 0xffffffffL).orElse(0L).intValue();
        Optional<Ip> src = f.parsed("src", Ip::parse);
        String type = f.text("type").orElse("unicast");
        if (!ROUTE_TYPES.contains(type)) {
            problems.add(f.path("type"), f.get("type").orElseThrow(), f.context() + "type: '" + type + "' is not one of "
                    + String.join(", ", ROUTE_TYPES) + Names.didYouMean(type, ROUTE_TYPES));
            // kept as written: the record is never returned, and "unicast" would add a misleading "needs via" error
        }
        return Optional.of(new RouteDef(to.get(), via, dev, metric, src, type, f.pos()));
    }

    /** A loopback address: the kernel would accept any length on lo, but a shorter one would claim a whole subnet. */
    static InterfaceAddress loopback(String text) {
        InterfaceAddress a = InterfaceAddress.parse(text);
        if (a.length() != a.family().bits()) {
            throw new IllegalArgumentException("Loopback '" + text + "' must be /" + a.family().bits()
                    + " (a single address on lo)");
        }
        Addresses.whyNotRoutable(a.ip()).ifPresent(why -> {
            throw new IllegalArgumentException("Loopback " + a.ip() + " is not a routable unicast address: " + why);
        });
        return a;
    }

    /** An interface address: any unicast address, link-local included (fe80::1/64 for a router-advertised gateway). */
    static InterfaceAddress interfaceAddress(String text) {
        InterfaceAddress a = InterfaceAddress.parse(text);
        Addresses.whyNotInterfaceAddress(a.ip()).ifPresent(why -> {
            throw new IllegalArgumentException("Address " + a + " cannot be an interface address: " + why);
        });
        return a;
    }
}
