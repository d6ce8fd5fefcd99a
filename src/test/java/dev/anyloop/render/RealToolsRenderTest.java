package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Family;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Link;
import dev.anyloop.state.NextHop;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real ip, iptables-restore/-save and nft accept what the renderers write, and do what it says. */
@Tag("root")
class RealToolsRenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestNetns ns;

    static Stream<DeviceState> hosts() { return Fixtures.all().values().stream(); }

    @AfterEach
    void cleanUp() {
        if (ns != null) {
            ns.close();
            assertThat(TestNetns.exists(ns.name)).as("namespace %s left behind", ns.name).isFalse();
        }
    }

    /** A namespace with a veth for every interface of {@code d} but lo. */
    private TestNetns namespaceFor(DeviceState d) {
        ns = TestNetns.create();
        int i = 0;
        for (Link l : d.links()) if (!l.name().equals("lo")) ns.veth(l.name(), "alpeer" + i++);
        return ns;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void ipBatchLoadsAndTheKernelShowsIt(DeviceState d) throws Exception {
        TestNetns n = namespaceFor(d);
        String batch = IpBatchRenderer.render(d);
        ok(n.feed(batch, "ip", "-batch", "-"));
        String rules6 = IpBatchRenderer.renderV6Rules(d);
        if (!rules6.isEmpty()) ok(n.feed(rules6, "ip", "-6", "-batch", "-"));

        JsonNode addrs = JSON.readTree(ok(n.exec("ip", "-json", "addr", "show")).out());
        for (Address a : d.addresses()) {
            if (a.address().ip().isLinkLocal()) continue;
            assertThat(hasAddress(addrs, a)).as("address %s on %s", a.address(), a.dev()).isTrue();
        }
        List<JsonNode> routes = new ArrayList<>();
        JSON.readTree(ok(n.exec("ip", "-json", "route", "show", "table", "all")).out()).forEach(routes::add);
        JSON.readTree(ok(n.exec("ip", "-6", "-json", "route", "show", "table", "all")).out()).forEach(routes::add);
        List<Route> expected = new ArrayList<>(Realised.configured(d));
        expected.addAll(Realised.srcOverrides(d));
        for (Route r : expected) {
            assertThat(routes.stream().anyMatch(j -> sameRoute(j, r))).as("route %s in %s", r, routes).isTrue();
        }
        String rules = ok(n.exec("ip", "rule", "show")).out() + ok(n.exec("ip", "-6", "rule", "show")).out();
        for (var r : d.rules()) assertThat(rules).contains(r.priority() + ":");

        // replace makes addresses and routes idempotent; ip rule has no replace, so rules are left out
        String again = batch.lines().filter(l -> !l.startsWith("rule ")).map(l -> l + "\n").collect(Collectors.joining());
        ok(n.feed(again, "ip", "-batch", "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void iptablesRestoreAcceptsAndSaveGivesItBack(DeviceState d) {
        TestNetns n = namespaceFor(d);
        for (Family f : Family.values()) {
            String rendered = IptablesRenderer.render(d.netfilter(f));
            if (rendered.isEmpty()) continue;
            String restore = f == Family.V4 ? "iptables-restore" : "ip6tables-restore";
            String save = f == Family.V4 ? "iptables-save" : "ip6tables-save";
            ok(n.feed(rendered, restore, "--test"));
            ok(n.feed(rendered, restore));
            String saved = ok(n.exec(save)).out();
            assertThat(tables(saved)).as("%s after %s", save, restore).isEqualTo(tables(rendered));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void nftChecksLoadsTwiceAndLists(DeviceState d) {
        TestNetns n = namespaceFor(d);
        String rendered = NftRenderer.render(d);
        ok(n.feed(rendered, "nft", "-c", "-f", "-"));
        ok(n.feed(rendered, "nft", "-f", "-"));
        ok(n.feed(rendered, "nft", "-f", "-"));
        String listed = ok(n.exec("nft", "list", "table", "inet", NftRenderer.TABLE)).out();
        for (String chain : rendered.lines().filter(l -> l.startsWith("\tchain ")).toList()) {
            assertThat(listed).contains(chain.strip());
        }
    }

    private static CommandRunner.Result ok(CommandRunner.Result r) {
        assertThat(r.exit()).as("%s failed: %s", String.join(" ", r.argv()), r.err()).isZero();
        return r;
    }

    private static boolean hasAddress(JsonNode links, Address a) {
        for (JsonNode l : links) {
            if (!l.path("ifname").asText().equals(a.dev())) continue;
            for (JsonNode i : l.path("addr_info")) {
                if (i.path("local").asText().equals(a.address().ip().toString())
                        && i.path("prefixlen").asInt() == a.address().length()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ip -json prints "default" for /0, a host route without its length, and omits the main table. */
    private static boolean sameRoute(JsonNode j, Route r) {
        String dst = r.dst().length() == 0 ? "default" : r.dst().isHost() ? r.dst().network().toString() : r.dst().toString();
        if (!j.path("dst").asText().equals(dst)) return false;
        String table = j.has("table") ? j.path("table").asText() : "main";
        if (!table.equals(Route.tableName(r.table()))) return false;
        if (!Route.canonicalProto(j.path("protocol").asText()).equals(r.proto())) return false;
        long metric = r.family() == Family.V6 && r.metric() == 0 ? 1024 : Integer.toUnsignedLong(r.metric());
        if (j.path("metric").asLong(0) != metric) return false;
        if (!j.path("prefsrc").asText("").equals(r.src().map(Object::toString).orElse(""))) return false;
        if (r.type() != Route.Type.UNICAST && !j.path("type").asText().equals(r.type().word())) return false;
        if (r.nexthops().size() == 1) {
            NextHop h = r.nexthops().get(0);
            return j.path("dev").asText().equals(h.dev())
                    && j.path("gateway").asText("").equals(h.via().map(Object::toString).orElse(""));
        }
        if (r.nexthops().size() > 1) {
            List<String> want = r.nexthops().stream().map(h -> h.via().map(Object::toString).orElse("") + "@" + h.dev()).toList();
            List<String> got = new ArrayList<>();
            j.path("nexthops").forEach(h -> got.add(h.path("gateway").asText("") + "@" + h.path("dev").asText()));
            return got.equals(want);
        }
        return true;
    }

    /** iptables-save text as table -> lines, without comments and in any table order. */
    private static Map<String, List<String>> tables(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> cur = null;
        for (String l : text.lines().toList()) {
            if (l.startsWith("#") || l.isBlank()) continue;
            if (l.startsWith("*")) {
                cur = new ArrayList<>();
                out.put(l, cur);
            } else if (cur != null) {
                cur.add(l);
            }
        }
        return new java.util.TreeMap<>(out);
    }
}
