package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Hook;
import dev.anyloop.state.Link;
import dev.anyloop.state.Listener;
import dev.anyloop.state.SysctlKey;
import dev.anyloop.state.Sysctls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host compiled for the simulator: FIBs, firewalls, addresses per device in kernel order (with
 * the primary/secondary flag the kernel computes), device order, per-device sysctls and sockets.
 * Immutable once built; shared by every query.
 */
final class HostModel {
    /** An address with the kernel's IFA_F_SECONDARY flag: a later address inside an earlier one's subnet. */
    record Addr(Address address, boolean primary, Prefix net) {
        Addr(Address address, boolean primary) { this(address, primary, address.address().network()); }

        Ip ip() { return address.address().ip(); }

        String dev() { return address.dev(); }
    }

    /** Per-device sysctls, resolved once. */
    record DevConf(int rpFilter, boolean routeLocalnet, int arpIgnore, boolean forward4) { }

    final String name;
    final DeviceState state;
    /**
     * The FIBs and firewalls, compiled when a walk first needs them: most hosts of a 5,000-host check stand for their
     * class (check.Symmetry) and are never walked through, and these are most of a host's compile time.
     */
    private volatile Tables tables;

    /** What lookups and rule evaluation read. */
    private record Tables(Fib fib4, Fib fib6, Firewall fw4, Firewall fw6, NftEngine nft4, NftEngine nft6, Stage[][] stages4, Stage[][] stages6) { }
    final List<String> devices;
    final Map<String, List<Addr>> v4ByDev;
    final List<Addr> v6All;
    private final Map<String, Boolean> up;
    private final Set<Ip> addresses;
    private final Map<String, DevConf> conf;
    private final Listener[] listeners;
    /*
     * The per-packet path asks about a device by name several times per hop. A host has a handful of devices, so a
     * scan of their names (identity first: names mostly come from the same state objects) beats hashing; these
     * arrays are indexed like devNames and hold what the maps above hold.
     */
    private final String[] devNames;
    /** devNames by name, for hosts with many devices (a router with 50 LANs): a scan of 50 names per lookup costs more. */
    private final java.util.Map<String, Integer> devByName;
    private final boolean[] devUp;
    private final DevConf[] devConf;
    private final List<Addr>[] devV4;
    private final Ip[][] devIps;
    /**
     * The host's IPv4 addresses as bare numbers and its IPv6 ones as a flat array, when there are few of them: a scan
     * of one primitive array is cheaper than hashing into a set whose entries are rarely in cache.
     */
    private final long[] v4Numbers;
    private final Ip[] v6Array;
    final boolean forward6;
    final boolean ignoreEcho4;
    final boolean ignoreEcho6;

    HostModel(DeviceState d) {
        this.name = d.host();
        this.state = d;
        this.up = new HashMap<>();
        for (Link l : d.links()) up.put(l.name(), l.up());
        // dev_base order: lo first (it is registered first), then the order the state lists devices in
        LinkedHashSet<String> devs = new LinkedHashSet<>();
        devs.add("lo");
        for (Link l : d.links()) devs.add(l.name());
        for (Address a : d.addresses()) devs.add(a.dev());
        this.devices = List.copyOf(devs);
        this.v4ByDev = new HashMap<>();
        List<Addr> v6 = new ArrayList<>();
        Set<Ip> all = new HashSet<>();
        for (Address a : d.addresses()) {
            // an IPv4 address on a down device is still the host's (its local route stays)
            if (a.address().family() == Family.V4 || up(a.dev())) all.add(a.address().ip());
        }
        for (String dev : devices) {
            if (!up(dev)) continue;
            List<Addr> mine = new ArrayList<>();
            for (Address a : d.addressesOn(dev)) {
                if (a.address().family() == Family.V6) {
                    v6.add(new Addr(a, true));
                    continue;
                }
                boolean secondary = mine.stream().anyMatch(p -> p.primary()
                        && p.address().address().length() == a.address().length()
                        && p.address().address().network().contains(a.address().ip()));
                mine.add(new Addr(a, !secondary));
            }
            v4ByDev.put(dev, List.copyOf(mine));
        }
        this.v6All = List.copyOf(v6);
        this.addresses = all;
        Sysctls s = d.sysctls();
        this.conf = new HashMap<>();
        for (String dev : devices) conf.put(dev, devConf(s, dev));
        this.forward6 = s.ipv6Forwarding();
        this.ignoreEcho4 = s.ignoresEcho(Family.V4);
        this.ignoreEcho6 = s.ignoresEcho(Family.V6);
        this.listeners = d.listeners().toArray(new Listener[0]);
        this.devNames = devices.toArray(new String[0]);
        java.util.Map<String, Integer> byName = null;
        if (devNames.length > 8) {
            byName = new java.util.HashMap<>();
            for (int i = devNames.length - 1; i >= 0; i--) byName.put(devNames[i], i);
        }
        this.devByName = byName;
        int nd = devNames.length;
        this.devUp = new boolean[nd];
        this.devConf = new DevConf[nd];
        @SuppressWarnings("unchecked")
        List<Addr>[] v4 = new List[nd];
        this.devV4 = v4;
        this.devIps = new Ip[nd][];
        for (int i = 0; i < nd; i++) {
            String dev = devNames[i];
            devUp[i] = up.getOrDefault(dev, true);
            devConf[i] = conf.get(dev);
            devV4[i] = v4ByDev.getOrDefault(dev, List.of());
            devIps[i] = d.addressesOn(dev).stream().map(a -> a.address().ip()).toArray(Ip[]::new);
        }
        boolean few = all.size() <= 16;
        this.v4Numbers = few ? all.stream().filter(Ip::isV4).mapToLong(Ip::lo).toArray() : null;
        this.v6Array = few ? all.stream().filter(ip -> !ip.isV4()).toArray(Ip[]::new) : null;

    }

