package dev.anyloop.report;

import java.util.List;

/** {@code lab probe} results: every query, the kernel's answer beside the simulator's. */
final class ProbeSection {
    private ProbeSection() { }

    static void render(Html h, List<ProbeRow> rows) {
        h.open("section", "id", "probes").nl().el("h2", "Real packets: kernel beside simulator");
        h.open("div", "class", "scroll").open("table", "class", "probes").open("thead").open("tr");
        for (String c : List.of("", "query", "expected", "simulator", "kernel", "")) h.el("th", c);
        h.close("tr").close("thead").open("tbody");
        for (ProbeRow r : rows) {
            String status = !r.agree() ? "MISMATCH" : r.failedExpectation() ? "UNEXPECTED" : r.expectReachable().isEmpty() ? "ok (note)" : "ok";
            h.open("tr", "class", r.agree() && !r.failedExpectation() ? "agree" : "disagree");
            h.el("td", r.technique(), "class", "tech");
            h.el("td", r.flow() + r.scenario().map(s -> " [" + s + "]").orElse(""));
            h.el("td", r.expectReachable().map(e -> e ? "reachable" : "not reachable").orElse("–"));
            h.el("td", r.simText(), "class", r.simReachable() ? "ok" : "no");
            h.el("td", r.kernelText(), "class", r.kernelReachable() ? "ok" : "no");
            h.el("td", status, "class", "status");
            h.close("tr");
        }
        h.close("tbody").close("table").close("div").close("section").nl();
    }
}
