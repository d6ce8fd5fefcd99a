package dev.anyloop.bgp;

import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Step;
import dev.anyloop.sim.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * A round trip's text as {@link RoundTrip#render()} writes it, with the BGP story under every route lookup that
 * chose a route BIRD installed: which session it was learned over, its attributes, what it beat and why.
 */
public final class BgpTrace {
    private BgpTrace() { }

    public static String render(RoundTrip rt, Rib rib) {
        StringBuilder sb = new StringBuilder();
        sb.append(rt.flow()).append(": ").append(rt.reachable() ? "REACHABLE" : "NOT REACHABLE").append('\n');
        sb.append("-- request --\n");
        trace(sb, rt.forward(), rib);
        rt.reply().ifPresent(r -> {
            sb.append("-- reply --\n");
            trace(sb, r, rib);
        });
        return sb.toString();
    }

    private static void trace(StringBuilder sb, Trace t, Rib rib) {
        String host = "";
        for (Step s : t.steps()) {
            if (!s.host().equals(host)) {
                host = s.host();
                sb.append(host).append(":\n");
            }
            sb.append("  ").append(s.text()).append('\n');
            for (String n : notes(s, rib)) sb.append("    ").append(n).append('\n');
        }
        sb.append("verdict: ").append(t.verdict().describe()).append('\n');
    }

    /** For a route lookup that chose a BGP route: one line per path BGP holds for it, the installed ones first. */
    public static List<String> notes(Step s, Rib rib) {
        List<String> out = new ArrayList<>();
        if (!(s instanceof Step.RouteLookup l) || l.route().isEmpty() || !Bgp.installedByBird(l.route().get())) return out;
        rib.selection(l.host(), l.route().get().dst()).ifPresent(sel -> {
            Choice c = sel.choice();
            for (BgpPath p : c.candidates()) {
                String role = p == c.best() ? "bgp best" : c.installed().contains(p) ? "bgp ecmp" : "bgp also";
                out.add(role + ": " + p.describe());
            }
            c.overSecond().ifPresent(o -> out.add("bgp: the best beat the next by " + o.criterion().text()
                    + (c.installed().size() > 1 ? "; " + c.installed().size() + " equal paths merged (merge paths)" : "")));
        });
        return out;
    }
}
