package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Address;
import dev.anyloop.snapshot.IptablesSaveParser;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.IptablesTable;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Network;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Segment;
import dev.anyloop.state.Sysctls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test fixture: builds a {@link Network} by hand the way Linux would hold it. An interface address
 * brings its connected route (proto kernel, as the kernel adds it); the local table is left to the
 * FIB, which completes it as fib_add_ifaddr() does.
 */
final class NetFixture {
    private final Map<String, H> hosts = new LinkedHashMap<>();
    private final Map<String, List<Segment.Port>> segments = new LinkedHashMap<>();

    H host(String name) { return hosts.computeIfAbsent(name, H::new); }

    Network build() {
        Map<String, DeviceState> ds = new LinkedHashMap<>();
        for (H h : hosts.values()) ds.put(h.name, h.state());
        List<Segment> segs = new ArrayList<>();
        segments.forEach((n, ps) -> segs.add(new Segment(n, ps)));
        return new Network(ds, segs);
    }

    Simulator sim() { return Simulator.of(build()); }

    /** One host being built. */
    final class H {
        final String name;
        final List<Link> links = new ArrayList<>(List.of(new Link("lo", Link.Kind.LOOPBACK, true)));
        final List<Address> addresses = new ArrayList<>(List.of(
                new Address("lo", InterfaceAddress.parse("127.0.0.1/8"), Address.Scope.HOST),
                new Address("lo", InterfaceAddress.parse("::1/128"), Address.Scope.HOST)));
        final List<Route> routes = new ArrayList<>();
        final List<PolicyRule> rules = new ArrayList<>();
        final Map<String, String> sysctls = new HashMap<>();
        final List<Listener> listeners = new ArrayList<>();
        /** The native nftables ruleset, as {@code nft -j list ruleset} printed it. */
        dev.anyloop.state.nft.NftRuleset nft = dev.anyloop.state.nft.NftRuleset.empty();
        dev.anyloop.state.IpSet.Sets ipsets = dev.anyloop.state.IpSet.Sets.none();
        /** family -> table -> chain -> (policy, rule specs). */
        final Map<Family, Map<String, Map<String, ChainB>>> nf = new HashMap<>();

        H(String name) { this.name = name; }

        /** An ethernet interface on {@code segment} with addresses and their connected routes. */
        H iface(String dev, String segment, String... addrs) {
            links.add(new Link(dev, Link.Kind.ETHER, true));
            segments.computeIfAbsent(segment, s -> new ArrayList<>()).add(new Segment.Port(name, dev));
            for (String a : addrs) addr(dev, a);
            return this;
        }

        H addr(String dev, String a) {
            InterfaceAddress ia = InterfaceAddress.parse(a);
            addresses.add(Address.global(dev, ia));
            boolean lo = dev.equals("lo");
            if (!ia.network().isHost() && !lo) {
                int metric = ia.family() == Family.V4 ? 0 : 256;
                routes.add(Route.connected(ia.network(), dev, ia.ip(), metric));
            }
            return this;
        }

        /** Extra addresses on lo (T1). */
        H lo(String... addrs) {
            for (String a : addrs) addr("lo", a);
            return this;
        }

        H down(String dev) {
            links.replaceAll(l -> l.name().equals(dev) ? new Link(dev, l.kind(), false) : l);
            return this;
        }

