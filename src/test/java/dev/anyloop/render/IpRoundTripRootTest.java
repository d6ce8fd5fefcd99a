package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.snapshot.IpRouteParser;
import dev.anyloop.snapshot.IpRuleParser;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One route and rule syntax, with the kernel in the middle: random routes and policy rules rendered by
 * {@link IpBatchRenderer}, loaded with {@code ip -batch} into a namespace, listed with {@code ip -json} and read
 * back by the snapshot's parsers are the same routes and rules ({@code parse(render(x)).equals(x)}). It would
 * have caught {@code fwmask} being parsed but never rendered.
 */
@Tag("root")
class IpRoundTripRootTest {
    private TestNetns ns;

    @AfterEach
    void cleanUp() {
        if (ns != null) ns.close();
    }

    @Test
    void routesAndRulesReadBackAsRendered() throws Exception {
        for (long seed = 1; seed <= 8; seed++) {
            Random r = new Random(seed);
            ns = TestNetns.create();
            ns.veth("eth0", "alpeer0");
            ns.veth("eth1", "alpeer1");
            String setup = "link set dev lo up\nlink set dev eth0 up\nlink set dev eth1 up\naddress add 10.0.0.1/24 dev eth0\n"
                    + "address add 10.0.1.1/24 dev eth1\naddress add 10.53.0.1/32 dev lo\naddress add fd00::1/64 dev eth0\n"
                    + "address add fd00:53::1/128 dev lo nodad\n";
            ok(ns.feed(setup, "ip", "-batch", "-").exit(), "setup");
            List<Route> routes = routes(r);
            List<PolicyRule> rules = rules(r);
            StringBuilder b4 = new StringBuilder();
            StringBuilder b6 = new StringBuilder();
            for (Route x : routes) b4.append("route replace ").append(IpBatchRenderer.route(x)).append('\n');
            for (PolicyRule x : rules) (x.family() == Family.V4 ? b4 : b6).append("rule add ").append(IpBatchRenderer.rule(x)).append('\n');
            var res = ns.feed(b4.toString(), "ip", "-batch", "-");
            assertThat(res.exit()).as("seed %d: %s\n%s", seed, res.err(), b4).isZero();
            res = ns.feed(b6.toString(), "ip", "-6", "-batch", "-");
            assertThat(res.exit()).as("seed %d: %s\n%s", seed, res.err(), b6).isZero();

            List<Route> back = IpRouteParser.parse("ip-route.json", ns.exec("ip", "-json", "route", "show", "table", "all").out(), Optional.empty());
            for (Route x : routes) assertThat(back).as("seed %d: %s\n%s", seed, IpBatchRenderer.route(x), b4).contains(x);
            List<PolicyRule> rb = new ArrayList<>(IpRuleParser.parse("ip-rule.json", ns.exec("ip", "-json", "rule", "show").out(), Family.V4));
            rb.addAll(IpRuleParser.parse("ip6-rule.json", ns.exec("ip", "-6", "-json", "rule", "show").out(), Family.V6));
            for (PolicyRule x : rules) assertThat(rb).as("seed %d: %s", seed, IpBatchRenderer.rule(x)).contains(x);
            ns.close();
            ns = null;
        }
    }

    private static void ok(int exit, String what) { assertThat(exit).as(what).isZero(); }

