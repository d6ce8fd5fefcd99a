package dev.anyloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.intent.Pos;
import dev.anyloop.os.TargetSpec;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** --target beats --lab beats the inventory; a host none names is skipped, and says why. */
class PlacementsTest {
    private static Network home() throws Exception { return Compiler.compile(IntentLoader.load(Path.of("examples/home.yaml"))); }

    private static List<String> hosts() throws Exception { return List.copyOf(IntentLoader.load(Path.of("examples/home.yaml")).hosts().keySet()); }

    private static Inventory inventory() {
        return new Inventory("inv.yaml", Map.of("router", new Inventory.Entry(TargetSpec.parse("ssh://root@192.168.1.1"), new Pos("inv.yaml", 2, 11)),
                "pi1", new Inventory.Entry(TargetSpec.parse("ssh://root@192.168.1.53"), new Pos("inv.yaml", 3, 8))), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    @Test
    void strongestSourceWinsAndTheRestAreSkipped() throws Exception {
        Map<String, Placement> p = Placements.resolve(hosts(), home(), inventory(), List.of(Placements.Override.parse("pi1=ssh://pi@10.0.0.9:2222")),
                Optional.empty());
        assertThat(p.get("router")).isEqualTo(new Placement.Reached("router", TargetSpec.parse("ssh://root@192.168.1.1"), "inv.yaml:2:11"));
        assertThat(p.get("pi1")).isEqualTo(new Placement.Reached("pi1", TargetSpec.parse("ssh://pi@10.0.0.9:2222"), "--target"));
        assertThat(p.get("cam")).isEqualTo(new Placement.Skipped("cam", "no target in inv.yaml"));
        assertThat(p.keySet()).containsExactly("isp", "router", "desktop", "laptop", "pi1", "pi2", "cam");
    }

    @Test
    void aLabPutsEveryHostInItsNamespace() throws Exception {
        Map<String, Placement> p = Placements.resolve(hosts(), home(), inventory(), List.of(), Optional.of("fl1"));
        assertThat(p.values()).allMatch(x -> x instanceof Placement.Reached);
        assertThat(((Placement.Reached) p.get("router")).target()).isEqualTo(TargetSpec.netns("al-fl1-router"));
    }

    @Test
    void withoutAnyTargetEveryHostIsSkippedSayingWhatToGive() throws Exception {
        Map<String, Placement> p = Placements.resolve(hosts(), home(), Inventory.none(), List.of(), Optional.empty());
        assertThat(p.get("router")).isInstanceOfSatisfying(Placement.Skipped.class, s -> assertThat(s.why()).contains("--inventory FILE", "--target router=URI"));
    }

    @Test
    void aTargetForAHostNetworkYamlLacksIsRefused() {
        assertThatThrownBy(() -> Placements.resolve(hosts(), home(), Inventory.none(), List.of(Placements.Override.parse("routr=local")), Optional.empty()))
                .hasMessageContaining("--target routr=...: 'routr' is not a host of network.yaml (did you mean 'router'?)");
        assertThatThrownBy(() -> Placements.Override.parse("router")).hasMessageContaining("expected HOST=URI");
        assertThatThrownBy(() -> Placements.Override.parse("router=gopher://x")).hasMessageContaining("unknown scheme 'gopher'");
    }
}
