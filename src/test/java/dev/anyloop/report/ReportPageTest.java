package dev.anyloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.check.Checker;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The page of home.yaml and campus.yaml, parsed as a browser parses it. */
class ReportPageTest {
    static final Intent HOME = Pages.example("home");
    static final String PAGE = Pages.of(HOME);
    static final Document DOC = Pages.parse(PAGE);

    @Test
    void everyHostIsInTheGraphAndTheHostListAndHasAPlan() throws Exception {
        JsonNode data = new ObjectMapper().readTree(DOC.getElementById("anyloop-data").data());
        for (String host : Compiler.compile(HOME).hosts().keySet()) {
            assertThat(DOC.select("svg g.host[data-host=" + host + "]")).as(host).hasSize(1);
            assertThat(DOC.select("#hosts button.host-link").eachText()).contains(host);
        }
        assertThat(data.get("hosts")).hasSize(Compiler.compile(HOME).hosts().size());
        // the SVG's h-N is the N-th plan
        Element pi1 = DOC.selectFirst("svg g.host[data-host=pi1]");
        JsonNode plan = data.get("hosts").get(Integer.parseInt(pi1.id().substring(2)));
        assertThat(plan.get("name").asText()).isEqualTo("pi1");
        assertThat(plan.toString()).contains("10.53.0.53/32").contains("why line of pi1").contains("udp 10.53.0.53:53");
    }

    @Test
    void everyServiceHasItsMatrixAndMultiHostOnesTheirFailoverTable() {
        for (String s : HOME.services().keySet()) assertThat(DOC.select("details.service .svc-name").eachText()).contains(s);
        Element web = service("web");
        assertThat(cell(web, "laptop", 0).className()).isEqualTo("ok");
        assertThat(cell(web, "cam", 0).className()).isEqualTo("no");
        assertThat(cell(web, "cam", 0).attr("title")).startsWith("DROPPED at router");
        Element dns = service("dns");
        assertThat(dns.select("ol.order li button").eachText()).containsExactly("pi1", "pi2");
        Element pi1Down = dns.select("table.failover tbody tr").first();
        assertThat(pi1Down.child(0).text()).isEqualTo("pi1");
        assertThat(pi1Down.child(1).wholeText()).contains("laptop: pi2");
        assertThat(service("web").select("table.failover")).isEmpty();
    }

    @Test
    void everyFindingIsListedFailuresFirstEachTraceWithOneDecidingStep() {
        int findings = Checker.run(HOME, Compiler.compile(HOME)).size();
        assertThat(DOC.select(".finding")).hasSize(findings);
        for (Element trace : DOC.select(".trace")) assertThat(trace.select(".st.decided")).hasSize(1);
        Element t5 = DOC.select(".finding.note").stream().filter(e -> e.text().contains("T5")).findFirst().orElseThrow();
        // T5: the DNAT in nat PREROUTING is a step of the trace that gets through
        assertThat(t5.select(".st-NatRewrite").text()).contains("DNAT");
        assertThat(t5.select(".hop-host").eachText()).contains("router", "desktop", "desktop-ghost");
    }

    @Test
    void aFailedCheckIsListedFirstOpenAndMarkedInTheMatrix() {
        Intent i = Pages.yaml("""
                segments:
                  lan: { prefixes: [192.168.1.0/24] }
                hosts:
                  a:
                    interfaces: { eth0: { segment: lan, addresses: [192.168.1.1/24] } }
                    routes: [{ to: 10.0.0.80/32, via: 192.168.1.2 }]
                  b: { interfaces: { eth0: { segment: lan, addresses: [192.168.1.2/24] } } }
                services:
                  web: { addresses: [10.0.0.80], ports: [tcp/80], hosts: [b] }
                expect:
                  - { from: a, to: web, port: tcp/80, reachable: false }
                """);
        Document doc = Pages.parse(Pages.of(i));
        Element failed = doc.selectFirst("#checks details.findings");
        assertThat(failed.hasClass("fail")).isTrue();
        assertThat(failed.hasAttr("open")).isTrue();
        assertThat(failed.select(".finding.fail summary").text()).contains("a -> tcp 10.0.0.80:80 expected not reachable");
        assertThat(doc.select(".summary .fail").text()).isEqualTo("1 failed");
        Element web = doc.selectFirst("details.service");
        Element cell = web.select("table.matrix tbody tr").first().child(1);
        assertThat(cell.classNames()).contains("ok", "failed");
        assertThat(cell.attr("title")).startsWith("a check FAILED here");
        // ping is not what the expectation asked about: not marked
        assertThat(web.select("table.matrix tbody tr").first().child(2).classNames()).doesNotContain("failed");
    }

    @Test
    void thePageFetchesNothingAndOnlyItsOwnHashedStyleAndScriptMayRun() {
        assertThat(DOC.select("[src], link, iframe, object, embed, img")).isEmpty();
        assertThat(DOC.select("[href]").eachAttr("href")).allMatch(h -> h.startsWith("#"));
        assertThat(DOC.getAllElements().stream().flatMap(e -> e.attributes().asList().stream())
                .filter(a -> a.getKey().startsWith("on") || a.getKey().equals("style"))).isEmpty();
        String csp = DOC.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertThat(csp).startsWith("default-src 'none';");
        List<Element> scripts = DOC.select("script:not([type=application/json])");
        assertThat(scripts).hasSize(1);
        assertThat(csp).contains("script-src '" + ReportPage.sha256(scripts.get(0).data()) + "'");
        assertThat(DOC.select("style")).hasSize(1);
        assertThat(csp).contains("style-src '" + ReportPage.sha256(DOC.selectFirst("style").data()) + "'");
    }

    @Test
    void campusStaysUnderTwoMegabytes() {
        byte[] page = Pages.of(Pages.example("campus")).getBytes(StandardCharsets.UTF_8);
        assertThat(page.length).isLessThan(2 * 1024 * 1024);
    }

    @Test
    void thePageIsTheSameEveryTime() {
        assertThat(Pages.of(HOME)).isEqualTo(PAGE);
    }

    static Element service(String name) {
        return DOC.select("details.service").stream().filter(d -> d.selectFirst(".svc-name").text().equals(name)).findFirst().orElseThrow();
    }

    static Element cell(Element service, String client, int column) {
        Element row = service.select("table.matrix tbody tr").stream().filter(r -> r.child(0).text().equals(client)).findFirst().orElseThrow();
        return row.child(column + 1);
    }
}
