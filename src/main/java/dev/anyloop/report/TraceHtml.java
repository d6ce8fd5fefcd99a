package dev.anyloop.report;

import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Step;
import dev.anyloop.sim.Trace;
import java.util.List;

/**
 * A round trip as a readable hop-by-hop path: the request and the reply, each as the hosts it crossed in order
 * with their steps (route decisions, chains and rules, NAT, conntrack), the deciding step highlighted.
 */
final class TraceHtml {
    private TraceHtml() { }

    static void render(Html h, RoundTrip rt) {
        h.open("div", "class", "trace " + (rt.reachable() ? "reached" : "stopped"));
        // the leg whose verdict is the round trip's (the very object) holds the deciding step
        leg(h, "request", rt.forward(), rt.forward().verdict() == rt.verdict());
        rt.reply().ifPresent(r -> leg(h, "reply", r, r.verdict() == rt.verdict()));
        h.open("p", "class", "verdict").el("span", rt.reachable() ? "REACHABLE" : "NOT REACHABLE", "class", "kind").text(" — ")
                .text(rt.verdict().describe()).close("p");
        h.close("div").nl();
    }

    private static void leg(Html h, String name, Trace t, boolean decides) {
        h.open("div", "class", "leg").el("h4", name + ": " + t.verdict().kind().toLowerCase(java.util.Locale.ROOT)).open("ol", "class", "hops");
        List<Step> steps = t.steps();
        // the walk records its last step once, and the verdict carries an equal copy of it: the last equal one ends the leg
        int end = steps.lastIndexOf(t.verdict().step());
        int i = 0;
        while (i < steps.size()) {
            String host = steps.get(i).host();
            h.open("li", "class", "hop").el("span", host, "class", "hop-host").open("ol", "class", "steps");
            for (; i < steps.size() && steps.get(i).host().equals(host); i++) {
                Step s = steps.get(i);
                String cls = "st st-" + s.getClass().getSimpleName() + (i != end ? "" : decides ? " decided" : " end");
                h.el("li", s.text(), "class", cls);
            }
            h.close("ol").close("li");
        }
        h.close("ol").close("div");
    }
}
