package dev.anyloop.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anyloop.bgp.BgpNet;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bird.conf per BGP host, pinned by goldens; what each must and must not let through. */
class BirdRendererTest {
    static Intent anycast() throws Exception { return IntentLoader.load(Path.of("examples/anycast.yaml")); }

    /** One network with every variant the renderer has: prepend, equal, iBGP, a router serving, BFD off, kept static routes. */
    static Intent variants() {
        String yaml = new BgpNet().router("r1", 65001L).router("r2", 65001L).router("r3", 65003L).link("r1", "r2").link("r2", "r3")
                .lan(List.of("r1"), "s1", "s2").lan(List.of("r3"), "s3").service("web", 79, "prepend", "s1", "s3", "s2")
                .service("ntp", 122, "equal", "s2", "s3").service("dns", 52, "med", "r2", "s1")
                .speaker("s3", "bfd: false").bgp("  hold-time: 30\n").yaml()
                .replace("web: { preference: prepend }", "web: { preference: prepend, static-routes: true }");
        try {
            return IntentLoader.parse("variants.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (dev.anyloop.intent.ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Test
    void anycastMatchesItsGoldens() throws Exception {
        Intent i = anycast();
        for (String h : i.bgp().speakers().keySet()) Golden.assertMatches("anycast", h, "bird.conf", BirdRenderer.render(i, h));
    }

    @Test
    void variantsMatchTheirGoldens() {
        Intent i = variants();
        for (String h : i.bgp().speakers().keySet()) Golden.assertMatches("bgp-variants", h, "bird.conf", BirdRenderer.render(i, h));
    }

    @Test
    void aServerAnnouncesOnlyItsOwnPrefixesAndImportsNothing() throws Exception {
        String conf = BirdRenderer.render(anycast(), "dns-a2");
        assertThat(conf).contains("if source != RTS_STATIC then return false;", "if net ~ [ 10.53.0.53/32 ] then {", "bgp_med = 1;",
                "import none;", "export filter { if announce_v4() then accept; reject; };");
        assertThat(conf).doesNotContain("protocol kernel", "export all", "import all", "import where");
    }

    @Test
    void aRouterImportsFromAServerOnlyThatServersPrefixesAndSendsItNothing() {
        String conf = BirdRenderer.render(variants(), "r1");
        // s2 serves web and ntp: both its prefixes, nothing else
        assertThat(conf).contains("import where net ~ [ 10.53.0.80/32, 10.53.0.123/32 ];   # its own services only");
        assertThat(conf).contains("import where net ~ [ 10.53.0.80/32, 10.53.0.53/32 ];   # its own services only"); // s1: web, dns
        assertThat(conf).doesNotContain("import all", "export all");
        assertThat(conf).contains("define SERVICES_V4 = [ 10.53.0.80/32, 10.53.0.123/32, 10.53.0.53/32 ];");
    }

    @Test
    void bfdRunsOnlyWhereBothEndsWantIt() {
        assertThat(BirdRenderer.render(variants(), "s3")).doesNotContain("bfd");
        String r3 = BirdRenderer.render(variants(), "r3");
        assertThat(r3.substring(r3.indexOf("protocol bgp 's3.v4'"))).doesNotContain("bfd on");
        assertThat(r3.substring(r3.indexOf("protocol bgp 'r2.v4'"), r3.indexOf("protocol bgp 's3.v4'"))).contains("bfd on;");
    }

    @Test
    void aHostWithoutBgpHasNoBirdConf() throws Exception {
        assertThat(BirdRenderer.speaks(anycast(), "client-a")).isFalse();
        assertThatThrownBy(() -> BirdRenderer.render(anycast(), "client-a")).hasMessageContaining("does not speak BGP");
    }
}