    private static List<Route> routes(Random r) {
        List<Route> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<String> protos = List.of("static", "boot", "77", "bird", "zebra");
        for (int i = 0; i < 30; i++) {
            boolean v6 = r.nextInt(4) == 0;
            int table = List.of(Route.TABLE_MAIN, Route.TABLE_MAIN, 100, 51820).get(r.nextInt(4));
            int len = v6 ? 48 + r.nextInt(81) : 8 + r.nextInt(25);
            Prefix dst = v6 ? Prefix.containing(Ip.v6(0xfd01L << 48 | r.nextInt(0xffff), r.nextLong()), len)
                    : Prefix.containing(Ip.v4(0x0a000000L | (r.nextInt(200) + 20) << 16 | r.nextInt(0xffff)), len);
            int metric = v6 ? 1 + r.nextInt(2000) : r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(500);
            if (!keys.add(dst + "/" + table + "/" + metric)) continue;
            int kind = r.nextInt(6);
            Route.Type type = Route.Type.UNICAST;
            List<NextHop> hops = new ArrayList<>();
            Route.Scope scope = Route.Scope.GLOBAL;
            Optional<Ip> src = Optional.empty();
            if (kind == 0) {
                type = List.of(Route.Type.BLACKHOLE, Route.Type.UNREACHABLE, Route.Type.PROHIBIT, Route.Type.THROW).get(r.nextInt(4));
            } else if (kind == 1 && !v6) {
                hops.add(new NextHop(Optional.of(Ip.parse("10.0.0.2")), "eth0", 1 + r.nextInt(5)));
                hops.add(new NextHop(Optional.of(Ip.parse("10.0.1.2")), "eth1", 1 + r.nextInt(5)));
            } else if (kind == 2) {
                hops.add(NextHop.dev(v6 ? "eth0" : r.nextBoolean() ? "eth0" : "eth1"));
                if (!v6) scope = Route.Scope.LINK;
            } else {
                hops.add(NextHop.via(Ip.parse(v6 ? "fd00::2" : "10.0.0.2"), "eth0"));
            }
            if (type == Route.Type.UNICAST && r.nextInt(3) == 0) src = Optional.of(Ip.parse(v6 ? "fd00:53::1" : "10.53.0.1"));
            out.add(new Route(type, dst, table, hops, metric, src, protos.get(r.nextInt(protos.size())), scope));
        }
        return out;
    }

    private static List<PolicyRule> rules(Random r) {
        List<PolicyRule> out = new ArrayList<>();
        Set<Integer> prios = new HashSet<>();
        for (int i = 0; i < 15; i++) {
            Family f = r.nextInt(3) == 0 ? Family.V6 : Family.V4;
            int prio = 100 + r.nextInt(30000);
            if (!prios.add(prio)) continue;
            Optional<Prefix> from = r.nextBoolean() ? Optional.empty() : Optional.of(f == Family.V4
                    ? Prefix.containing(Ip.v4(0x0a000000L | r.nextInt(0xffffff)), 8 + r.nextInt(25))
                    : Prefix.containing(Ip.v6(0xfd00L << 48 | r.nextInt(0xffff), 0), 16 + r.nextInt(49)));
            Optional<Prefix> to = r.nextInt(3) > 0 ? Optional.empty() : Optional.of(f == Family.V4
                    ? Prefix.containing(Ip.v4(0xc0a80000L | r.nextInt(0xffff)), 16 + r.nextInt(17)) : Prefix.parse("fd00:53::/64"));
            Optional<String> iif = r.nextInt(3) == 0 ? Optional.of(r.nextBoolean() ? "lo" : "eth1") : Optional.empty();
            Optional<String> oif = r.nextInt(4) == 0 ? Optional.of("eth0") : Optional.empty();
            Optional<Long> mark = r.nextBoolean() ? Optional.of((long) (1 + r.nextInt(0xffff))) : Optional.empty();
            long mask = mark.isPresent() && r.nextBoolean() ? 0xffL << (r.nextInt(3) * 8) | mark.get() : PolicyRule.FULL_MASK;
            PolicyRule.Action a = r.nextInt(5) == 0 ? List.of(PolicyRule.Action.BLACKHOLE, PolicyRule.Action.UNREACHABLE,
                    PolicyRule.Action.PROHIBIT).get(r.nextInt(3)) : PolicyRule.Action.LOOKUP;
            int table = a == PolicyRule.Action.LOOKUP ? List.of(Route.TABLE_MAIN, 100, 200, 51820).get(r.nextInt(4)) : 0;
            int suppress = a == PolicyRule.Action.LOOKUP && r.nextInt(4) == 0 ? r.nextInt(f.bits() + 1) : -1;
            out.add(new PolicyRule(f, prio, r.nextInt(5) == 0, from, to, iif, oif, mark, a, table, mask).withSuppressPrefixlen(suppress));
        }
        return out;
    }
}
