package dev.anyloop.lab;

import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which namespaces, bridges and veth pairs a lab of a {@link Network} needs: one namespace per host,
 * one per multi-access segment (holding a Linux bridge), a direct veth pair for a two-member segment,
 * and a host's own bridge (Docker's docker0) as the hub of its segment. Pure: nothing here touches the
 * system. Every device is born inside a lab namespace ({@code ip link add NAME netns NS ...}), so
 * nothing is ever created in, or moved into, the root namespace.
 */
public record LabPlan(String lab, Map<String, String> hostNamespaces, List<Namespace> namespaces,
                      List<Bridge> bridges, List<Veth> veths) {
    /** Lab names: no '-', so that the prefix {@code al-<lab>-} of one lab is never a prefix of another's. */
    private static final Pattern LAB_NAME = Pattern.compile("[a-z][a-z0-9]{0,11}");
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern NSNAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
    /** Linux IFNAMSIZ is 16 bytes including the terminating NUL. */
    public static final int IFNAME_MAX = 15;
    /** The bridge of a switch namespace. */
    public static final String SWITCH_BRIDGE = "br0";

    public LabPlan {
        hostNamespaces = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hostNamespaces));
        namespaces = List.copyOf(namespaces);
        bridges = List.copyOf(bridges);
        veths = List.copyOf(veths);
    }

    /** What a namespace stands for: a host, or the switch of a multi-access segment. */
    public enum Role { HOST, SWITCH }

    /** One lab namespace; {@code owner} is the host or segment name. */
    public record Namespace(String name, Role role, String owner) { }

    /** A Linux bridge to create in {@code namespace}. */
    public record Bridge(String namespace, String name) { }

    /** One end of a veth pair: its namespace, its name there, and the bridge it is enslaved to, if any. */
    public record End(String namespace, String name, Optional<String> master) {
        static End plain(String ns, String name) { return new End(ns, name, Optional.empty()); }
    }

    /** A veth pair; both ends are created directly inside their namespaces. */
    public record Veth(End a, End b) { }

    /** The namespace prefix every namespace of lab {@code lab} carries. */
    public static String prefix(String lab) { return "al-" + lab + "-"; }

    /** The prefix every lab namespace of any lab carries. */
    public static final String ALL_PREFIX = "al-";

    /** Rejects a lab name that is not {@code [a-z][a-z0-9]{0,11}}, with the reason. */
    public static String checkLabName(String lab) {
        if (!LAB_NAME.matcher(lab).matches()) {
            throw new IllegalArgumentException("Invalid lab name '" + lab
                    + "': expected a lowercase letter then up to 11 lowercase letters or digits (no '-', so lab prefixes never overlap)");
        }
        return lab;
    }

    /** Plans the lab {@code lab} for network {@code n}; throws IllegalArgumentException naming what cannot be built. */
    public static LabPlan of(String lab, Network n) {
        checkLabName(lab);
        return new Builder(lab, n).build();
    }

    public String namespaceOf(String host) {
        String ns = hostNamespaces.get(host);
        if (ns == null) throw new IllegalArgumentException("no host '" + host + "' in lab " + lab);
        return ns;
    }

    /**
     * Input for {@code ip -batch -} run in the root namespace: every line creates a device with
     * {@code netns NS}, so the kernel creates it inside NS (rtnl_newlink's IFLA_NET_NS_FD), never here.
     */
    public String createBatch() {
        StringBuilder sb = new StringBuilder();
        for (Bridge b : bridges) {
            sb.append("link add ").append(b.name()).append(" netns ").append(b.namespace()).append(" type bridge\n");
        }
        for (Veth v : veths) {
            sb.append("link add ").append(v.a().name()).append(" netns ").append(v.a().namespace())
                    .append(" type veth peer name ").append(v.b().name()).append(" netns ").append(v.b().namespace()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Input for {@code ip -n NS -batch -}: lo and bridges up, ports enslaved, then every end up except
     * a host interface the network declares down.
     */
    public String linkBatch(String ns, Network n) {
        Optional<DeviceState> host = namespaces.stream().filter(x -> x.name().equals(ns) && x.role() == Role.HOST)
                .findFirst().flatMap(x -> n.host(x.owner()));
        StringBuilder sb = new StringBuilder("link set dev lo up\n");
        for (Bridge b : bridges) {
            if (b.namespace().equals(ns) && declaredUp(host, b.name())) sb.append("link set dev ").append(b.name()).append(" up\n");
        }
        for (End e : ends()) {
            if (!e.namespace().equals(ns)) continue;
            e.master().ifPresent(m -> sb.append("link set dev ").append(e.name()).append(" master ").append(m).append('\n'));
            if (declaredUp(host, e.name())) sb.append("link set dev ").append(e.name()).append(" up\n");
        }
        return sb.toString();
    }

    private static boolean declaredUp(Optional<DeviceState> host, String dev) {
        return host.flatMap(h -> h.link(dev)).map(Link::up).orElse(true);
    }

    /** Every veth end, both sides. */
    public List<End> ends() {
        List<End> out = new ArrayList<>();
        for (Veth v : veths) {
            out.add(v.a());
            out.add(v.b());
        }
        return out;
    }

    /** The interfaces the plan creates in {@code ns} (lo excluded). */
    public List<String> interfacesIn(String ns) {
        List<String> out = new ArrayList<>();
        for (Bridge b : bridges) if (b.namespace().equals(ns)) out.add(b.name());
        for (End e : ends()) if (e.namespace().equals(ns)) out.add(e.name());
        return out;
    }

    /** Builds a plan; one instance per call. */
    private static final class Builder {
        private final String lab;
        private final Network n;
        private final Map<String, String> hostNs = new LinkedHashMap<>();
        private final List<Namespace> namespaces = new ArrayList<>();
        private final List<Bridge> bridges = new ArrayList<>();
        private final List<Veth> veths = new ArrayList<>();
        /** Interface names taken per namespace, so generated names never collide with declared ones. */
        private final Map<String, Set<String>> used = new HashMap<>();
        private final Map<String, Integer> counters = new HashMap<>();
        private final Set<Segment.Port> attached = new HashSet<>();

        Builder(String lab, Network n) {
            this.lab = lab;
            this.n = n;
        }

        LabPlan build() {
            for (DeviceState d : n.hosts().values()) {
                String ns = addNamespace(prefix(lab) + d.host(), Role.HOST, d.host());
                hostNs.put(d.host(), ns);
                Set<String> names = used.computeIfAbsent(ns, k -> new HashSet<>());
                names.add("lo");
                for (Link l : d.links()) {
                    checkIfname(d.host(), l.name());
                    names.add(l.name());
                    if (l.kind() == Link.Kind.BRIDGE) bridges.add(new Bridge(ns, l.name()));
                }
            }
            for (Segment s : n.segments()) segment(s);
            // An interface on no segment still needs a device to carry its addresses; this kernel may lack
            // the dummy driver, so it gets a veth whose peer stays in the same namespace (carrier up).
            for (DeviceState d : n.hosts().values()) {
                for (Link l : d.links()) {
                    if (l.kind() == Link.Kind.LOOPBACK || l.kind() == Link.Kind.BRIDGE || l.name().equals("lo")) continue;
                    if (attached.contains(new Segment.Port(d.host(), l.name()))) continue;
                    stub(d.host(), l.name());
                }
            }
            return new LabPlan(lab, hostNs, namespaces, bridges, veths);
        }

        private String addNamespace(String name, Role role, String owner) {
            if (!NSNAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Invalid namespace name '" + name + "': only [A-Za-z0-9_.-] allowed");
            }
            for (Namespace x : namespaces) {
                if (x.name().equals(name)) {
                    throw new IllegalArgumentException("namespace '" + name + "' would stand for both " + x.role().name().toLowerCase()
                            + " '" + x.owner() + "' and " + role.name().toLowerCase() + " '" + owner + "': rename one");
                }
            }
            namespaces.add(new Namespace(name, role, owner));
            return name;
        }

        private void segment(Segment s) {
            List<Segment.Port> ports = s.ports();
            for (Segment.Port p : ports) {
                DeviceState d = n.host(p.host()).orElseThrow(() -> new IllegalArgumentException(
                        "segment " + s.name() + ": port " + p + " names host '" + p.host() + "', which is not in the network"));
                checkIfname(d.host(), p.dev());
                if ("lo".equals(p.dev())) throw new IllegalArgumentException("segment " + s.name() + ": port " + p + " is the loopback");
                if (!attached.add(p)) throw new IllegalArgumentException("port " + p + " is on two segments (second: " + s.name() + ")");
                used.get(hostNs.get(p.host())).add(p.dev());
            }
            Optional<Segment.Port> hub = ports.stream().filter(this::isBridge).findFirst();
            if (hub.isPresent()) {
                // Docker's docker0: the host's own bridge is the segment; every other port joins it by veth.
                String hubNs = hostNs.get(hub.get().host());
                for (Segment.Port p : ports) {
                    if (p.equals(hub.get())) continue;
                    veths.add(new Veth(portEnd(p), new End(hubNs, generate(hubNs, p.host()), Optional.of(hub.get().dev()))));
                }
            } else if (ports.size() == 2) {
                veths.add(new Veth(portEnd(ports.get(0)), portEnd(ports.get(1))));
            } else if (ports.size() > 2) {
                String sw = addNamespace(prefix(lab) + "sw-" + s.name(), Role.SWITCH, s.name());
                used.computeIfAbsent(sw, k -> new HashSet<>()).addAll(Set.of("lo", SWITCH_BRIDGE));
                bridges.add(new Bridge(sw, SWITCH_BRIDGE));
                for (Segment.Port p : ports) {
                    veths.add(new Veth(portEnd(p), new End(sw, generate(sw, p.host()), Optional.of(SWITCH_BRIDGE))));
                }
            } else if (ports.size() == 1) {
                stub(ports.get(0).host(), ports.get(0).dev());
            }
        }

        private boolean isBridge(Segment.Port p) {
            return n.host(p.host()).flatMap(d -> d.link(p.dev())).map(l -> l.kind() == Link.Kind.BRIDGE).orElse(false);
        }

        /** A port's own end: the declared name, or, for a bridge port, a generated name enslaved to it. */
        private End portEnd(Segment.Port p) {
            String ns = hostNs.get(p.host());
            if (isBridge(p)) return new End(ns, generate(ns, p.dev()), Optional.of(p.dev()));
            return End.plain(ns, p.dev());
        }

        private void stub(String host, String dev) {
            String ns = hostNs.get(host);
            veths.add(new Veth(End.plain(ns, dev), End.plain(ns, generate(ns, dev))));
        }

        /** "v<k>-<hint>", cut to 15 bytes, the first not yet used in {@code ns}. Deterministic for a given network. */
        private String generate(String ns, String hint) {
            Set<String> names = used.computeIfAbsent(ns, k -> new HashSet<>());
            while (true) {
                int k = counters.merge(ns, 1, Integer::sum) - 1;
                String name = "v" + k + "-" + hint;
                if (name.length() > IFNAME_MAX) name = name.substring(0, IFNAME_MAX);
                if (names.add(name)) return name;
            }
        }

        private static void checkIfname(String host, String name) {
            if (!IFNAME.matcher(name).matches() || name.getBytes(StandardCharsets.UTF_8).length > IFNAME_MAX
                    || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("host " + host + ": invalid interface name '" + name
                        + "': Linux allows 1-15 bytes; anyloop takes [A-Za-z0-9_.-] only");
            }
        }
    }
}
