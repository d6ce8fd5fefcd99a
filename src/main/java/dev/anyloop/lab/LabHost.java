package dev.anyloop.lab;

import dev.anyloop.apply.Ownership;
import dev.anyloop.net.Family;
import dev.anyloop.os.Netns;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a lab host gets before anyloop applies its part: what the host's own network manager and Docker
 * would give it. Interfaces up with their addresses, gateways and the routes and policy rules of other
 * tools, and the chains Docker (or any other tool) installs: the {@link Ownership#environment} of the
 * host's state, loaded with the renderers' full forms. anyloop's own part then goes on through the apply
 * engine, which finds this exactly as it would find it on a real host.
 */
final class LabHost {
    private LabHost() { }

    /**
     * Sets up {@code d}'s environment in namespace {@code ns}: the sysctl baseline first (its devices exist but
     * are down, so accept_dad=0 holds before any IPv6 address appears), then links, addresses and foreign
     * routes in one ip batch, then foreign netfilter (Docker's chains) with iptables-restore, which is what
     * Docker uses.
     */
    static void environment(Netns os, LabPlan plan, Network n, String ns, DeviceState d) {
        DeviceState env = Ownership.environment(d);
        // the sysctls ride in the same ip batch ("netns exec NS sysctl ..."): one process spawn, not two
        String sysctl = Netns.sysctlLine(ns, LabSysctls.baseline(plan.interfacesIn(ns))) + "\n";
        interfaces(os, plan, n, ns, env, sysctl);
        for (Family f : Family.values()) {
            if (env.netfilter(f).isEmpty()) continue;
            String tool = f == Family.V4 ? "iptables-restore" : "ip6tables-restore";
            os.exec(ns, List.of(tool), Optional.of(IptablesRenderer.render(env.netfilter(f))), Duration.ofSeconds(30)).orThrow();
        }
    }

    /**
     * Brings back what a host's network manager restores when a link comes back (its addresses, gateways and
     * routes), leaving sysctls and firewall as they are: {@code lab restore}, before the engine re-applies
     * anyloop's part.
     */
    static void reconnect(Netns os, LabPlan plan, Network n, String ns, DeviceState d) {
        interfaces(os, plan, n, ns, Ownership.environment(d), "");
    }

    private static void interfaces(Netns os, LabPlan plan, Network n, String ns, DeviceState env, String before) {
        String ip = IpBatchRenderer.render(env);
        String v6 = IpBatchRenderer.renderV6Rules(env);
        // -force and tolerateExisting let a second run go past what is already there ("File exists")
        LabFailures.tolerateExisting(os.batch(ns, before + plan.linkBatch(ns, n) + ip, true, false));
        if (!v6.isEmpty()) LabFailures.tolerateExisting(os.batch(ns, v6, true, true));
    }
}