        /** "[TYPE] DST [via GW] [dev DEV] [metric N] [src S] [table T] [nexthop via GW [dev D]]...". */
        H route(String spec) {
            String[] t = spec.trim().split("\\s+");
            int i = 0;
            Route.Type type = Route.Type.UNICAST;
            if (List.of("blackhole", "unreachable", "prohibit", "throw", "local").contains(t[0])) type = Route.Type.parse(t[i++]);
            Prefix dst = t[i].equals("default") ? null : (t[i].contains("/") ? Prefix.parse(t[i]) : Prefix.host(Ip.parse(t[i])));
            i++;
            List<NextHop> nhs = new ArrayList<>();
            Ip via = null;
            String dev = null;
            int metric = -1;
            int table = Route.TABLE_MAIN;
            Optional<Ip> src = Optional.empty();
            for (; i < t.length; i++) {
                switch (t[i]) {
                    case "via": via = Ip.parse(t[++i]); break;
                    case "dev": dev = t[++i]; break;
                    case "metric": metric = Integer.parseInt(t[++i]); break;
                    case "src": src = Optional.of(Ip.parse(t[++i])); break;
                    case "table": table = Route.parseTable(t[++i]); break;
                    case "nexthop":
                        if (via != null || dev != null) nhs.add(nh(via, dev));
                        via = null;
                        dev = null;
                        break;
                    default: throw new IllegalArgumentException("test route spec: unknown word " + t[i]);
                }
            }
            if (via != null || dev != null) nhs.add(nh(via, dev));
            Family f = dst != null ? dst.family() : nhs.get(0).via().orElseThrow().family();
            if (dst == null) dst = Prefix.any(f);
            if (metric < 0) metric = f == Family.V4 ? 0 : 1024;
            boolean gw = nhs.stream().anyMatch(n -> n.via().isPresent());
            routes.add(new Route(type, dst, table, nhs, metric, src, "static",
                    type == Route.Type.UNICAST && !gw ? Route.Scope.LINK : Route.Scope.GLOBAL));
            return this;
        }

        private NextHop nh(Ip via, String dev) {
            if (dev == null) {
                dev = addresses.stream().filter(a -> !a.address().network().isHost() && a.address().network().contains(via))
                        .map(Address::dev).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(name + ": gateway " + via + " is on no connected subnet"));
            }
            return new NextHop(Optional.ofNullable(via), dev, 1);
        }

        /** Replaces the default ip rules with these ("PRIO: [not] [from P] [to P] [iif D] lookup T|blackhole|..."). */
        H rule(String spec) { return rule(Family.V4, spec); }

        H rule(Family f, String spec) {
            String[] t = spec.trim().split("\\s+");
            int prio = Integer.parseInt(t[0].replace(":", ""));
            boolean not = false;
            Optional<Prefix> from = Optional.empty();
            Optional<Prefix> to = Optional.empty();
            Optional<String> iif = Optional.empty();
            PolicyRule.Action action = PolicyRule.Action.LOOKUP;
            int table = 0;
            int suppress = -1;
            Optional<Long> fwmark = Optional.empty();
            for (int i = 1; i < t.length; i++) {
                switch (t[i]) {
                    case "not": not = true; break;
                    case "suppress_prefixlength": suppress = Integer.parseInt(t[++i]); break;
                    case "fwmark": fwmark = Optional.of(Long.decode(t[++i])); break;
                    case "from": from = t[++i].equals("all") ? Optional.empty() : Optional.of(Prefix.parse(t[i])); break;
                    case "to": to = Optional.of(Prefix.parse(t[++i])); break;
                    case "iif": iif = Optional.of(t[++i]); break;
                    case "lookup": table = Route.parseTable(t[++i]); break;
                    default: action = PolicyRule.Action.valueOf(t[i].toUpperCase());
                }
            }
            Family fam = f;
            if (rules.stream().noneMatch(r -> r.family() == fam)) rules.addAll(PolicyRule.defaults(f));
            rules.add(new PolicyRule(f, prio, not, from, to, iif, Optional.empty(), fwmark, action, table).withSuppressPrefixlen(suppress));
            return this;
        }

        H sysctl(String k, String v) {
            sysctls.put(k, v);
            return this;
        }

        H forwarding() {
            return sysctl("net.ipv4.ip_forward", "1").sysctl("net.ipv6.conf.all.forwarding", "1");
        }

        /** "tcp 10.1.1.1:80", "udp [::]:53", "tcp 0.0.0.0:22", "tcp6only [::]:80". */
        H listen(String spec) { return listen(spec, "test"); }

        /** As {@link #listen(String)}, with the process name ss -p would show. */
        H listen(String spec, String process) {
            String[] t = spec.split(" ");
            boolean v6only = t[0].endsWith("6only");
            Proto p = Proto.parse(t[0].replace("6only", ""));
            int c = t[1].lastIndexOf(':');
            String a = t[1].substring(0, c).replace("[", "").replace("]", "");
            listeners.add(new Listener(p, Ip.parse(a), Integer.parseInt(t[1].substring(c + 1)), v6only, process));
            return this;
        }

