package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which parts of a {@link DeviceState} a renderer must write down, and which the kernel makes by itself.
 * The ip-batch and networkd renderers share it so that what is applied and what is persisted agree, and
 * apply reads it to tell what anyloop configures from what the kernel adds.
 */
public final class Realised {
    private Realised() { }

    /**
     * Addresses to configure. The kernel puts 127.0.0.1/8 and ::1 on lo when lo comes up, and
     * derives IPv6 link-local addresses from the MAC (addr_gen_mode), so those are left to it.
     */
    static List<Address> addresses(DeviceState s) {
        return s.addresses().stream().filter(a -> !kernelMade(a)).toList();
    }

    /** 127.0.0.1/8 and ::1 on lo, and IPv6 link-local addresses: the kernel adds them by itself. */
    public static boolean kernelMade(Address a) {
        Ip ip = a.address().ip();
        if (a.dev().equals("lo") && ip.isLoopback()
                && (ip.isV4() ? ip.equals(Ip.parse("127.0.0.1")) && a.address().length() == 8 : a.address().length() == 128)) {
            return true;
        }
        return !ip.isV4() && ip.isLinkLocal() && a.scope() == Address.Scope.LINK;
    }

    /**
     * Routes someone added (every proto but "kernel"), device routes before gateway routes: a gateway
     * must be on-link when its route is added, and a device route may be what puts it on-link.
     */
    static List<Route> configured(DeviceState s) {
        List<Route> direct = new ArrayList<>();
        List<Route> gatewayed = new ArrayList<>();
        for (Route r : s.routes()) {
            if (r.proto().equals("kernel")) continue;
            boolean viaGateway = r.nexthops().stream().anyMatch(n -> n.via().isPresent());
            (viaGateway ? gatewayed : direct).add(r);
        }
        direct.addAll(gatewayed);
        return direct;
    }

    /**
     * Kernel routes whose preferred source is not the one the kernel gives them (T8: {@code ip route
     * change PREFIX src X}). Local-table routes are the kernel's business alone and never rendered.
     */
    public static List<Route> srcOverrides(DeviceState s) {
        List<Route> out = new ArrayList<>();
        for (Route r : s.routes()) {
            if (!r.proto().equals("kernel") || r.table() == Route.TABLE_LOCAL) continue;
            if (!r.src().equals(naturalSrc(s, r))) out.add(r);
        }
        return out;
    }

    /**
     * The src the kernel gives a connected route: for IPv4 the address whose prefix route it is (the
     * first address of the family on the device in that prefix; fib_add_ifaddr); IPv6 connected
     * routes carry no prefsrc at all.
     */
    public static Optional<Ip> naturalSrc(DeviceState s, Route r) {
        if (r.family() == Family.V6 || r.nexthops().size() != 1 || r.nexthops().get(0).via().isPresent()) {
            return Optional.empty();
        }
        for (Address a : s.addressesOn(r.nexthops().get(0).dev())) {
            if (a.address().family() == r.family() && a.address().network().equals(r.dst())) {
                return Optional.of(a.address().ip());
            }
        }
        return Optional.empty();
    }

    /** Policy rules other than the three every host starts with. */
    static List<PolicyRule> rules(DeviceState s, Family f) {
        List<PolicyRule> defaults = PolicyRule.defaults(f);
        return s.rules(f).stream().filter(r -> !defaults.contains(r)).toList();
    }

    /** The scope iproute2 gives a route when none is named (iproute.c: local host, dev-only link, else global). */
    static Route.Scope defaultScope(Route r) {
        switch (r.type()) {
            case LOCAL: return Route.Scope.HOST;
            case BROADCAST: case MULTICAST: case ANYCAST: return Route.Scope.LINK;
            case UNICAST:
                return r.nexthops().stream().anyMatch(n -> n.via().isPresent()) ? Route.Scope.GLOBAL : Route.Scope.LINK;
            default: return Route.Scope.GLOBAL;
        }
    }
}
