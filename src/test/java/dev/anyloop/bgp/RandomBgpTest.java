package dev.anyloop.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.render.BirdRenderer;
import dev.anyloop.state.Network;
import org.junit.jupiter.api.Test;

/** The random BGP networks the kernel suite builds are valid, converge, and render for every speaker. */
class RandomBgpTest {
    @Test
    void twoHundredSeedsLoadConvergeAndRender() {
        int ecmp = 0, unreachable = 0;
        for (long seed = 1; seed <= 200; seed++) {
            BgpNet net = RandomBgp.generate(seed);
            Intent i = net.intent();
            assertThat(i.bgp().speakers()).hasSizeGreaterThanOrEqualTo(5);
            Network n = Bgp.converge(i, Compiler.compile(i)).network();
            for (String h : i.bgp().speakers().keySet()) assertThat(BirdRenderer.render(i, h)).contains("router id");
            for (String r : net.routers()) {
                long routes = n.hosts().get(r).routes().stream().filter(Bgp::installedByBird).count();
                if (n.hosts().get(r).routes().stream().anyMatch(x -> Bgp.installedByBird(x) && x.nexthops().size() > 1)) ecmp++;
                if (routes < i.bgp().services().size()) unreachable++;
            }
        }
        // the generator reaches the interesting cases: ECMP routes, and routers left without a route (AS loops, iBGP)
        assertThat(ecmp).isGreaterThan(20);
        assertThat(unreachable).isGreaterThan(5);
    }

    @Test
    void theSameSeedIsTheSameNetwork() {
        assertThat(RandomBgp.generate(42).yaml()).isEqualTo(RandomBgp.generate(42).yaml());
        assertThat(RandomBgp.generate(42).yaml()).isNotEqualTo(RandomBgp.generate(43).yaml());
    }
}
