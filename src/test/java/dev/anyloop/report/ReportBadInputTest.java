package dev.anyloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.check.Checker;
import dev.anyloop.compile.Compiler;
import dev.anyloop.graph.GraphFormat;
import dev.anyloop.graph.Layout;
import dev.anyloop.graph.TopologyBuilder;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.Network;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad inputs: hosts without links, no services, names with HTML-special characters: a clear page, no broken markup. */
class ReportBadInputTest {
    static final String EVIL = "<script>alert(1)</script>";
    static final String ROUTE = "{\"dst\":\"10.0.0.0/24\",\"dev\":\"eth0\",\"protocol\":\"kernel\",\"scope\":\"link\"}";

    @Test
    void aSnapshotWithHostsThatHaveNoLinks(@TempDir Path dir) throws Exception {
        SnapshotDir s = new SnapshotDir(dir)
                .host("a", List.of("eth0 10.0.0.1/24"), List.of(ROUTE, "{\"dst\":\"10.9.9.9\",\"gateway\":\"10.0.0.2\",\"dev\":\"eth0\"}"))
                .host("b", List.of("eth0 10.0.0.2/24", "lo 10.9.9.9/32"), List.of(ROUTE))
                .host("lonely", List.of(), List.of())
                .file("bare", "ip-addr.json", "[]").file("bare", "ip-route.json", "[]");
        Network n = SnapshotReader.read(s.path());
        Document doc = Pages.parse(Pages.of(n));
        for (String h : List.of("a", "b", "lonely", "bare")) assertThat(doc.select("svg g.host[data-host=" + h + "]")).as(h).hasSize(1);
        assertThat(doc.select("details.group").last().text()).contains("on no segment").contains("lonely").contains("bare");
        // the one service is b's loopback address; the hosts without links can send nothing, said as "-"
        assertThat(doc.select("details.service .svc-name").eachText()).containsExactly("10.9.9.9");
        assertThat(ReportPageTest.cell(doc.selectFirst("details.service"), "lonely", 0).className()).isEqualTo("na");
        assertThat(ReportPageTest.cell(doc.selectFirst("details.service"), "a", 0).className()).isEqualTo("ok");
        assertThat(doc.select("#checks .empty").text()).contains("No checks: they come from network.yaml");
        for (GraphFormat f : GraphFormat.values()) assertThat(f.render(Layout.of(TopologyBuilder.of(n, Optional.empty())))).contains("lonely");
    }

    @Test
    void aNetworkWithNoServices() {
        Intent intent = Pages.yaml("""
                segments:
                  lan: { prefixes: [192.168.1.0/24] }
                hosts:
                  a: { interfaces: { eth0: { segment: lan, addresses: [192.168.1.1/24] } } }
                  b: { interfaces: { eth0: { segment: lan, addresses: [192.168.1.2/24] } } }
                """);
        Document doc = Pages.parse(Pages.of(intent));
        assertThat(doc.select("#services .empty").text()).contains("This network has no services");
        assertThat(doc.select("#checks .empty").text()).contains("implies no checks");
        assertThat(doc.select("svg g.host")).hasSize(2);
        assertThat(doc.select(".summary li").eachText()).contains("0 services");
    }

    @Test
    void scriptInAHostCommentOrServiceCommentRendersAsText() {
        Intent intent = Pages.yaml("""
                segments:
                  lan: { prefixes: [192.168.1.0/24] }
                hosts:
                  a:
                    comment: "<script>alert(1)</script>"
                    interfaces: { eth0: { segment: lan, addresses: [192.168.1.1/24] } }
                  b: { interfaces: { eth0: { segment: lan, addresses: [192.168.1.2/24] } } }
                services:
                  web:
                    comment: '"><img src=x onerror=alert(2)> & </details>'
                    addresses: [10.0.0.80]
                    ports: [tcp/80]
                    hosts: [b]
                """);
        String html = Pages.of(intent);
        assertInert(html);
        Document doc = Pages.parse(html);
        assertThat(doc.select("#hosts .comment").text()).isEqualTo(EVIL);
        assertThat(doc.select("svg g.host[data-host=a] title").text()).contains(EVIL);
        assertThat(doc.select("details.service .comment").text()).isEqualTo("\"><img src=x onerror=alert(2)> & </details>");
        assertThat(doc.getElementById("anyloop-data").data()).contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    }

