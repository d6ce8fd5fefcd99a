package dev.anyloop.kernel;

import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Sysctls;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mutable builder of one generated host's {@link DeviceState}; the generator fills it in any order. */
final class HostBuilder {
    final String name;
    final boolean router;
    final List<Link> links = new ArrayList<>(List.of(new Link("lo", Link.Kind.LOOPBACK, true)));
    final List<Address> addresses = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();
    final Map<String, String> sysctls = new LinkedHashMap<>();
    final List<Listener> listeners = new ArrayList<>();
    /** family -> table -> chain -> rules; chains keep insertion order. */
    private final Map<Family, Map<String, Map<String, List<Rule>>>> rules = new LinkedHashMap<>();
    private final Map<Family, Map<String, Map<String, Target>>> policies = new LinkedHashMap<>();

    HostBuilder(String name, boolean router) {
        this.name = name;
        this.router = router;
        addresses.add(new Address("lo", InterfaceAddress.parse("127.0.0.1/8"), Address.Scope.HOST));
    }

    /** An interface on a segment with its IPv4 address (and IPv6 when given); the kernel's connected routes are declared too. */
    HostBuilder iface(String dev, InterfaceAddress v4, Optional<InterfaceAddress> v6) {
        links.add(new Link(dev, Link.Kind.ETHER, true));
        addresses.add(Address.global(dev, v4));
        routes.add(Route.connected(v4.network(), dev, v4.ip(), 0));
        v6.ifPresent(a -> {
            addresses.add(Address.global(dev, a));
            // the kernel's IPv6 prefix route: no prefsrc, metric 256
            routes.add(new Route(Route.Type.UNICAST, a.network(), Route.TABLE_MAIN, List.of(NextHop.dev(dev)), 256,
                    Optional.empty(), "kernel", Route.Scope.GLOBAL));
        });
        return this;
    }

    HostBuilder loopback(Ip ip) {
        addresses.add(Address.global("lo", InterfaceAddress.of(ip, ip.family().bits())));
        return this;
    }

    List<Ip> loopbacks(Family f) {
        return addresses.stream().filter(a -> a.dev().equals("lo") && a.address().family() == f && !a.address().ip().isLoopback())
                .map(a -> a.address().ip()).toList();
    }

    List<Ip> interfaceAddresses(Family f) {
        return addresses.stream().filter(a -> !a.dev().equals("lo") && a.address().family() == f).map(a -> a.address().ip()).toList();
    }

    Optional<Ip> addressOn(String dev, Family f) {
        return addresses.stream().filter(a -> a.dev().equals(dev) && a.address().family() == f).map(a -> a.address().ip()).findFirst();
    }

    HostBuilder via(Prefix dst, Ip gw, String dev, int metric, Optional<Ip> src) {
        // the kernel stores an IPv6 route added without a metric with metric 1024 (IP6_RT_PRIO_USER)
        if (dst.family() == Family.V6 && metric == 0) metric = 1024;
        routes.add(new Route(Route.Type.UNICAST, dst, Route.TABLE_MAIN, List.of(NextHop.via(gw, dev)), metric, src,
                Route.PROTO_ANYLOOP, Route.Scope.GLOBAL));
        return this;
    }

    /** blackhole / unreachable / prohibit: no next hop. */
    HostBuilder special(Route.Type type, Prefix dst, int metric) {
        if (dst.family() == Family.V6 && metric == 0) metric = 1024;
        routes.add(new Route(type, dst, Route.TABLE_MAIN, List.of(), metric, Optional.empty(), Route.PROTO_ANYLOOP, Route.Scope.GLOBAL));
        return this;
    }

    boolean hasRoute(Prefix dst, int metric) {
        int m = dst.family() == Family.V6 && metric == 0 ? 1024 : metric;
        return routes.stream().anyMatch(r -> r.dst().equals(dst) && r.metric() == m && r.table() == Route.TABLE_MAIN);
    }

    HostBuilder sysctl(String k, String v) {
        sysctls.put(k, v);
        return this;
    }

    HostBuilder listen(Proto p, Ip ip, int port) {
        listeners.add(Listener.of(p, ip, port, ""));
        return this;
    }

    HostBuilder rule(Family f, String table, String chain, Rule r) {
        rules.computeIfAbsent(f, k -> new LinkedHashMap<>()).computeIfAbsent(table, k -> new LinkedHashMap<>())
                .computeIfAbsent(chain, k -> new ArrayList<>()).add(r);
        return this;
    }

    /** Declares a user chain (so that it exists even without rules). */
    HostBuilder chain(Family f, String table, String chain) {
        rules.computeIfAbsent(f, k -> new LinkedHashMap<>()).computeIfAbsent(table, k -> new LinkedHashMap<>())
                .computeIfAbsent(chain, k -> new ArrayList<>());
        return this;
    }

    HostBuilder policy(Family f, String table, String chain, Target t) {
        policies.computeIfAbsent(f, k -> new LinkedHashMap<>()).computeIfAbsent(table, k -> new LinkedHashMap<>()).put(chain, t);
        chain(f, table, chain);
        return this;
    }

    private Netfilter netfilter(Family f) {
        Map<String, Map<String, List<Rule>>> tables = rules.getOrDefault(f, Map.of());
        List<Table> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Rule>>> t : tables.entrySet()) {
            List<Chain> chains = new ArrayList<>();
            List<String> builtin = dev.anyloop.state.IptablesTable.builtinsOf(t.getKey());
            for (String b : builtin) {
                Target p = policies.getOrDefault(f, Map.of()).getOrDefault(t.getKey(), Map.of()).getOrDefault(b, new Target.Accept());
                chains.add(Chain.builtin(b, p, t.getValue().getOrDefault(b, List.of())));
            }
            for (Map.Entry<String, List<Rule>> c : t.getValue().entrySet()) {
                if (!builtin.contains(c.getKey())) chains.add(Chain.user(c.getKey(), c.getValue()));
            }
            out.add(new Table(t.getKey(), chains));
        }
        return new Netfilter(f, out);
    }

    DeviceState build() {
        return DeviceState.builder(name).links(links).addresses(addresses).routes(routes).sysctls(Sysctls.of(sysctls))
                .netfilter(netfilter(Family.V4)).netfilter(netfilter(Family.V6)).listeners(listeners).build();
    }
}