        /**
         * The host's native nftables ruleset from test resource {@code /nft/NAME.json} (nft 1.0.6's JSON of
         * {@code /nft/NAME.nft}, taken in a namespace), read by the snapshot's own parser.
         */
        H nft(String name) {
            String file = "/nft/" + name + ".json";
            try (java.io.InputStream in = NetFixture.class.getResourceAsStream(file)) {
                if (in == null) throw new IllegalArgumentException("no test resource " + file);
                nft = dev.anyloop.snapshot.NftJsonParser.parse(file, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException | SnapshotException e) {
                throw new IllegalArgumentException("test ruleset " + file + ": " + e.getMessage(), e);
            }
            return this;
        }

        /** The host's ipsets from {@code ipset save} text, read by the snapshot's own parser. */
        H ipsets(String save) {
            try {
                ipsets = dev.anyloop.snapshot.IpsetSaveParser.parse("ipset.txt", save);
            } catch (SnapshotException e) {
                throw new IllegalArgumentException("test ipsets: " + e.getMessage(), e);
            }
            return this;
        }

        /** Appends "-A CHAIN rule" to {@code table} (IPv4; {@link #ip6tables} for IPv6). */
        H iptables(String table, String chain, String rule) { return nfRule(Family.V4, table, chain, rule); }

        H ip6tables(String table, String chain, String rule) { return nfRule(Family.V6, table, chain, rule); }

        H policy(String table, String chain, String policy) { return policy(Family.V4, table, chain, policy); }

        H policy(Family f, String table, String chain, String policy) {
            chainB(f, table, chain).policy = policy;
            return this;
        }

        /** Removes every rule of an IPv4 chain ("iptables -F CHAIN"). */
        H flush(String table, String chain) {
            chainB(Family.V4, table, chain).rules.clear();
            return this;
        }

        /** Declares a user chain ("iptables -N"). */
        H chain(String table, String chain) {
            chainB(Family.V4, table, chain).user = true;
            return this;
        }

        H chain6(String table, String chain) {
            chainB(Family.V6, table, chain).user = true;
            return this;
        }

        private H nfRule(Family f, String table, String chain, String rule) {
            chainB(f, table, chain).rules.add(rule);
            return this;
        }

        private ChainB chainB(Family f, String table, String chain) {
            return nf.computeIfAbsent(f, x -> new LinkedHashMap<>()).computeIfAbsent(table, x -> new LinkedHashMap<>())
                    .computeIfAbsent(chain, x -> new ChainB());
        }

        /**
         * The chains as iptables-save would print them, read by the snapshot's own parser: one rule syntax, no second
         * parser in the tests. Every chain that is not built in is a user chain.
         */
        private Netfilter netfilter(Family f) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Map<String, ChainB>> t : nf.getOrDefault(f, Map.of()).entrySet()) {
                List<String> builtin = IptablesTable.builtinsOf(t.getKey());
                sb.append('*').append(t.getKey()).append('\n');
                for (String b : builtin) sb.append(':').append(b).append(' ').append(t.getValue().getOrDefault(b, new ChainB()).policy).append(" [0:0]\n");
                for (String c : t.getValue().keySet()) if (!builtin.contains(c)) sb.append(':').append(c).append(" - [0:0]\n");
                t.getValue().forEach((c, chain) -> chain.rules.forEach(r -> sb.append("-A ").append(c).append(' ').append(r).append('\n')));
                sb.append("COMMIT\n");
            }
            try {
                return IptablesSaveParser.parse(name + "-" + f.word() + ".rules", sb.toString(), f);
            } catch (SnapshotException e) {
                throw new IllegalArgumentException("test rules of " + name + ": " + e.getMessage(), e);
            }
        }

        DeviceState state() {
            return DeviceState.builder(name).links(links).addresses(addresses).routes(routes).rules(rules).sysctls(Sysctls.of(sysctls))
                    .netfilter(netfilter(Family.V4)).netfilter(netfilter(Family.V6)).listeners(listeners).nftables(nft).ipsets(ipsets).build();
        }
    }

    private static final class ChainB {
        String policy = "ACCEPT";
        boolean user;
        final List<String> rules = new ArrayList<>();
    }
}
