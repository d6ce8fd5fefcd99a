package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on real namespaces: converge, converge again with nothing run, repair drift, undo failures. */
@Tag("root")
class EngineRootTest {
    static final Network HOME = home();

    @TempDir
    Path state;

    static Network home() {
        try {
            return Compiler.compile(IntentLoader.load(Path.of("examples/home.yaml")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static DeviceState host(String h) { return HOME.host(h).orElseThrow(); }

    @Test
    void routerConvergesAndASecondApplyRunsNoWrite() throws Exception {
        DeviceState router = host("router");
        try (LiveHost h = LiveHost.forState(router)) {
            Engine.Outcome first = new Engine(h.target(), state).apply(router, Engine.Options.of(Backend.IPTABLES).withoutProtoName());
            assertThat(first.changed()).isTrue();
            assertThat(first.plan().changes()).isNotEmpty();
            assertThat(h.show("ip", "route", "show", "10.53.0.53")).containsPattern("via 192.168.1.53 dev eth1 proto (77|anyloop) metric 1");
            assertThat(h.show("iptables-save")).contains(":AL-FWD-web - [0:0]").contains("-A FORWARD -d 10.10.10.10/32 -m comment --comment \"anyloop service web: forwarded to it (T3)\" -j AL-FWD-web");
            assertThat(h.show("sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");
            assertThat(h.show("ip", "route", "show", "192.168.1.0/24")).contains("src 10.255.0.1");

            RecordingTarget rec = new RecordingTarget(h.target());
            Engine.Outcome again = new Engine(rec, state).apply(router, Engine.Options.of(Backend.IPTABLES).withoutProtoName());
            assertThat(again.changed()).isFalse();
            assertThat(again.plan().changes()).as(again.plan().text()).isEmpty();
            // one read, and nothing that writes: the script holds no step (a step is what runs ip -batch, a restore, sysctl -w)
            assertThat(rec.ran).hasSize(1);
            assertThat(rec.ran.get(0).text().lines().filter(l -> l.startsWith("_s "))).isEmpty();
            assertThat(rec.ran.get(0).text().lines().filter(l -> l.startsWith("_c ")).toList())
                    .allMatch(l -> l.contains("'show'") || l.contains("-save") || l.contains("'sysctl' '-e'") || l.contains("'list'"));
            assertThat(new Engine(h.target(), state).diff(router, Engine.Options.of(Backend.IPTABLES)).exit()).isZero();
        }
    }

    private Engine engine(LiveHost h) { return new Engine(h.target(), state); }

    private static Engine.Options iptables() { return Engine.Options.of(Backend.IPTABLES).withoutProtoName(); }

    @Test
    void driftIsRepairedExactlyAndNothingElseIsTouched() throws Exception {
        DeviceState router = host("router");
        try (LiveHost h = LiveHost.forState(router)) {
            engine(h).apply(router, iptables());
            // someone flushes a chain, deletes a route, an address and a jump, and adds a rule of their own
            h.sh("iptables", "-F", "AL-FWD-dns");
            h.sh("ip", "route", "del", "10.53.0.53/32", "via", "192.168.1.54", "metric", "2");
            h.sh("ip", "addr", "del", "10.53.0.1/32", "dev", "lo");
            h.sh("iptables", "-D", "FORWARD", "-d", "10.10.10.43/32", "-m", "comment", "--comment",
                    "anyloop service pi-https: forwarded to it (T3)", "-j", "AL-FWD-pi-https");
            h.sh("iptables", "-I", "FORWARD", "1", "-s", "203.0.113.9/32", "-j", "DROP");
            Engine.Outcome r = engine(h).apply(router, iptables());
            assertThat(r.plan().changes()).extracting(Change::describe).containsExactlyInAnyOrder(
                    "+ 10.53.0.1/32 dev lo",
                    "+ 10.53.0.53 via 192.168.1.54 dev eth1 proto 77 metric 2",
                    "~ ipv4 filter AL-FWD-dns (0 -> 2 rules)",
                    // after the foreign DROP someone put on top and the three jumps before it
                    "+ ipv4 filter FORWARD #5: -d 10.10.10.43/32 -m comment --comment \"anyloop service pi-https: forwarded to it (T3)\" -j AL-FWD-pi-https");
            assertThat(h.show("iptables-save")).contains("-A FORWARD -s 203.0.113.9/32 -j DROP");
            assertThat(engine(h).apply(router, iptables()).plan().changes()).isEmpty();
        }
    }

    /** The router's state with one thing added that makes one step fail on the real tool, after the steps before it ran. */
    static DeviceState broken(String step) {
        DeviceState r = host("router");
        java.util.Map<String, String> sys = new java.util.TreeMap<>(r.sysctls().values());
        java.util.List<dev.anyloop.state.Route> routes = new java.util.ArrayList<>(r.routes());
        java.util.List<dev.anyloop.state.PolicyRule> rules = new java.util.ArrayList<>(r.rules());
        dev.anyloop.state.Netfilter v4 = r.ipv4();
        dev.anyloop.state.Netfilter v6 = r.ipv6();
        switch (step) {
            case "sysctl":
                // sysctl -w sets the keys before it and fails on this one: the undo must set those back
                sys.put("net.ipv4.conf.zz-nosuch.rp_filter", "1");
                break;
            case "ip":
                // not on-link: the kernel refuses the route after the batch added addresses and other routes
                routes.add(dev.anyloop.state.Route.via(dev.anyloop.net.Prefix.parse("10.240.0.0/16"), dev.anyloop.net.Ip.parse("10.99.99.99"),
                        "eth1", 7, dev.anyloop.state.Route.PROTO_ANYLOOP));
                break;
            case "ip6":
                // an IPv4 source in an IPv6 rule: ip -6 refuses it, after the IPv4 batch ran
                rules.add(new dev.anyloop.state.PolicyRule(dev.anyloop.net.Family.V6, 300, false,
                        java.util.Optional.of(dev.anyloop.net.Prefix.parse("10.0.0.0/8")), java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.empty(), java.util.Optional.empty(), dev.anyloop.state.PolicyRule.Action.LOOKUP, 100, 0xffffffffL,
                        dev.anyloop.state.Route.PROTO_ANYLOOP));
                break;
            case "iptables":
                v4 = withChain(v4, "AL-BROKEN", new dev.anyloop.state.Target.Unsupported("-j NO-SUCH-TARGET"));
                break;
            case "ip6tables":
                v6 = withChain(v6, "AL-BROKEN", new dev.anyloop.state.Target.Unsupported("-j NO-SUCH-TARGET"));
                break;
            case "nft":
                // a jump to a chain the table does not have: nft refuses the whole table
                v4 = withChain(v4, "AL-BROKEN", new dev.anyloop.state.Target.Jump("AL-NOT-THERE"));
                break;
            default:
                throw new IllegalArgumentException(step);
        }
        return new DeviceState(r.host(), r.links(), r.addresses(), routes, rules, dev.anyloop.state.Sysctls.of(sys), v4, v6, r.listeners());
    }

    private static dev.anyloop.state.Netfilter withChain(dev.anyloop.state.Netfilter nf, String chain, dev.anyloop.state.Target t) {
        java.util.List<dev.anyloop.state.Table> tables = new java.util.ArrayList<>();
        boolean done = false;
        for (dev.anyloop.state.Table x : nf.tables()) {
            if (x.name().equals("filter")) {
                java.util.List<dev.anyloop.state.Chain> cs = new java.util.ArrayList<>(x.chains());
                cs.add(dev.anyloop.state.Chain.user(chain, java.util.List.of(dev.anyloop.state.Rule.of(t))));
                x = new dev.anyloop.state.Table("filter", cs);
                done = true;
            }
            tables.add(x);
        }
        if (!done) {
            java.util.List<dev.anyloop.state.Chain> cs = new java.util.ArrayList<>(dev.anyloop.state.Table.empty("filter").chains());
            cs.add(dev.anyloop.state.Chain.user(chain, java.util.List.of(dev.anyloop.state.Rule.of(t))));
            tables.add(new dev.anyloop.state.Table("filter", cs));
        }
        return new dev.anyloop.state.Netfilter(nf.family(), tables);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sysctl", "ip", "ip6", "iptables", "ip6tables", "nft"})
    void aFailingStepLeavesTheHostAsItWas(String step) throws Exception {
        DeviceState router = host("router");
        Backend b = step.equals("nft") ? Backend.NFT : Backend.IPTABLES;
        try (LiveHost h = LiveHost.forState(router)) {
            // a first apply, so the failing one starts from a host that already holds anyloop's part of a smaller file
            engine(h).apply(host("router").withRoutes(router.routes().stream().filter(x -> !x.dst().toString().startsWith("10.53.0.53")).toList()),
                    Engine.Options.of(b).withoutProtoName());
            String before = h.everything();
            assertThatThrownBy(() -> engine(h).apply(broken(step), Engine.Options.of(b).withoutProtoName()))
                    .isInstanceOf(ApplyException.class).hasMessageContaining("step " + step + " failed")
                    .hasMessageContaining("the host was put back as it was before this apply")
                    .satisfies(e -> assertThat(((ApplyException) e).exit()).isEqualTo(1));
            assertThat(h.everything()).isEqualTo(before);
            assertThat(engine(h).diff(broken(step), Engine.Options.of(b)).plan().changes()).isNotEmpty();
        }
    }

    /**
     * Verified after: something on the host undoes one of anyloop's routes between the steps and the read-back
     * (here a line slipped into the step script after its last step). apply sees the difference, puts the host
     * back as it was and fails naming what differs.
     */
    @Test
    void aHostThatDoesNotHoldWhatWasWrittenIsPutBack() throws Exception {
        DeviceState router = host("router");
        try (LiveHost h = LiveHost.forState(router)) {
            String before = h.everything();
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            RecordingTarget meddling = new RecordingTarget(h.target(), script -> {
                int last = script.lastIndexOf("\n_s ");
                if (last < 0 || !script.contains("'ip' '-batch'") || once.getAndSet(true)) return script;
                int eol = script.indexOf('\n', last + 1);
                return script.substring(0, eol + 1) + "ip route del 10.53.0.53/32 via 192.168.1.54 dev eth1 metric 2 >/dev/null 2>&1\n"
                        + script.substring(eol + 1);
            });
            assertThatThrownBy(() -> new Engine(meddling, state).apply(router, iptables()))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("after the change the host still differs from network.yaml")
                    .hasMessageContaining("10.53.0.53 via 192.168.1.54")
                    .hasMessageContaining("the host was put back as it was before this apply")
                    .satisfies(e -> assertThat(((ApplyException) e).exit()).isEqualTo(1));
            assertThat(once).isTrue();
            assertThat(h.everything()).isEqualTo(before);
            assertThat(engine(h).apply(router, iptables()).changed()).isTrue();
        }
    }

    /** What other tools hold on a host: Docker's chains, a static route, an address added by hand, an nft table. */
    private static void foreign(LiveHost h) {
        h.feed("*nat\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\nCOMMIT\n"
                + "*filter\n:DOCKER - [0:0]\n:DOCKER-ISOLATION-STAGE-1 - [0:0]\n:DOCKER-USER - [0:0]\n"
                + "-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-ISOLATION-STAGE-1\n-A FORWARD -o docker0 -j DOCKER\n"
                + "-A DOCKER-ISOLATION-STAGE-1 -j RETURN\n-A DOCKER-USER -j RETURN\n-A INPUT -s 203.0.113.0/24 -j DROP\nCOMMIT\n",
                "iptables-restore", "--noflush");
        h.sh("ip", "route", "add", "10.250.0.0/16", "via", "192.168.1.99", "proto", "static", "metric", "1");
        h.sh("ip", "addr", "add", "10.99.0.1/32", "dev", "lo");
        h.feed("table ip foreign {\n chain c {\n  type filter hook input priority 10; policy accept;\n  tcp dport 9999 drop\n }\n}\n", "nft", "-f", "-");
    }

    /** The foreign part, byte for byte as the tools print it. */
    private static String foreignText(LiveHost h) {
        String ipt = h.show("iptables-save").lines().filter(l -> !l.contains("AL-")).collect(java.util.stream.Collectors.joining("\n"));
        return ipt + "\n" + h.show("ip", "route", "show", "table", "all", "proto", "static") + h.show("ip", "addr", "show", "dev", "lo").lines()
                .filter(l -> l.contains("10.99.0.1")).findFirst().orElse("(hand-added address gone)") + "\n" + h.show("nft", "list", "table", "ip", "foreign");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Backend.class)
    void foreignStateStaysByteIdenticalThroughApplyAndRollback(Backend b) throws Exception {
        DeviceState router = host("router");
        try (LiveHost h = LiveHost.forState(router)) {
            foreign(h);
            String before = foreignText(h);
            assertThat(before).contains(":DOCKER-USER - [0:0]", "-A FORWARD -j DOCKER-USER", "10.250.0.0/16 via 192.168.1.99", "10.99.0.1/32",
                    "tcp dport 9999 drop");
            engine(h).apply(router, Engine.Options.of(b).withoutProtoName());
            assertThat(foreignText(h)).isEqualTo(before);
            assertThat(engine(h).apply(router, Engine.Options.of(b).withoutProtoName()).plan().changes()).isEmpty();
            engine(h).rollback(); // the second apply changed nothing, so this undoes the first
            assertThat(foreignText(h)).isEqualTo(before);
            assertThat(h.show("iptables-save")).doesNotContain("AL-");
            assertThat(h.show("nft", "list", "ruleset")).doesNotContain("anyloop");
            assertThat(h.show("ip", "-N", "route", "show", "table", "all")).doesNotContain("proto 77");
        }
    }

    @Test
    void removingAServiceFromTheFileRemovesExactlyItsObjects() throws Exception {
        String yaml = java.nio.file.Files.readString(Path.of("examples/home.yaml"));
        int a = yaml.indexOf("  pi-https:");
        int z = yaml.indexOf("# T8: `ip route change");
        Path smaller = state.resolve("home-without-pi-https.yaml");
        java.nio.file.Files.writeString(smaller, yaml.substring(0, a) + yaml.substring(z));
        DeviceState without = Compiler.compile(IntentLoader.load(smaller)).host("pi1").orElseThrow();
        DeviceState pi1 = host("pi1");
        try (LiveHost h = LiveHost.forState(pi1)) {
            h.sh("ip", "addr", "add", "10.99.0.1/32", "dev", "lo"); // by hand, before anyloop: never anyloop's to remove
            engine(h).apply(pi1, iptables());
            String routesBefore = h.show("ip", "route", "show", "table", "main");
            Engine.Outcome r = engine(h).apply(without, iptables());
            assertThat(r.plan().changes()).extracting(Change::describe).containsExactlyInAnyOrder(
                    "- 10.10.10.43/32 dev lo",
                    "- ipv4 filter INPUT: -d 10.10.10.43/32 -m comment --comment \"anyloop service pi-https: to 10.10.10.43 (T4)\" -j AL-IN-pi-https",
                    // replies, lo, two allowed segments, watch's probe sources (health:), then DROP
                    "- ipv4 filter AL-IN-pi-https (6 rules)",
                    "- ipv4 filter AL-PORTS-pi-https (3 rules)");
            assertThat(h.show("ip", "addr", "show", "dev", "lo")).contains("10.53.0.53/32", "10.99.0.1/32").doesNotContain("10.10.10.43");
            assertThat(h.show("iptables-save")).contains("AL-IN-dns").doesNotContain("pi-https");
            assertThat(h.show("ip", "route", "show", "table", "main")).isEqualTo(routesBefore);
        }
    }

    /** export's default iptables form loaded by hand onto a Docker host: Docker's rules stay, and apply then finds nothing to do. */
    @Test
    void theExportedOwnedPartLoadsBesideDockersRulesAsApplyWouldLoadIt() throws Exception {
        DeviceState desktop = host("desktop");
        try (LiveHost h = LiveHost.forState(desktop)) {
            String docker = h.show("iptables-save");
            assertThat(docker).contains(":DOCKER-USER - [0:0]", "-A FORWARD -j DOCKER-USER", ":FORWARD DROP");
            Steps s = Steps.forFreshHost(desktop, Backend.IPTABLES);
            h.feed(s.iptables(), "iptables-restore", "--noflush");
            String after = h.show("iptables-save");
            assertThat(after.lines().filter(l -> !l.contains("AL-")).toList()).isEqualTo(docker.lines().filter(l -> !l.contains("AL-")).toList());
            h.ip(s.ip());
            h.sh(java.util.stream.Stream.concat(java.util.stream.Stream.of("sysctl", "-q", "-w"), s.sysctl().stream()).toArray(String[]::new));
            Engine.Outcome r = engine(h).apply(desktop, iptables());
            assertThat(r.plan().changes()).as(r.plan().text()).isEmpty();
        }
    }
}
