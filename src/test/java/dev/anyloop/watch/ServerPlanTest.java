package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.Route;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What watch watches on a BGP server: its own announced services, checked from the service address itself. */
class ServerPlanTest {
    static final String HEALTH = "\nhealth:\n  services:\n    dns: { check: dns, port: udp/53, query: whoami.anyloop, type: TXT }\n";

    static Intent anycast(String extra) throws Exception {
        String yaml = Files.readString(Path.of("examples/anycast.yaml")) + extra;
        return IntentLoader.parse("anycast.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aServerWatchesEachAddressOfItsServiceFromTheAddressItself() throws Exception {
        Intent i = anycast(HEALTH);
        assertThat(ServerPlan.isBgpServer(i, "dns-a2")).isTrue();
        assertThat(ServerPlan.isBgpServer(i, "ra")).isFalse();
        assertThat(ServerPlan.isBgpServer(i, "client-a")).isFalse();
        WatchPlan p = ServerPlan.of(i, "dns-a2");
        assertThat(p.router()).isEqualTo("dns-a2");
        assertThat(p.items()).extracting(it -> it.instance().toString()).containsExactly("dns 10.53.0.53 on dns-a2", "dns fd53::53 on dns-a2");
        assertThat(p.items()).allSatisfy(it -> {
            assertThat(it.instance().rank()).isEqualTo(1);
            assertThat(it.source()).isEqualTo(it.instance().address());
            assertThat(it.path()).isEmpty();
            assertThat(it.check()).get().extracting(CheckSpec::kind).isEqualTo(CheckSpec.Kind.DNS);
            assertThat(it.route().type()).isEqualTo(Route.Type.BLACKHOLE);
            assertThat(it.route().dst().contains(it.instance().address())).isTrue();
        });
        assertThat(p.checked()).hasSize(2);
        assertThat(new AnnounceActuator(p, new AnnounceActuatorTest.FakeBird()).holdsEveryCarrier()).isFalse();
    }

    @Test
    void aServiceWithoutACheckIsListedAndLeftAlone() throws Exception {
        WatchPlan p = ServerPlan.of(anycast(HEALTH.replace("{ check: dns, port: udp/53, query: whoami.anyloop, type: TXT }", "{ check: none }")), "dns-b1");
        assertThat(p.items()).hasSize(2);
        assertThat(p.checked()).isEmpty();
    }

    @Test
    void whatCannotBeWatchedSaysWhy() throws Exception {
        assertThatThrownBy(() -> ServerPlan.of(anycast(""), "dns-a1")).isInstanceOf(WatchPlan.NothingToWatch.class)
                .hasMessage("anycast.yaml has no health: section: it says what to check (docs/watch.md)");
        assertThatThrownBy(() -> ServerPlan.of(anycast(HEALTH), "client-a")).isInstanceOf(WatchPlan.NothingToWatch.class)
                .hasMessage("host client-a is not a BGP server of anycast.yaml");
        // a router of a BGP-only network has no route of its own to watch
        assertThatThrownBy(() -> WatchPlan.of(anycast(HEALTH), dev.anyloop.compile.Compiler.compile(anycast(HEALTH)), "ra"))
                .isInstanceOf(WatchPlan.NothingToWatch.class).hasMessageContaining("router ra routes no service");
    }
}
