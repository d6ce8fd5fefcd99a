package dev.anyloop.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.LocalTarget;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * apply, drift repair and rollback whether or not iproute2 names protocol 77: with the package's
 * rt_protos.d/anyloop.conf installed ip prints (and its JSON says) "anyloop", without it "77". Each case
 * runs every command under a private mount of its own /etc/iproute2 (a copy of this machine's, with or
 * without the file), so both are tested on any machine, whatever its /etc holds.
 */
@Tag("root")
class ProtoNameRootTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "rt_protos.d names 77: {0}")
    @ValueSource(booleans = {true, false})
    void ownedRoutesAndRulesAreFoundByEitherSpelling(boolean named) throws Exception {
        Path etc = iproute2(named);
        DeviceState router = EngineRootTest.host("router");
        // a policy rule of anyloop's too, so rules' "protocol" is read both ways as well
        List<PolicyRule> rules = new ArrayList<>(router.rules());
        rules.add(new PolicyRule(Family.V4, 100, false, Optional.of(Prefix.parse("10.255.0.1/32")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), PolicyRule.Action.LOOKUP, Route.TABLE_MAIN).withProto(Route.PROTO_ANYLOOP));
        DeviceState desired = new DeviceState(router.host(), router.links(), router.addresses(), router.routes(), rules, router.sysctls(),
                router.ipv4(), router.ipv6(), router.listeners());
        try (LiveHost h = LiveHost.forState(router)) {
            h.sh("ip", "route", "add", "10.250.0.0/16", "via", "192.168.1.99", "proto", "static");
            View v = new View(h.ns, etc);
            Engine engine = new Engine(v, tmp.resolve("state"));
            Engine.Options o = Engine.Options.of(Backend.IPTABLES).withoutProtoName();
            String foreign = v.show("ip", "-N", "route", "show", "table", "all", "proto", "static");

            assertThat(engine.apply(desired, o).changed()).isTrue();
            // the view took effect: this is how ip prints anyloop's routes and rules to a user of that host
            String word = named ? "anyloop" : "77";
            assertThat(v.show("ip", "route", "show", "10.53.0.53")).contains("via 192.168.1.53 dev eth1 proto " + word + " metric 1");
            assertThat(v.show("ip", "rule", "show")).contains("100:\tfrom 10.255.0.1 lookup main proto " + word);
            assertThat(v.show("ip", "route", "show", "proto", word)).contains("10.53.0.53 via 192.168.1.53");

            Engine.Outcome again = engine.apply(desired, o);
            assertThat(again.plan().changes()).as(again.plan().text()).isEmpty();
            assertThat(engine.diff(desired, o).exit()).isZero();

            // rollback finds every owned route and rule by its protocol, and leaves the static route alone
            engine.rollback();
            assertThat(v.show("ip", "-N", "route", "show", "table", "all")).doesNotContain("proto 77");
            assertThat(v.show("ip", "-N", "rule", "show")).doesNotContain("proto 77").doesNotContain("10.255.0.1");
            assertThat(v.show("ip", "-N", "route", "show", "table", "all", "proto", "static")).isEqualTo(foreign).contains("10.250.0.0/16");
            assertThat(v.show("iptables-save")).doesNotContain("AL-");

            // drift: one owned route and the owned rule deleted by hand come back, and nothing else is planned
            assertThat(engine.apply(desired, o).changed()).isTrue();
            h.sh("ip", "route", "del", "10.53.0.53/32", "via", "192.168.1.54", "metric", "2");
            h.sh("ip", "rule", "del", "priority", "100");
            Engine.Outcome repair = engine.apply(desired, o);
            assertThat(repair.plan().changes()).extracting(Object::toString).as(repair.plan().text()).hasSize(2)
                    .anyMatch(c -> c.contains("10.53.0.53 via 192.168.1.54")).anyMatch(c -> c.contains("100: from 10.255.0.1/32 lookup main"));
            assertThat(v.show("ip", "route", "show", "10.53.0.53")).contains("via 192.168.1.54 dev eth1 proto " + word + " metric 2");
            assertThat(engine.apply(desired, o).plan().changes()).isEmpty();
            assertThat(v.show("ip", "-N", "route", "show", "table", "all", "proto", "static")).isEqualTo(foreign);
        }
    }

    /** A copy of this machine's /etc/iproute2 with rt_protos.d/anyloop.conf present (named) or absent. */
    private Path iproute2(boolean named) throws Exception {
        Path dir = tmp.resolve("iproute2");
        Path src = Path.of("/etc/iproute2");
        Files.createDirectories(dir.resolve("rt_protos.d"));
        if (Files.isDirectory(src)) {
            try (var files = Files.list(src)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        if (named) Files.writeString(dir.resolve("rt_protos.d/anyloop.conf"), Engine.PROTO_NAME_TEXT);
        return dir;
    }

    /**
     * The namespace seen through a private mount namespace whose /etc/iproute2 is {@code etc}: unshare makes
     * mounts private by default, so the bind mount never reaches this machine's mount table.
     */
    static final class View extends LocalTarget {
        private final String ns;
        private final Path etc;

        View(String ns, Path etc) {
            super(new CommandRunner(java.time.Duration.ofSeconds(60)));
            this.ns = ns;
            this.etc = etc;
        }

        @Override
        public String id() { return "netns-" + ns; }

        @Override
        public String describe() { return "network namespace " + ns + " (iproute2 config " + etc + ")"; }

        @Override
        protected List<String> wrap(List<String> argv) {
            List<String> out = new ArrayList<>(List.of("unshare", "--mount", "--", "sh", "-c",
                    "d=$1; n=$2; shift 2; mount --bind \"$d\" /etc/iproute2 && exec nsenter --net=\"$n\" -- \"$@\"", "sh",
                    etc.toString(), "/run/netns/" + ns));
            out.addAll(argv);
            return out;
        }

        @Override
        public CommandRunner.Result run(List<String> argv, Optional<String> stdin, java.time.Duration timeout) {
            return runner().run(wrap(argv), stdin, timeout);
        }

        String show(String... argv) { return run(List.of(argv), Optional.empty(), java.time.Duration.ofSeconds(30)).orThrow().out(); }
    }
}
