package dev.anyloop.report;

import dev.anyloop.check.Finding;
import java.util.List;
import java.util.Optional;

/** Every {@code check} finding, failures and notes first and open, each with its trace hop by hop. */
final class CheckSection {
    /**
     * With more findings than this, passing ones are listed without their traces, which would make the page
     * tens of megabytes at 1,000 hosts; {@code anyloop trace} gives any of them.
     */
    static final int TRACES_ABOVE = 400;
    /** Passing findings listed at most; the rest are counted ({@code anyloop check -v} prints every one). */
    static final int PASSES_LISTED = 2000;

    private CheckSection() { }

    static void render(Html h, Optional<List<Finding>> findings) {
        h.open("section", "id", "checks").nl().el("h2", "Checks");
        if (findings.isEmpty()) {
            h.el("p", "No checks: they come from network.yaml (its expect: entries and what its services imply). "
                    + "Give the file too: anyloop report network.yaml --snapshot DIR.", "class", "empty");
            h.close("section").nl();
            return;
        }
        List<Finding> all = findings.get();
        if (all.isEmpty()) h.el("p", "network.yaml implies no checks (no services, no expect: entries).", "class", "empty");
        boolean passTraces = all.size() <= TRACES_ABOVE;
        if (!passTraces) {
            h.el("p", all.size() + " findings: the traces of passing ones are left out to keep the page light; "
                    + "anyloop trace shows any of them.", "class", "hint");
        }
        for (Finding.Kind kind : List.of(Finding.Kind.FAIL, Finding.Kind.NOTE, Finding.Kind.PASS)) {
            List<Finding> of = all.stream().filter(f -> f.kind() == kind).toList();
            if (of.isEmpty()) continue;
            String cls = kind.name().toLowerCase(java.util.Locale.ROOT);
            if (kind == Finding.Kind.PASS) h.open("details", "class", "findings " + cls);
            else h.open("details", "class", "findings " + cls, "open", "");
            h.el("summary", of.size() + " " + (kind == Finding.Kind.PASS ? "passed" : kind == Finding.Kind.FAIL ? "failed" : "notes"));
            int listed = 0;
            for (Finding f : of) {
                if (kind == Finding.Kind.PASS && ++listed > PASSES_LISTED) {
                    h.el("p", "and " + (of.size() - PASSES_LISTED) + " more passing checks: anyloop check -v lists every one", "class", "hint");
                    break;
                }
                boolean trace = f.proof().isPresent() && (kind != Finding.Kind.PASS || passTraces);
                h.open(trace ? "details" : "div", "class", "finding " + cls);
                h.open(trace ? "summary" : "p").el("span", kind.name(), "class", "kind " + cls).text(" ")
                        .el("span", f.technique(), "class", "tech").text(" " + f.message()).close(trace ? "summary" : "p");
                if (trace) TraceHtml.render(h, f.proof().get());
                h.close(trace ? "details" : "div").nl();
            }
            h.close("details").nl();
        }
        h.close("section").nl();
    }
}
