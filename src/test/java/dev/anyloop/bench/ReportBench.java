package dev.anyloop.bench;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.report.ReportInput;
import dev.anyloop.report.ReportPage;
import dev.anyloop.report.ScaleIntent;
import dev.anyloop.report.browser.Chromium;
import dev.anyloop.sim.ScaleNetwork;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's size and load-time targets (issue 13): builds the pages of home.yaml, campus.yaml, a 1,000-host
 * network.yaml (ScaleIntent: services, checks, failover) and the 1,000-host simulator network (ScaleNetwork: 100,000
 * routes, as from a snapshot), then opens each ROUNDS times in headless Chromium (about:blank between two loads),
 * and reports the time from navigation to the load event (Navigation Timing's loadEventEnd: the HTML parsed, the
 * script run, the JSON data parsed) and from a click on a host to its plan laid out. Usage: bench/report [ROUNDS].
 */
public final class ReportBench {
    private ReportBench() { }

    record Page(String name, Path file, long bytes, double buildSeconds) { }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Page> pages = new ArrayList<>();
        pages.add(build("home.yaml", () -> intentPage(IntentLoader.load(Path.of("examples/home.yaml")))));
        pages.add(build("campus.yaml", () -> intentPage(IntentLoader.load(Path.of("examples/campus.yaml")))));
        pages.add(build("1,000-host network.yaml (ScaleIntent)", () -> intentPage(IntentLoader.parse("scale.yaml",
                ScaleIntent.yaml(10, 99).getBytes(StandardCharsets.UTF_8)))));
        pages.add(build("1,000 hosts, 100,000 routes (ScaleNetwork)", () -> {
            Network n = ScaleNetwork.network();
            return ReportPage.render(new ReportInput("ScaleNetwork", "ReportBench", n, Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), Map.of(), List.of()));
        }));
        System.out.printf("%-45s %10s %8s %s%n", "page", "bytes", "build s", "load event ms per round (median) | click to plan ms (median)");
        try (Chromium c = Chromium.start(1400, 1000)) {
            for (Page p : pages) {
                double[] load = new double[rounds];
                double[] paint = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    c.open("about:blank");
                    c.clearEvents();
                    load[i] = c.open(p.file());
                    // a click on the middle host of the host list, to its plan drawn (the script builds it on click)
                    paint[i] = c.eval("(() => { const b = document.querySelectorAll('#hosts [data-h]'); const t = performance.now();"
                            + " b[Math.floor(b.length / 2)].click(); document.getElementById('plan').getBoundingClientRect();"
                            + " return performance.now() - t; })()").asDouble();
                    if (!c.errors().isEmpty()) throw new IllegalStateException(p.name() + ": console errors " + c.errors());
                }
                System.out.printf("%-45s %10d %8.1f %s (%.0f) | %.1f%n", p.name(), p.bytes(), p.buildSeconds(), Arrays.toString(round(load)),
                        median(load), median(paint));
            }
        }
    }

    interface Html { String get() throws Exception; }

    private static Page build(String name, Html html) throws Exception {
        long t0 = System.nanoTime();
        String page = html.get();
        double s = (System.nanoTime() - t0) / 1e9;
        Path dir = Path.of("target", "bench-report");
        Files.createDirectories(dir);
        Path f = dir.resolve(name.replaceAll("[^A-Za-z0-9.]+", "_") + ".html").toAbsolutePath();
        Files.writeString(f, page, StandardCharsets.UTF_8);
        return new Page(name, f, Files.size(f), s);
    }

    private static String intentPage(Intent intent) {
        Network n = Compiler.compile(intent);
        List<Finding> findings = Checker.run(intent, n);
        return ReportPage.render(new ReportInput(intent.file(), "ReportBench", n, Optional.of(intent), Optional.empty(),
                Optional.of(findings), List.of(), Map.of(), List.of()));
    }

    private static long[] round(double[] v) { return Arrays.stream(v).mapToLong(Math::round).toArray(); }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