    @Test
    void scriptInAServiceNameRendersAsText() {
        // network.yaml refuses such a name; the page must not depend on that
        Intent home = Pages.example("home");
        Map<String, ServiceDef> services = new LinkedHashMap<>();
        home.services().forEach((k, s) -> services.put(k, !k.equals("dns") ? s : new ServiceDef(EVIL, s.addresses(), s.ports(), s.ping(),
                s.hosts(), s.allow(), s.bind(), s.docker(), s.pos())));
        Intent evil = new Intent(home.file(), home.segments(), home.hosts(), services, home.sources(), home.expectations());
        Network n = Compiler.compile(home);
        String html = ReportPage.render(new ReportInput(EVIL, EVIL, n, Optional.of(evil), Optional.empty(),
                Optional.of(Checker.run(home, n)), List.of(), Map.of("pi1", List.of(EVIL)), List.of(EVIL)));
        assertInert(html);
        Document doc = Pages.parse(html);
        assertThat(doc.select("details.service .svc-name").eachText()).contains(EVIL);
        assertThat(doc.select("svg g.host[data-host=pi1] .badge text").eachText()).contains(EVIL + " 10.53.0.53 #1/2");
        assertThat(doc.title()).isEqualTo("anyloop report: " + EVIL);
    }

    @Test
    void htmlSpecialCharactersInASnapshotsNamesRuleCommentsAndProcesses(@TempDir Path dir) throws Exception {
        String host = "<svg onload=alert(1)>";
        SnapshotDir s = new SnapshotDir(dir)
                .host(host, List.of("eth0 10.0.0.1/24", "lo 10.9.9.9/32"), List.of(ROUTE))
                .host("b&amp;", List.of("eth0 10.0.0.2/24"), List.of(ROUTE))
                .file(host, "iptables.rules", "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                        + "-A INPUT -m comment --comment \"</script><script>alert(2)</script>\" -j ACCEPT\nCOMMIT\n")
                .file(host, "listen.txt", "tcp LISTEN 0 4096 10.9.9.9:80 0.0.0.0:* users:((\"<img src=x onerror=alert(3)>\",pid=1,fd=3))\n");
        Network n = SnapshotReader.read(s.path());
        String html = Pages.of(n);
        assertInert(html);
        Document doc = Pages.parse(html);
        assertThat(doc.select("svg g.host").eachAttr("data-host")).containsExactlyInAnyOrder(host, "b&amp;");
        assertThat(doc.select("#hosts button.host-link").eachText()).contains(host, "b&amp;");
        String data = doc.getElementById("anyloop-data").data();
        assertThat(data).contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(2)").doesNotContain("</");

        // the SVG of anyloop graph is well-formed XML with the names as text
        String svg = GraphFormat.SVG.render(Layout.of(TopologyBuilder.of(n, Optional.empty())));
        org.w3c.dom.Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(xml.getElementsByTagName("script").getLength()).isZero();
        assertThat(svg).contains("&lt;svg onload=alert(1)&gt;").contains("b&amp;amp;");
        assertThat(GraphFormat.DOT.render(Layout.of(TopologyBuilder.of(n, Optional.empty())))).contains("\"<svg onload=alert(1)>\"");
        assertThat(GraphFormat.MERMAID.render(Layout.of(TopologyBuilder.of(n, Optional.empty()))))
                .contains("#lt;svg onload=alert(1)#gt;").doesNotContain("<svg");
    }

    /** Only anyloop's own two script elements, no element or handler from the input, and no unescaped tag from it. */
    static void assertInert(String html) {
        Document doc = Pages.parse(html);
        assertThat(doc.select("script")).hasSize(2);
        assertThat(doc.select("img, iframe, object, embed, svg script, [onload], [onerror], [onclick]")).isEmpty();
        assertThat(doc.select("svg")).hasSize(1);
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("<svg onload");
    }
}
