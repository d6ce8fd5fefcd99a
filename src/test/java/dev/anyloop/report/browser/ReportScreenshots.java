package dev.anyloop.report.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README's screenshots of home.yaml's report (docs/report-*.png), taken in headless Chromium over the DevTools
 * protocol: the page as it opens, a host's plan after a click on it, a service's matrix and failover table, and a
 * check's trace. Run by docs/screenshots.
 */
public final class ReportScreenshots {
    private ReportScreenshots() { }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs");
        // the page exactly as the README's command writes it
        Path page = Path.of("target", "browser", "report.html");
        Files.createDirectories(page.getParent());
        java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
        int code = dev.anyloop.cli.Main.commandLine(new java.io.PrintWriter(System.out, true), err)
                .execute("report", "examples/home.yaml", "--out", page.toString());
        if (code != 0) throw new IllegalStateException("anyloop report exited " + code);
        try (Chromium c = Chromium.start(1280, 900)) {
            c.open(page.toAbsolutePath());
            Files.write(out.resolve("report-home.png"), c.screenshot(false));

            c.clickOn("svg g.host[data-host=\"pi1\"] > rect");
            c.eval("document.getElementById('plan').scrollTop = 0");
            Files.write(out.resolve("report-home-plan.png"), c.screenshot(false));
            c.call("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "Escape", "code", "Escape"));

            c.eval("(() => { const d = [...document.querySelectorAll('details.service')].find(e => e.querySelector('.svc-name').textContent === 'dns');"
                    + " window.scrollTo(0, d.getBoundingClientRect().top + window.scrollY - 120); })()");
            Files.write(out.resolve("report-home-services.png"), c.screenshot(false));

            // a refused client: the request stops at the router's T3 chain, the deciding step highlighted
            c.eval("(() => { const g = document.querySelector('details.findings.pass'); g.open = true;"
                    + " const f = [...g.querySelectorAll('details.finding')].find(e => e.querySelector('summary').textContent"
                    + ".includes('cam -> tcp 10.10.10.10:80')); f.open = true;"
                    + " window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 150); })()");
            Files.write(out.resolve("report-home-trace.png"), c.screenshot(false));
            if (!c.errors().isEmpty()) throw new IllegalStateException("console errors: " + c.errors());
        }
    }
}
