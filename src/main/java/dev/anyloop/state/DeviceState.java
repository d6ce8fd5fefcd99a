package dev.anyloop.state;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import java.util.List;
import java.util.Optional;

/**
 * What one Linux host holds: links, addresses, routes (all tables), policy rules, sysctls, netfilter
 * for both families and listening sockets. The compiler makes it from intent, the snapshot reader
 * from a live host; the simulator, renderers and differ read only this.
 */
public record DeviceState(String host, List<Link> links, List<Address> addresses, List<Route> routes,
                          List<PolicyRule> rules, Sysctls sysctls, Netfilter ipv4, Netfilter ipv6,
                          List<Listener> listeners) {
    public DeviceState {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
        listeners = List.copyOf(listeners);
    }

    public Netfilter netfilter(Family f) { return f == Family.V4 ? ipv4 : ipv6; }

    public Optional<Link> link(String name) {
        for (Link l : links) if (l.name().equals(name)) return Optional.of(l);
        return Optional.empty();
    }

    /** True when {@code ip} is configured on any interface of this host (lo included). */
    public boolean hasAddress(Ip ip) {
        for (Address a : addresses) if (a.address().ip().equals(ip)) return true;
        return false;
    }

    public List<Address> addressesOn(String dev) {
        return addresses.stream().filter(a -> a.dev().equals(dev)).toList();
    }

    public List<Route> routes(Family f) { return routes.stream().filter(r -> r.family() == f).toList(); }

    public List<PolicyRule> rules(Family f) { return rules.stream().filter(r -> r.family() == f).toList(); }

    public DeviceState withRoutes(List<Route> newRoutes) {
        return new DeviceState(host, links, addresses, newRoutes, rules, sysctls, ipv4, ipv6, listeners);
    }

    public DeviceState withLinks(List<Link> newLinks) {
        return new DeviceState(host, newLinks, addresses, routes, rules, sysctls, ipv4, ipv6, listeners);
    }

    public DeviceState withNetfilter(Netfilter v4, Netfilter v6) {
        return new DeviceState(host, links, addresses, routes, rules, sysctls, v4, v6, listeners);
    }
}
