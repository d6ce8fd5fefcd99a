package dev.anyloop.cli;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.intent.ProbePairs;
import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.render.SysctlRenderer;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;

/** One host's plan as a person reads it: why (T1-T8, from the intent), then the exact commands and files. */
final class PlanText {
    private PlanText() { }

    static String render(Intent intent, Network n, DeviceState d) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== host ").append(d.host()).append(" ===\n");
        List<String> why = why(intent, d);
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
    static List<String> why(Intent intent, DeviceState d) {
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
                    out.add("T5 service " + s.name() + ": Docker publishes " + addrs + ":" + dk.hostPort() + " -> container "
                            + dk.container() + ":" + dk.containerPort() + "; INPUT chain AL-IN-" + s.name()
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
                List<String> via = new ArrayList<>();
                for (Route r : d.routes()) {
                    if (!r.ownedByAnyloop() || r.table() != Route.TABLE_MAIN || !r.dst().isHost()
                            || !s.addresses().contains(r.dst().network())) continue;
                    via.add(r.nexthops().get(0).via().map(Ip::toString).orElse("?") + " metric " + r.metric());
                }
                if (!via.isEmpty()) {
                    out.add((via.size() > 1 ? "T2/T7" : "T2") + " service " + s.name() + ": route " + addrs + " via "
                            + String.join(", then ", via) + (via.size() > 1 ? " (delete the metric-1 route to fail over)" : ""));
                    if (!s.allow().anyone()) {
                        out.add("T3 service " + s.name() + ": FORWARD -d " + addrs + " -> AL-FWD-" + s.name()
                                + " lets only the allowed interfaces/sources through");
                    }
                }
            }
        }
        for (SourceDef src : intent.sources()) {
            if (src.host().equals(h)) {
                out.add("T8 traffic from " + h + " to " + src.to() + " leaves with source " + src.from()
                        + " (ip route change ... src " + src.from() + "); every peer there needs a route back");
            }
        }
        for (ProbePairs.Pair p : ProbePairs.of(intent)) {
            if (p.router().equals(h)) {
                out.add("watch: probes of " + p.host() + " leave from " + p.source() + " (on lo), rule from " + p.source()
                        + " lookup " + p.table() + ", where the service addresses go via " + p.via() + " only");
            } else if (p.host().equals(h)) {
                out.add("watch: " + p.router() + "'s probes from " + p.source() + " pass this host's service chains");
            }
        }
        return out;
    }
}
