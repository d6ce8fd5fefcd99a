package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Match;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a host must already have for anyloop's part to mean what the simulation proved, and that anyloop
 * never adds itself: interfaces, their addresses and gateways (the host's network manager's), and what
 * Docker makes for {@code docker run -p} (docker0, its DNAT). Missing interface state refuses the apply: the
 * check would have proved a network that is not there. Missing Docker state only warns, because anyloop's
 * part must be in place first (Docker can publish on X only once X is on lo).
 */
public final class Expectations {
    /** Docker's default bridge: what it and anything on it belong to. */
    public static final String DOCKER_BRIDGE = "docker0";

    private Expectations() { }

    /** One expectation the host does not meet. REFUSE stops the apply (exit 2); WARN is printed and the apply goes on. */
    public record Missing(Severity severity, String what, String why) {
        /** Whether a missing object stops the apply. */
        public enum Severity { REFUSE, WARN }

        public String line() { return (severity == Severity.REFUSE ? "! " : "? ") + what + ": " + why; }
    }

    public static List<Missing> check(DeviceState live, DeviceState desired) {
        List<Missing> out = new ArrayList<>();
        for (Link l : desired.links()) {
            if (l.name().equals(Ownership.LO)) continue;
            Optional<Link> now = live.link(l.name());
            boolean docker = l.name().equals(DOCKER_BRIDGE);
            if (now.isEmpty()) {
                out.add(docker ? warn("interface " + l.name(), "missing: Docker makes it when its daemon starts")
                        : refuse("interface " + l.name(), "missing: anyloop does not create interfaces; the host's network manager does"));
            } else if (l.up() && !now.get().up() && !docker) {
                out.add(warn("interface " + l.name(), "is down (no carrier or not set up): what goes through it will not arrive"));
            }
        }
        for (Address a : desired.addresses()) {
            if (Ownership.ownable(a) || dev.anyloop.render.Realised.kernelMade(a)) continue;
            if (live.link(a.dev()).isEmpty()) continue; // already reported as a missing interface
            boolean there = live.addresses().stream().anyMatch(x -> x.dev().equals(a.dev()) && x.address().equals(a.address()));
            if (there) continue;
            out.add(a.dev().equals(DOCKER_BRIDGE) ? warn("address " + a.address() + " on " + a.dev(), "missing: Docker sets it on its bridge")
                    : refuse("address " + a.address() + " on " + a.dev(), "missing: interface addresses are the host's network manager's "
                    + "(DHCP, ifupdown, NetworkManager); configure it there"));
        }
        for (Route r : desired.routes()) {
            if (r.ownedByAnyloop() || r.proto().equals("kernel")) continue;
            if (live.routes().stream().anyMatch(x -> sameDestination(x, r))) continue;
            boolean docker = r.nexthops().stream().anyMatch(h -> h.dev().equals(DOCKER_BRIDGE));
            String what = "route " + r.dst() + r.nexthops().stream().map(h -> " " + h).reduce("", String::concat);
            out.add(docker ? warn(what, "missing: Docker adds it") : refuse(what, "missing: gateways and other routes of the host's "
                    + "network manager are expected, not added by anyloop"));
        }
        // ip route replace would take over another tool's route with the same kernel key (one map: hosts hold 10,000s of routes)
        Map<Planner.RouteKey, Route> foreign = new HashMap<>();
        for (Route x : live.routes()) if (!x.ownedByAnyloop()) foreign.putIfAbsent(Planner.RouteKey.of(x), x);
        for (Route r : desired.routes()) {
            if (!r.ownedByAnyloop()) continue;
            Optional.ofNullable(foreign.get(Planner.RouteKey.of(r)))
                    .ifPresent(x -> out.add(refuse("route " + r, "its place (" + r.dst() + " metric " + r.metric() + ", table "
                            + Route.tableName(r.table()) + ") is held by proto " + x.proto() + " (" + x + "); anyloop does not replace "
                            + "another tool's route: remove that one, or change the metric in network.yaml")));
        }
        dnat(live, desired, out);
        return out;
    }

