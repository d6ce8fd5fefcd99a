package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.bgp.RandomBgp;
import dev.anyloop.intent.Intent;
import dev.anyloop.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real BIRD accepts every bird.conf anyloop renders: {@code bird -p -c FILE} (parse only: no daemon, no
 * network) on the example, the variants and the configs of 60 random networks. Tagged root with the other tests
 * that need the system's tools (bird2, from .ci/packages).
 */
@Tag("root")
class BirdParseTest {
    private static final CommandRunner RUN = new CommandRunner();

    private static List<Intent> intents() throws Exception {
        List<Intent> out = new ArrayList<>(List.of(BirdRendererTest.anycast(), BirdRendererTest.variants()));
        for (long seed = 1; seed <= 60; seed++) out.add(RandomBgp.generate(seed).intent());
        String holdZero = RandomBgp.generate(7).bgp("  hold-time: 0\n").yaml();
        out.add(dev.anyloop.intent.IntentLoader.parse("hold0.yaml", holdZero.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void birdParsesEveryRenderedConfig(@TempDir Path dir) throws Exception {
        int files = 0;
        for (Intent i : intents()) {
            for (String h : i.bgp().speakers().keySet()) {
                Path f = dir.resolve("bird-" + files++ + ".conf");
                String conf = BirdRenderer.render(i, h);
                Files.writeString(f, conf);
                CommandRunner.Result r = RUN.run("bird", "-p", "-c", f.toString());
                assertThat(r.exit()).as("bird -p on %s of %s:\n%s\n%s", h, i.file(), r.err(), conf).isZero();
            }
        }
        assertThat(files).isGreaterThan(500);
    }

    @Test
    void birdRefusesABrokenConfig(@TempDir Path dir) throws IOException {
        // the check above can fail: a config with a typo is refused
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "router id 10.0.0.1;\nprotocol bgp x { local as 65000; neigbor 10.0.0.2 as 65001; }\n");
        assertThat(RUN.run("bird", "-p", "-c", f.toString()).exit()).isNotZero();
    }
}
