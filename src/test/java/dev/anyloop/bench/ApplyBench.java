package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.apply.LiveHost;
import dev.anyloop.apply.Steps;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import dev.anyloop.state.Chain;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.Match;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import dev.anyloop.state.Sysctls;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * apply at scale, in one network namespace: N loopback addresses, N routes and N firewall rules (N/4 services,
 * each a jump from INPUT and a chain of three rules). Measured in the same run: apply from empty, a no-op
 * re-apply, a 1% change, and the baselines the issue names: (a) one ip/iptables command per object, as the
 * how-to types them, and (b) the floor, one ip -batch plus one iptables-restore of the same content (and of
 * the 1% change). Root only; run with bench/apply.
 */
public final class ApplyBench {
    private ApplyBench() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean perCommand = args.length <= 2 || !args[2].equals("no-a");
        DeviceState a = host(n, 0);
        DeviceState b = host(n, 1);
        System.out.printf("host: %d lo addresses, %d routes, %d firewall rules (%d chains); load %s%n", n, n, 4 * (n / 4), n / 4, load());
        Path state = Files.createTempDirectory("ap-bench");
        Steps all = Steps.forFreshHost(a, Backend.IPTABLES);
        for (int r = 1; r <= rounds; r++) {
            try (LiveHost h = LiveHost.forState(a)) {
                Engine e = new Engine(h.target(), state.resolve("r" + r));
                Engine.Options o = Engine.Options.of(Backend.IPTABLES).withoutProtoName();
                double empty = time(() -> e.apply(a, o));
                double noop = time(() -> e.apply(a, o));
                Engine.Outcome[] one = new Engine.Outcome[1];
                double change = time(() -> one[0] = e.apply(b, o));
                // the floor of that 1%: the same content in one ip batch and one restore, onto a host holding the rest
                Steps back = Steps.of(dev.anyloop.apply.Planner.plan(ownedOf(b), dev.anyloop.apply.Ownership.desired(a, Backend.IPTABLES),
                        dev.anyloop.apply.Planner.NftMemory.NONE).changes());
                double floorChange = time(() -> {
                    h.feed(back.ip(), "ip", "-batch", "-");
                    h.feed(back.iptables(), "iptables-restore", "--noflush");
                });
                System.out.printf("round %d: apply from empty %.2f s, no-op re-apply %.2f s, 1%% change (%d changes) %.2f s, floor of the 1%% %.2f s; load %s%n",
                        r, empty, noop, one[0].plan().changes().size(), change, floorChange, load());
            }
            try (LiveHost h = LiveHost.forState(a)) {
                double floor = time(() -> {
                    h.feed(all.ip(), "ip", "-batch", "-");
                    h.feed(all.iptables(), "iptables-restore", "--noflush");
                });
                System.out.printf("round %d: floor (one ip -batch + one iptables-restore of the same content) %.2f s%n", r, floor);
            }
        }
        if (perCommand) {
            try (LiveHost h = LiveHost.forState(a)) {
                String script = perCommandScript(all);
                double t = time(() -> h.feed(script, "sh", "-e"));
                System.out.printf("(a) one command per object (%d commands in one sh): %.1f s; load %s%n", script.lines().count(), t, load());
            }
        }
        dev.anyloop.os.RunDirs.deleteTree(state);
    }

    /** anyloop's part of {@code d} as a host holding exactly it reads back. */
    private static dev.anyloop.apply.Owned ownedOf(DeviceState d) {
        dev.anyloop.apply.Owned want = dev.anyloop.apply.Ownership.desired(d, Backend.IPTABLES);
        java.util.Set<Address> s = new java.util.HashSet<>();
        want.addresses().forEach(x -> s.add(dev.anyloop.apply.Ownership.key(x)));
        return dev.anyloop.apply.Ownership.live(d, new dev.anyloop.apply.Ownership.Scope(s, want.sysctls().keySet(), java.util.Set.of()), Optional.empty());
    }

    /** The how-to's way: "ip address add", "ip route add", "iptables -N" and "iptables -A", one process each. */
    static String perCommandScript(Steps s) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.ip().split("\n")) if (!line.isBlank()) sb.append("ip ").append(line.replace("route replace", "route add")).append('\n');
        for (String line : s.iptables().split("\n")) {
            if (line.startsWith(":")) sb.append("iptables -N ").append(line.substring(1, line.indexOf(' '))).append('\n');
            else if (line.startsWith("-A ") || line.startsWith("-I ")) sb.append("iptables ").append(line.startsWith("-I ") ? line.replaceFirst("^-I (\\S+) \\d+", "-A $1") : line).append('\n');
        }
        return sb.toString();
    }

    interface Work {
        void run() throws Exception;
    }

    private static double time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0] + " " + Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[1];
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * The bench host; {@code variant} 1 differs from 0 in 1%: the first N/100 addresses and routes and the
     * first N/400 services (a quarter of their rules each) are other ones.
     */
    static DeviceState host(int n, int variant) {
        List<Link> links = List.of(new Link("lo", Link.Kind.LOOPBACK, true), new Link("eth0", Link.Kind.ETHER, true));
        List<Address> addrs = new ArrayList<>(List.of(new Address("lo", InterfaceAddress.parse("127.0.0.1/8"), Address.Scope.HOST),
                Address.global("eth0", InterfaceAddress.parse("192.168.0.1/24"))));
        List<Route> routes = new ArrayList<>(List.of(Route.connected(Prefix.parse("192.168.0.0/24"), "eth0", Ip.parse("192.168.0.1"), 0)));
        int changed = n / 100;
        for (int i = 0; i < n; i++) {
            int k = variant == 1 && i < changed ? n + i : i;
            addrs.add(Address.global("lo", InterfaceAddress.of(Ip.parse("10.0.0.0").plus(256 + k), 32)));
            routes.add(Route.via(Prefix.host(Ip.parse("172.16.0.0").plus(256 + k)), Ip.parse("192.168.0.2"), "eth0", 1, Route.PROTO_ANYLOOP));
        }
        List<Rule> input = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        int services = n / 4;
        for (int s = 0; s < services; s++) {
            int k = variant == 1 && s < services / 100 ? services + s : s;
            String chain = "AL-IN-s" + k;
            input.add(Rule.of(new Target.Jump(chain), new Match.Destination(Prefix.host(Ip.parse("10.0.0.0").plus(256 + k)), false)));
            chains.add(Chain.user(chain, List.of(
                    Rule.of(new Target.Accept(), new Match.ConnState(java.util.Set.of("RELATED", "ESTABLISHED"), false)),
                    Rule.of(new Target.Accept(), new Match.Protocol("tcp", false), new Match.DstPorts(List.of(dev.anyloop.net.PortRange.of(80)), false)),
                    Rule.of(new Target.Drop()))));
        }
        List<Chain> filter = new ArrayList<>(List.of(Chain.builtin("INPUT", new Target.Accept(), input),
                Chain.builtin("FORWARD", new Target.Accept(), List.of()), Chain.builtin("OUTPUT", new Target.Accept(), List.of())));
        filter.addAll(chains);
        List<PolicyRule> rules = new ArrayList<>(PolicyRule.defaults(Family.V4));
        rules.addAll(PolicyRule.defaults(Family.V6));
        return new DeviceState("bench", links, addrs, routes, rules, Sysctls.of(Map.of("net.ipv4.ip_forward", "1")),
                new Netfilter(Family.V4, List.of(new Table("filter", filter))), Netfilter.empty(Family.V6), List.of());
    }
}