    /** Any proto and metric will do (DHCP gives 100, RA 1024): the same table, type, prefix and gateways. */
    static boolean sameDestination(Route live, Route want) {
        return live.table() == want.table() && live.type() == want.type() && live.dst().equals(want.dst())
                && live.nexthops().stream().map(NextHop::via).toList().equals(want.nexthops().stream().map(NextHop::via).toList());
    }

    /**
     * Docker's DNAT of each published port (T5): a rule in the host's nat table that takes X:port to the
     * container, as iptables-save prints it. When it is missing, the container is not running (or publishes
     * elsewhere), and the warning says the {@code docker run -p} that completes the plan.
     */
    private static void dnat(DeviceState live, DeviceState desired, List<Missing> out) {
        for (Family f : Family.values()) {
            Optional<Table> want = desired.netfilter(f).table("nat");
            if (want.isEmpty()) continue;
            List<String> have = live.netfilter(f).table("nat").map(t -> t.chains().stream().flatMap(c -> c.rules().stream())
                    .map(r -> Change.spec(f, r)).toList()).orElse(List.of());
            for (Chain c : want.get().chains()) {
                if (Ownership.ownsChain(c.name())) continue;
                for (Rule r : c.rules()) {
                    Optional<Target.Dnat> d = r.target().accept(DNAT);
                    if (d.isEmpty() || have.contains(Change.spec(f, r))) continue;
                    Published p = Published.of(r);
                    String to = d.get().to() + d.get().port().map(x -> ":" + x.nft()).orElse("");
                    String publish = p.dst + ":" + p.port + ":" + d.get().port().map(x -> x.nft()).orElse(p.port) + (p.proto.equals("tcp") ? "" : "/" + p.proto);
                    out.add(warn("Docker's DNAT " + p.proto + " " + p.dst + ":" + p.port + " -> " + to, "missing: the container is not "
                            + "published yet; 'docker run -p " + publish + " IMAGE' completes the plan"));
                }
            }
        }
    }

    /** The destination, port and protocol of a DNAT rule: what {@code docker run -p} was given. */
    private static final class Published implements Match.Visitor<Void> {
        String dst = "0.0.0.0";
        String port = "?";
        String proto = "tcp";

        static Published of(Rule r) {
            Published p = new Published();
            for (Match m : r.matches()) if (!m.negated()) m.accept(p);
            return p;
        }

        public Void visit(Match.Destination m) {
            dst = m.prefix().network().toString();
            return null;
        }

        public Void visit(Match.DstPorts m) {
            port = m.ranges().get(0).nft();
            return null;
        }

        public Void visit(Match.Protocol m) {
            proto = m.name();
            return null;
        }

        public Void visit(Match.Source m) { return null; }

        public Void visit(Match.InInterface m) { return null; }

        public Void visit(Match.OutInterface m) { return null; }

        public Void visit(Match.SrcPorts m) { return null; }

        public Void visit(Match.IcmpType m) { return null; }

        public Void visit(Match.ConnState m) { return null; }

        public Void visit(Match.AddrType m) { return null; }

        public Void visit(Match.InSet m) { return null; }

        public Void visit(Match.IpRange m) { return null; }

        public Void visit(Match.Owner m) { return null; }

        public Void visit(Match.RpFilter m) { return null; }

        public Void visit(Match.Mark m) { return null; }

        public Void visit(Match.TcpFlags m) { return null; }

        public Void visit(Match.Limit m) { return null; }

        public Void visit(Match.Unsupported m) { return null; }
    }

    private static final Target.Visitor<Optional<Target.Dnat>> DNAT = new Target.Visitor<>() {
        public Optional<Target.Dnat> visit(Target.Dnat t) { return Optional.of(t); }

        public Optional<Target.Dnat> visit(Target.Accept t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Drop t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Reject t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Return t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Jump t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Goto t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Log t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Snat t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Masquerade t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Redirect t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.None t) { return Optional.empty(); }

        public Optional<Target.Dnat> visit(Target.Unsupported t) { return Optional.empty(); }
    };

    private static Missing refuse(String what, String why) { return new Missing(Missing.Severity.REFUSE, what, why); }

    private static Missing warn(String what, String why) { return new Missing(Missing.Severity.WARN, what, why); }
}
