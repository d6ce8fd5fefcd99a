package dev.anyloop.state;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.state.nft.NftRuleset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Linux host holds: links, addresses, routes (all tables), policy rules, sysctls, the
 * iptables tables of both families, the native nftables ruleset, ipsets and listening sockets. The
 * compiler makes it from intent, the snapshot reader from a live host; the simulator, renderers and
 * differ read only this. Build one with {@link #builder}, change one with the {@code with...} methods.
 */
public record DeviceState(String host, List<Link> links, List<Address> addresses, List<Route> routes,
                          List<PolicyRule> rules, Sysctls sysctls, Netfilter ipv4, Netfilter ipv6,
                          List<Listener> listeners, NftRuleset nftables, IpSet.Sets ipsets) {
    public DeviceState {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        rules = List.copyOf(rules);
        listeners = List.copyOf(listeners);
    }

    /** A host without native nftables rules or ipsets (what the compiler makes). */
    public DeviceState(String host, List<Link> links, List<Address> addresses, List<Route> routes,
                       List<PolicyRule> rules, Sysctls sysctls, Netfilter ipv4, Netfilter ipv6, List<Listener> listeners) {
        this(host, links, addresses, routes, rules, sysctls, ipv4, ipv6, listeners, NftRuleset.empty(), IpSet.Sets.none());
    }

    public static Builder builder(String host) { return new Builder(host); }

    /** A builder holding this state, to change several parts at once. */
    public Builder toBuilder() {
        Builder b = new Builder(host);
        b.links.addAll(links);
        b.addresses.addAll(addresses);
        b.routes.addAll(routes);
        b.rules.addAll(rules);
        b.sysctls.putAll(sysctls.values());
        b.ipv4 = ipv4;
        b.ipv6 = ipv6;
        b.listeners.addAll(listeners);
        b.nftables = nftables;
        b.ipsets = ipsets;
        return b;
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

    // each with... shares every other part (immutable) with this state, the very same objects: the simulator keeps
    // what it compiled from a part that is identical (a failover scenario changes one host's routes only)
    public DeviceState withLinks(List<Link> v) { return new DeviceState(host, v, addresses, routes, rules, sysctls, ipv4, ipv6, listeners, nftables, ipsets); }

    public DeviceState withAddresses(List<Address> v) { return new DeviceState(host, links, v, routes, rules, sysctls, ipv4, ipv6, listeners, nftables, ipsets); }

    public DeviceState withRoutes(List<Route> v) { return new DeviceState(host, links, addresses, v, rules, sysctls, ipv4, ipv6, listeners, nftables, ipsets); }

    public DeviceState withRules(List<PolicyRule> v) { return new DeviceState(host, links, addresses, routes, v, sysctls, ipv4, ipv6, listeners, nftables, ipsets); }

    public DeviceState withSysctls(Sysctls v) { return new DeviceState(host, links, addresses, routes, rules, v, ipv4, ipv6, listeners, nftables, ipsets); }

    public DeviceState withNetfilter(Netfilter a, Netfilter b) {
        Netfilter v4 = ipv4, v6 = ipv6;
        for (Netfilter nf : List.of(a, b)) {
            if (nf.family() == Family.V4) v4 = nf;
            else v6 = nf;
        }
        return new DeviceState(host, links, addresses, routes, rules, sysctls, v4, v6, listeners, nftables, ipsets);
    }

    public DeviceState withListeners(List<Listener> v) { return new DeviceState(host, links, addresses, routes, rules, sysctls, ipv4, ipv6, v, nftables, ipsets); }

    public DeviceState withNftables(NftRuleset v) { return new DeviceState(host, links, addresses, routes, rules, sysctls, ipv4, ipv6, listeners, v, ipsets); }

    public DeviceState withIpsets(IpSet.Sets v) { return new DeviceState(host, links, addresses, routes, rules, sysctls, ipv4, ipv6, listeners, nftables, v); }

    /** Collects a host's parts in any order; lists keep the order they were added in. */
    public static final class Builder {
        private final String host;
        private final List<Link> links = new ArrayList<>();
        private final List<Address> addresses = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<PolicyRule> rules = new ArrayList<>();
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private Netfilter ipv4 = Netfilter.empty(Family.V4);
        private Netfilter ipv6 = Netfilter.empty(Family.V6);
        private final List<Listener> listeners = new ArrayList<>();
        private NftRuleset nftables = NftRuleset.empty();
        private IpSet.Sets ipsets = IpSet.Sets.none();

        private Builder(String host) { this.host = host; }

        public Builder link(Link l) { links.add(l); return this; }

        public Builder links(List<Link> v) { links.clear(); links.addAll(v); return this; }

        public Builder address(Address a) { addresses.add(a); return this; }

        public Builder addresses(List<Address> v) { addresses.clear(); addresses.addAll(v); return this; }

        public Builder route(Route r) { routes.add(r); return this; }

        public Builder routes(List<Route> v) { routes.clear(); routes.addAll(v); return this; }

        public Builder rule(PolicyRule r) { rules.add(r); return this; }

        public Builder rules(List<PolicyRule> v) { rules.clear(); rules.addAll(v); return this; }

        public Builder sysctl(String key, String value) { sysctls.put(key, value); return this; }

        public Builder sysctls(Sysctls v) { sysctls.clear(); sysctls.putAll(v.values()); return this; }

        /** The iptables tables of the family {@code nf} is for. */
        public Builder netfilter(Netfilter nf) {
            if (nf.family() == Family.V4) ipv4 = nf;
            else ipv6 = nf;
            return this;
        }

        public Builder listener(Listener l) { listeners.add(l); return this; }

        public Builder listeners(List<Listener> v) { listeners.clear(); listeners.addAll(v); return this; }

        public Builder nftables(NftRuleset v) { nftables = v; return this; }

        public Builder ipsets(IpSet.Sets v) { ipsets = v; return this; }

        public DeviceState build() {
            return new DeviceState(host, links, addresses, routes, rules, Sysctls.of(sysctls), ipv4, ipv6, listeners, nftables, ipsets);
        }
    }
}
