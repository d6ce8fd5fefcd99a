package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.NetnsTarget;
import dev.anyloop.render.IpBatchRenderer;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A network namespace for root tests, set up as a host's own network manager (and Docker) would have it for a
 * given state: its interfaces (veths whose peers stay inside, a bridge for a bridge), their addresses,
 * gateways and other tools' routes and chains, but none of anyloop's part. {@link #close()} removes it and
 * every process in it.
 */
public final class LiveHost implements AutoCloseable {
    static final CommandRunner RUN = new CommandRunner(Duration.ofSeconds(30));

    public final String ns;

    private LiveHost(String ns) { this.ns = ns; }

    /** An empty namespace "ap-xxxxxxxx" (apply's room prefix), lo up, no DAD. */
    public static LiveHost empty() { return empty("ap-"); }

    /** An empty namespace named {@code prefix} and 8 random characters (the test's room prefix), lo up, no DAD. */
    public static LiveHost empty(String prefix) {
        LiveHost h = new LiveHost(prefix + UUID.randomUUID().toString().substring(0, 8));
        RUN.run("ip", "netns", "add", h.ns).orThrow();
        h.ip("link set dev lo up\n");
        h.sh("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        return h;
    }

    /** A namespace holding what {@code d} expects of the host and nothing of anyloop's. */
    public static LiveHost forState(DeviceState d) { return forState(d, "ap-"); }

    /** As {@link #forState(DeviceState)}, in a namespace named {@code prefix}... */
    public static LiveHost forState(DeviceState d, String prefix) {
        LiveHost h = empty(prefix);
        h.environment(d, true);
        return h;
    }

    /** Makes the links of {@code d} (when {@code links}) and loads its environment: addresses, gateways, foreign chains. */
    public void environment(DeviceState d, boolean links) {
        if (links) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            for (Link l : d.links()) {
                if (l.name().equals("lo")) continue;
                if (l.kind() == Link.Kind.BRIDGE) sb.append("link add ").append(l.name()).append(" type bridge\n");
                else sb.append("link add ").append(l.name()).append(" type veth peer name ap-peer").append(i).append('\n')
                        .append("link set dev ap-peer").append(i++).append(" up\n");
            }
            ip(sb.toString());
        }
        DeviceState env = Ownership.environment(d);
        ip(IpBatchRenderer.render(env));
        for (Family f : Family.values()) {
            if (env.netfilter(f).isEmpty()) continue;
            feed(IptablesRenderer.render(env.netfilter(f)), f == Family.V4 ? "iptables-restore" : "ip6tables-restore");
        }
        settle();
    }

    /** Waits (up to 5 s) for carrier on every link and for link-local addresses to leave "tentative", so a before/after comparison compares only what a test did. */
    private void settle() {
        for (int i = 0; i < 50; i++) {
            String a = show("ip", "addr", "show");
            if (!a.contains("tentative") && !a.contains("NO-CARRIER") && !a.contains("LOWERLAYERDOWN")) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public NetnsTarget target() { return new NetnsTarget(ns, RUN); }

    public void ip(String batch) {
        if (!batch.isBlank()) feed(batch, "ip", "-batch", "-");
    }

    public CommandRunner.Result sh(String... argv) { return exec(List.of(argv), Optional.empty()).orThrow(); }

    public CommandRunner.Result feed(String stdin, String... argv) { return exec(List.of(argv), Optional.of(stdin)).orThrow(); }

    public CommandRunner.Result exec(List<String> argv, Optional<String> stdin) { return exec(argv, stdin, Duration.ofSeconds(30)); }

    /** As {@link #exec(List, Optional)} with its own time limit (the benchmark's large loads); exit 124 when it ran out. */
    public CommandRunner.Result exec(List<String> argv, Optional<String> stdin, Duration limit) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns, "--"));
        all.addAll(argv);
        return RUN.run(all, stdin, limit);
    }

    /** What a test compares before and after: the text the plain tools print, counters and volatile fields cut. */
    public String show(String... argv) {
        return sh(argv).out().replaceAll("\\[\\d+:\\d+\\]", "[0:0]").replaceAll("(?m)^# .*\\n", "");
    }

    /** Everything a change could touch, as the tools print it: addresses, routes and rules of both families, netfilter, sysctls, nft. */
    public String everything() {
        return show("ip", "addr", "show") + show("ip", "route", "show", "table", "all") + show("ip", "-6", "route", "show", "table", "all")
                + show("ip", "rule", "show") + show("ip", "-6", "rule", "show") + show("iptables-save") + show("ip6tables-save")
                + show("nft", "list", "ruleset") + show("sh", "-c", "sysctl -a 2>/dev/null | grep -E 'forward|rp_filter|route_localnet'");
    }

    /**
     * A reboot, as far as the network goes: the namespace goes and comes back empty, then gets what the
     * host's network manager brings up at boot for {@code d} (interfaces, addresses, gateways), and nothing else.
     */
    public void reboot(DeviceState d) {
        dev.anyloop.os.LabProcesses.kill(dev.anyloop.os.LabProcesses.pidsIn(List.of(ns)).get(ns));
        RUN.run("ip", "netns", "del", ns).orThrow();
        RUN.run("ip", "netns", "add", ns).orThrow();
        ip("link set dev lo up\n");
        sh("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        environment(d, true);
    }

    @Override
    public void close() {
        // a rollback timer or a paused apply may still run inside: kill what is left, then the namespace goes
        dev.anyloop.os.LabProcesses.kill(dev.anyloop.os.LabProcesses.pidsIn(List.of(ns)).get(ns));
        RUN.run("ip", "netns", "del", ns);
    }
}
