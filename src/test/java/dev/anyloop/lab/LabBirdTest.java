package dev.anyloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the lab's BIRD needs before it starts, and how it compares kernel routes, without namespaces. */
class LabBirdTest {
    @Test
    void birdMissingIsAClearErrorNamingThePackage() {
        assertThatThrownBy(() -> LabBird.requireInstalled(names -> names))
                .hasMessage("the network has BGP hosts (bgp:), which the lab runs with BIRD, but bird and birdc are not installed (Debian: apt-get install bird2)");
        assertThatThrownBy(() -> LabBird.requireInstalled(names -> List.of("birdc")))
                .hasMessageContaining("but birdc is not installed");
        assertThatCode(() -> LabBird.requireInstalled(names -> List.of())).doesNotThrowAnyException();
    }

    @Test
    void onlyANetworkWithBgpHasALabBird() throws Exception {
        Intent home = IntentLoader.load(Path.of("examples/home.yaml"));
        assertThat(LabBird.of(home, LabPlan.of("bgx", Compiler.compile(home)))).isEmpty();
        Intent any = IntentLoader.load(Path.of("examples/anycast.yaml"));
        LabBird b = LabBird.of(any, LabPlan.of("bgx", Compiler.compile(any))).orElseThrow();
        assertThat(b.routers()).containsExactly("ra", "rb");
        assertThat(b.hosts()).containsExactly("ra", "rb", "dns-a1", "dns-a2", "dns-b1", "dns-b2");
        assertThat(b.birdc("dns-a1").socket()).isEqualTo(Path.of("/run/anyloop-lab/bgx/bird/dns-a1.ctl"));
    }
}
