package dev.anyloop.cli;

import dev.anyloop.compile.Compiled;
import dev.anyloop.compile.Provenance;
import dev.anyloop.compile.RouteOrigin;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.render.SysctlRenderer;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One host's plan as a person reads it: why (T1-T8, from the intent), then the exact commands and files. */
final class PlanText {
    private PlanText() { }

    static String render(Intent intent, Compiled c, DeviceState d) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== host ").append(d.host()).append(" ===\n");
        List<String> why = why(intent, c.provenance(), d);
        if (!why.isEmpty()) {
            sb.append("# what and why\n");
            for (String w : why) sb.append("#   ").append(w).append('\n');
        }
        sb.append("# sysctls (persist as /etc/sysctl.d/99-anyloop.conf)\n");
        for (String line : SysctlRenderer.render(d).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            sb.append("sysctl -w ").append(line.replace(" = ", "=")).append('\n');
        }
        String batch = IpBatchRenderer.render(d);
        sb.append("# links, addresses, routes (ip -batch)\n");
        for (String line : batch.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            sb.append("ip ").append(line).append('\n');
        }
        appendRules(sb, "iptables-restore", IptablesRenderer.render(d.netfilter(Family.V4)), d.netfilter(Family.V4).isEmpty());
        appendRules(sb, "ip6tables-restore", IptablesRenderer.render(d.netfilter(Family.V6)), d.netfilter(Family.V6).isEmpty());
        sb.append('\n');
        return sb.toString();
    }

    private static void appendRules(StringBuilder sb, String tool, String text, boolean empty) {
        if (empty) {
            sb.append("# ").append(tool).append(": no rules (every policy ACCEPT)\n");
            return;
        }
        sb.append("# ").append(tool).append(" <<EOF\n").append(text);
        if (!text.endsWith("\n")) sb.append('\n');
        sb.append("# EOF\n");
    }

    /** The intent behind this host's state, each line tagged with the technique of the how-to it realises. */
    static List<String> why(Intent intent, Provenance why, DeviceState d) {
        List<String> out = new ArrayList<>();
        String h = d.host();
        for (ServiceDef s : intent.services().values()) {
            String addrs = String.join(", ", s.addresses().stream().map(Ip::toString).toList());
            int idx = s.hosts().indexOf(h);
            if (idx >= 0) {
                out.add("T1 service " + s.name() + ": " + addrs + " on lo"
                        + (s.hosts().size() > 1 ? " (service host " + (idx + 1) + " of " + s.hosts().size() + ", T7)" : ""));
                if (s.docker().isPresent()) {
                    var dk = s.docker().get();
                    out.add("T5 service " + s.name() + ": Docker publishes " + addrs + " " + String.join(", ",
                            dk.publish().stream().map(p -> p.proto().word() + "/" + p.hostPort() + " -> container " + dk.container()
                                    + ":" + p.containerPort()).toList()) + "; INPUT chain AL-IN-" + s.name()
                            + " hides the host's own services on " + addrs + ", DOCKER-USER restricts the container");
                } else {
                    out.add("T4 service " + s.name() + ": INPUT -d " + addrs + " -> AL-IN-" + s.name() + " (whitelist "
                            + (s.allow().anyone() ? "any source" : "allowed sources") + ", ports "
                            + String.join(" ", s.ports().stream().map(Object::toString).toList()) + (s.ping() ? ", ICMP echo" : "")
                            + "), default DROP");
                }
                out.add("T6 service " + s.name() + ": sockets bound to "
                        + (s.bind() == Intent.Bind.ADDRESS ? addrs + " only, not found at this host's interface addresses"
                        : "the wildcard address"));
            } else {
                boolean routed = false;
                for (Family f : Family.values()) {
                    // one failover line per family: an IPv4 route never fails over to an IPv6 next hop
                    List<String> via = new ArrayList<>();
                    List<String> xs = new ArrayList<>();
                    for (Route r : d.routes()) {
                        if (r.family() != f) continue;
                        Optional<RouteOrigin> o = why.route(h, r);
                        // a shared address has one set of routes, recorded for the first service there: match by address
                        if (o.isEmpty() || o.get().hop().isEmpty() || !s.addresses().contains(o.get().hop().get().address())) continue;
                        var hop = o.get().hop().get();
                        if (!xs.contains(hop.address().toString())) xs.add(hop.address().toString());
                        String step = hop.via() + " metric " + r.metric() + (hop.path().size() > 2 ? " (toward " + hop.target()
                                + " via " + hop.nextHost() + ")" : "");
                        if (!via.contains(step)) via.add(step);
                    }
                    if (via.isEmpty()) continue;
                    routed = true;
                    out.add((via.size() > 1 ? "T2/T7" : "T2") + " service " + s.name() + ": route " + String.join(", ", xs) + " via "
                            + String.join(", then ", via) + (via.size() > 1 ? " (delete the metric-1 route to fail over)" : ""));
                }
                if (routed && !s.allow().anyone()) {
                    out.add("T3 service " + s.name() + ": FORWARD -d " + addrs + " -> AL-FWD-" + s.name()
                            + " lets only the allowed interfaces/sources through");
                }
            }
        }
        for (SourceDef src : intent.sources()) {
            if (src.host().equals(h)) {
                out.add("T8 traffic from " + h + " to " + src.to() + " leaves with source " + src.from()
                        + " (ip route ... src " + src.from() + "); every peer there needs a route back");
            }
        }
        for (Intent.SegmentDef seg : intent.segments().values()) {
            if (seg.reach().isEmpty() || d.netfilter(Family.V4).chain("filter", "AL-SEG-" + seg.name()).isEmpty()
                    && d.netfilter(Family.V6).chain("filter", "AL-SEG-" + seg.name()).isEmpty()) continue;
            var r = seg.reach().get();
            List<String> to = new ArrayList<>(r.segments());
            if (r.internet()) to.add("the internet");
            out.add("fence segment " + seg.name() + ": FORWARD -i (its interfaces) -> AL-SEG-" + seg.name() + " lets it reach "
                    + (to.isEmpty() ? "no other segment" : String.join(", ", to)) + " and the services that admit it; the rest is dropped");
        }
        return out;
    }
}
