package dev.anyloop.report.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.report.Pages;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The report in real headless Chromium (tag "browser": mvn -Pall verify runs it, plain mvn test does not): no
 * console errors, every host and service of home.yaml visible, a click on a host opens its plan, the CSP holds,
 * campus.yaml's page under 2 MB, a 1,000-host page renders and searches. Load times are measured by bench/report,
 * not here (docs/benchmarks.md).
 */
@Tag("browser")
class ReportBrowserTest {
    static final Intent HOME = Pages.example("home");
    static Chromium chromium;

    @BeforeAll
    static void start() {
        assertThat(Chromium.installed()).as(Chromium.BINARY + " (Debian's chromium: .ci/packages installs it)").isTrue();
        chromium = Chromium.start(1400, 1000);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
    }

    @BeforeEach
    void fresh() { chromium.clearEvents(); }

    @Test
    void homeShowsEveryHostAndServiceWithoutConsoleErrorsAndAClickOpensThePlan() {
        chromium.open(Chromium.page("home.html", Pages.of(HOME)));
        for (String host : Compiler.compile(HOME).hosts().keySet()) {
            assertThat(visible("svg g.host[data-host=\"" + host + "\"]")).as("graph node of " + host).isTrue();
            assertThat(chromium.eval("[...document.querySelectorAll('#hosts button.host-link')].some(b => b.textContent === '"
                    + host + "' && b.checkVisibility())").asBoolean()).as("host list entry of " + host).isTrue();
        }
        for (String s : HOME.services().keySet()) {
            assertThat(chromium.eval("[...document.querySelectorAll('details.service .svc-name')].some(e => e.textContent === '"
                    + s + "' && e.checkVisibility())").asBoolean()).as("service " + s).isTrue();
        }
        assertThat(chromium.eval("document.getElementById('plan').hidden").asBoolean()).isTrue();

        chromium.clickOn("svg g.host[data-host=\"pi1\"] > rect");
        assertThat(chromium.eval("document.getElementById('plan').hidden").asBoolean()).isFalse();
        assertThat(chromium.eval("document.querySelector('#plan h2').textContent").asText()).isEqualTo("pi1");
        String plan = chromium.eval("document.getElementById('plan').innerText").asText();
        assertThat(plan).contains("routes").contains("10.53.0.53/32").contains("iptables-save").contains("AL-IN-dns");
        assertThat(chromium.eval("document.querySelector('svg g.host[data-host=\"pi1\"]').classList.contains('selected')").asBoolean()).isTrue();

        // the host list opens plans too, and Escape closes them
        chromium.clickOn("#hosts button.host-link[data-h]");
        assertThat(chromium.eval("document.querySelector('#plan h2').textContent").asText()).isNotEqualTo("pi1");
        chromium.call("Input.dispatchKeyEvent", java.util.Map.of("type", "keyDown", "key", "Escape", "code", "Escape"));
        assertThat(chromium.eval("document.getElementById('plan').hidden").asBoolean()).isTrue();
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void theSearchBoxFindsAHostAndEnterOpensIt() {
        chromium.open(Chromium.page("home.html", Pages.of(HOME)));
        chromium.clickOn("#search");
        chromium.type("10.53.0.53");
        assertThat(chromium.eval("document.getElementById('search-count').textContent").asText()).isEqualTo("2 hosts, 1 service match");
        assertThat(chromium.eval("document.querySelectorAll('svg g.host.match').length").asInt()).isEqualTo(2);
        assertThat(chromium.eval("[...document.querySelectorAll('details.service')].filter(d => d.checkVisibility()).map(d => d.querySelector('.svc-name').textContent)").toString()).isEqualTo("[\"dns\"]");
        chromium.pressEnter();
        assertThat(chromium.eval("document.querySelector('#plan h2').textContent").asText()).isEqualTo("pi1");
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void theContentSecurityPolicyBlocksAScriptThatIsNotTheReportsOwn() {
        String page = Pages.of(HOME).replace("<main>", "<main><script>window.injected = 1;</script>");
        chromium.open(Chromium.page("injected.html", page));
        assertThat(chromium.eval("typeof window.injected").asText()).isEqualTo("undefined");
        assertThat(chromium.errors()).anyMatch(e -> e.contains("Content Security Policy"));
        // the report's own script still runs
        chromium.clearEvents();
        chromium.clickOn("svg g.host[data-host=\"router\"] > rect");
        assertThat(chromium.eval("document.querySelector('#plan h2').textContent").asText()).isEqualTo("router");
    }

    @Test
    void campusIsUnderTwoMegabytesAndLoadsCleanly() throws Exception {
        Path p = Chromium.page("campus.html", Pages.of(Pages.example("campus")));
        assertThat(Files.size(p)).isLessThan(2L * 1024 * 1024);
        chromium.open(p);
        assertThat(chromium.eval("document.querySelectorAll('svg g.host').length").asInt()).isEqualTo(Compiler.compile(Pages.example("campus")).hosts().size());
        assertThat(chromium.errors()).isEmpty();
    }

    @Test
    void aThousandHostPageRendersFoldsItsLeavesAndFindsAnyHost() {
        Network n = ScaleNetwork.network();
        String html = Pages.of(n);
        chromium.open(Chromium.page("scale1000.html", html));
        JsonNode counts = chromium.eval("[JSON.parse(document.getElementById('anyloop-data').textContent).hosts.length,"
                + " document.querySelectorAll('#hosts button.host-link').length, document.querySelectorAll('svg g.fold').length]");
        assertThat(counts.get(0).asInt()).isEqualTo(1000);
        assertThat(counts.get(1).asInt()).isGreaterThanOrEqualTo(1000);
        assertThat(counts.get(2).asInt()).isEqualTo(ScaleNetwork.ROUTERS);
        chromium.clickOn("#search");
        chromium.type("h7-42");
        chromium.pressEnter();
        assertThat(chromium.eval("document.querySelector('#plan h2').textContent").asText()).isEqualTo("h7-42");
        assertThat(chromium.errors()).isEmpty();
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isPositive();
    }

    private static boolean visible(String selector) {
        return chromium.eval("(() => { const e = document.querySelector(" + quote(selector) + "); if (!e) return false;"
                + " const b = e.getBoundingClientRect(); return e.checkVisibility() && b.width > 0 && b.height > 0; })()").asBoolean();
    }

    private static String quote(String s) { return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"; }
}
