package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders what survives a reboot under systemd-networkd: {@code 10-anyloop-lo.network} (lo's
 * extra addresses, device-less routes, policy rules), one {@code 20-anyloop-IF.network} per
 * interface, and {@code 99-anyloop.conf} for sysctl.d. File name to content, in that order.
 *
 * <p>Interfaces Docker creates ({@code docker*}, {@code br-*}, {@code veth*}) are left to Docker, with
 * any route through them. Routes and addresses are the same ones {@link IpBatchRenderer} applies.
 */
public final class NetworkdRenderer {
    private NetworkdRenderer() { }

    public static final String LO_FILE = "10-anyloop-lo.network";
    public static final String SYSCTL_FILE = "99-anyloop.conf";

    public static Map<String, String> render(DeviceState s) {
        Set<String> t8 = new TreeSet<>();
        List<Route> routes = new ArrayList<>(Realised.configured(s));
        for (Route r : Realised.srcOverrides(s)) {
            routes.add(r);
            t8.add(r.nexthops().get(0).dev() + " " + r.dst());
        }
        Map<String, String> files = new LinkedHashMap<>();
        List<String> devs = new ArrayList<>();
        devs.add("lo");
        for (Link l : s.links()) if (!l.name().equals("lo") && !dockers(l.name())) devs.add(l.name());
        for (String dev : devs) {
            StringBuilder sb = new StringBuilder();
            sb.append("# Written by anyloop for host ").append(s.host()).append("; anyloop rewrites it.\n");
            sb.append("[Match]\nName=").append(Names.iface(dev)).append("\n\n[Network]\n");
            List<Address> addrs = Realised.addresses(s).stream().filter(a -> a.dev().equals(dev)).toList();
            List<Address> sections = new ArrayList<>();
            for (Address a : addrs) {
                if (t8.contains(dev + " " + a.address().network()) || a.scope() != Address.Scope.GLOBAL) sections.add(a);
                else sb.append("Address=").append(a.address()).append('\n');
            }
            if (!dev.equals("lo")) forwarding(s).ifPresent(v -> sb.append("IPForward=").append(v).append('\n'));
            s.link(dev).filter(l -> !l.up()).ifPresent(l -> sb.append("\n[Link]\nActivationPolicy=down\n"));
            for (Address a : sections) {
                sb.append("\n[Address]\nAddress=").append(a.address()).append('\n');
                if (a.scope() != Address.Scope.GLOBAL) sb.append("Scope=").append(a.scope().word()).append('\n');
                // T8: the kernel's prefix route would carry the address as src; ours replaces it
                if (t8.contains(dev + " " + a.address().network())) sb.append("AddPrefixRoute=no\n");
            }
            for (Route r : routes) {
                if (home(r).equals(dev)) route(sb, r);
            }
            if (dev.equals("lo")) {
                for (Family f : Family.values()) for (PolicyRule r : Realised.rules(s, f)) rule(sb, r);
            }
            files.put(dev.equals("lo") ? LO_FILE : "20-anyloop-" + dev + ".network", sb.toString());
        }
        files.put(SYSCTL_FILE, SysctlRenderer.render(s));
        return files;
    }

    /** Docker owns its bridges and veths; networkd must not configure them. */
    static boolean dockers(String dev) { return dev.startsWith("docker") || dev.startsWith("br-") || dev.startsWith("veth"); }

    /** The file a route lives in: its first path's device; lo for routes without one (blackhole). */
    private static String home(Route r) { return r.nexthops().isEmpty() ? "lo" : r.nexthops().get(0).dev(); }

    private static Optional<String> forwarding(DeviceState s) {
        boolean v4 = s.sysctls().ipv4Forwarding(), v6 = s.sysctls().ipv6Forwarding();
        if (v4 && v6) return Optional.of("yes");
        if (v4) return Optional.of("ipv4");
        return v6 ? Optional.of("ipv6") : Optional.empty();
    }

    private static void route(StringBuilder sb, Route r) {
        sb.append("\n[Route]\n");
        // no Destination= is the default route: this is networkd's "Gateway=" for it, with our proto kept
        if (r.dst().length() != 0) sb.append("Destination=").append(r.dst()).append('\n');
        if (r.nexthops().size() == 1) {
            r.nexthops().get(0).via().ifPresent(v -> sb.append("Gateway=").append(v).append('\n'));
        } else {
            for (NextHop h : r.nexthops()) {
                sb.append("MultiPathRoute=").append(h.via().map(Object::toString).orElse(""))
                        .append('@').append(Names.iface(h.dev())).append(' ').append(h.weight()).append('\n');
            }
        }
        if (r.metric() != 0) sb.append("Metric=").append(Integer.toUnsignedString(r.metric())).append('\n');
        r.src().ifPresent(ip -> sb.append("PreferredSource=").append(ip).append('\n'));
        sb.append("Protocol=").append(Names.token("route protocol", r.proto())).append('\n');
        if (r.family() == Family.V4 && (r.scope() != Route.Scope.GLOBAL || Realised.defaultScope(r) != Route.Scope.GLOBAL)) {
            sb.append("Scope=").append(r.scope().word()).append('\n');
        }
        if (r.table() != Route.TABLE_MAIN) sb.append("Table=").append(r.table()).append('\n');
        if (r.type() != Route.Type.UNICAST) sb.append("Type=").append(r.type().word()).append('\n');
    }

    private static void rule(StringBuilder sb, PolicyRule r) {
        sb.append("\n[RoutingPolicyRule]\n");
        sb.append("Family=").append(r.family().word()).append('\n');
        r.from().map(Prefix::toString).ifPresent(p -> sb.append("From=").append(p).append('\n'));
        r.to().map(Prefix::toString).ifPresent(p -> sb.append("To=").append(p).append('\n'));
        r.iif().ifPresent(i -> sb.append("IncomingInterface=").append(Names.iface(i)).append('\n'));
        r.oif().ifPresent(o -> sb.append("OutgoingInterface=").append(Names.iface(o)).append('\n'));
        r.fwmark().ifPresent(m -> sb.append("FirewallMark=").append(m).append('\n'));
        sb.append("Priority=").append(r.priority()).append('\n');
        if (r.action() == PolicyRule.Action.LOOKUP) sb.append("Table=").append(r.table()).append('\n');
        else sb.append("Type=").append(r.action().name().toLowerCase(Locale.ROOT)).append('\n');
        if (r.not()) sb.append("InvertRule=yes\n");
    }
}