    private static DevConf devConf(Sysctls s, String dev) {
        return new DevConf(s.rpFilter(dev), s.routeLocalnet(dev), s.get(SysctlKey.ARP_IGNORE, dev), s.ipv4Forwarding(dev));
    }

    /** The index of {@code dev} in {@link #devices}, or -1. */
    int devIndex(String dev) {
        if (devByName != null) {
            Integer i = devByName.get(dev);
            return i == null ? -1 : i;
        }
        String[] names = devNames;
        for (int i = 0; i < names.length; i++) if (names[i] == dev) return i;
        for (int i = 0; i < names.length; i++) if (names[i].equals(dev)) return i;
        return -1;
    }

    DevConf conf(String dev) {
        int i = devIndex(dev);
        return i >= 0 ? devConf[i] : devConf(state.sysctls(), dev);
    }

    boolean up(String dev) {
        if (devUp == null) return up.getOrDefault(dev, true); // while the constructor fills the arrays
        int i = devIndex(dev);
        return i < 0 || devUp[i];
    }

    /** The IPv4 addresses of an up device in kernel order, as {@link #v4ByDev} holds them; empty for others. */
    List<Addr> v4On(String dev) {
        int i = devIndex(dev);
        return i >= 0 ? devV4[i] : v4ByDev.getOrDefault(dev, List.of());
    }

    Fib fib(Family f) { return f == Family.V4 ? tables().fib4() : tables().fib6(); }

    private Tables tables() {
        Tables t = tables;
        if (t == null) {
            synchronized (this) {
                t = tables;
                if (t == null) {
                    Fib f4 = Fib.of(state, Family.V4), f6 = Fib.of(state, Family.V6);
                    Firewall w4 = new Firewall(state.ipv4(), state.ipsets(), f4.rules().stream().anyMatch(r -> r.fwmark().isPresent()));
                    Firewall w6 = new Firewall(state.ipv6(), state.ipsets(), f6.rules().stream().anyMatch(r -> r.fwmark().isPresent()));
                    // the native nftables ruleset per family, null when the host has none
                    NftEngine n4 = state.nftables().isEmpty() ? null : new NftEngine(state.nftables(), Family.V4);
                    NftEngine n6 = state.nftables().isEmpty() ? null : new NftEngine(state.nftables(), Family.V6);
                    Stage[][] s4 = new Stage[Hook.values().length][];
                    Stage[][] s6 = new Stage[Hook.values().length][];
                    for (Hook h : Hook.values()) {
                        s4[h.ordinal()] = Stage.of(h, Family.V4, w4, n4);
                        s6[h.ordinal()] = Stage.of(h, Family.V6, w6, n6);
                    }
                    t = new Tables(f4, f6, w4, w6, n4, n6, s4, s6);
                    tables = t;
                }
            }
        }
        return t;
    }

    Firewall fw(Family f) { return f == Family.V4 ? tables().fw4() : tables().fw6(); }

    NftEngine nft(Family f) { return f == Family.V4 ? tables().nft4() : tables().nft6(); }

    /** What hook {@code h} runs for family {@code f}, in priority order. */
    Stage[] stages(Family f, Hook h) { return (f == Family.V4 ? tables().stages4() : tables().stages6())[h.ordinal()]; }

    /** True when {@code ip} is configured on an up interface (inet_lookup_ifaddr / ipv6_chk_addr). */
    boolean hasAddress(Ip ip) {
        if (v4Numbers == null) return addresses.contains(ip);
        if (ip.isV4()) {
            long n = ip.lo();
            for (long x : v4Numbers) if (x == n) return true;
            return false;
        }
        for (Ip x : v6Array) if (x.equals(ip)) return true;
        return false;
    }

    /** True when {@code ip} is configured on {@code dev} itself. */
    boolean hasAddressOn(String dev, Ip ip) {
        int i = devIndex(dev);
        if (i < 0) return false; // every device holding an address is in devices
        for (Ip x : devIps[i]) if (x.equals(ip)) return true;
        return false;
    }

    boolean forwards(Family f, String inDev) { return f == Family.V4 ? conf(inDev).forward4() : forward6; }

    boolean ignoresEcho(Family f) { return f == Family.V4 ? ignoreEcho4 : ignoreEcho6; }

    /** The first socket that takes a packet to {@code dst:port}, as the kernel's socket lookup would. */
    Optional<Listener> listener(Proto p, Ip dst, int port) {
        // a socket bound to the address wins over the wildcard (the kernel scores exact binds higher)
        Listener wildcard = null;
        for (Listener l : listeners) {
            if (!l.accepts(p, dst, port)) continue;
            if (!l.address().isZero()) return Optional.of(l);
            if (wildcard == null) wildcard = l;
        }
        return Optional.ofNullable(wildcard);
    }
}
