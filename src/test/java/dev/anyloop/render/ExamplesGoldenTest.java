package dev.anyloop.render;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.net.Family;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Pins every renderer's output for every host of the bundled examples (golden/home, golden/campus). */
class ExamplesGoldenTest {
    @TestFactory
    List<DynamicTest> everyHostEveryFormat() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String example : List.of("home", "campus")) {
            Network n = Compiler.compile(IntentLoader.load(Path.of("examples", example + ".yaml")));
            for (DeviceState d : n.hosts().values()) {
                String h = d.host();
                tests.add(DynamicTest.dynamicTest(example + "/" + h, () -> {
                    Golden.assertMatches(example, h, "ip-batch", IpBatchRenderer.render(d));
                    Golden.assertMatches(example, h, "iptables", IptablesRenderer.render(d.netfilter(Family.V4)));
                    Golden.assertMatches(example, h, "ip6tables", IptablesRenderer.render(d.netfilter(Family.V6)));
                    Golden.assertMatches(example, h, "nft", NftRenderer.render(d));
                    Golden.assertMatches(example, h, "sysctl", SysctlRenderer.render(d));
                    Golden.assertMatches(example, h, "networkd", NetworkdRenderer.render(d));
                }));
            }
        }
        return tests;
    }
}
