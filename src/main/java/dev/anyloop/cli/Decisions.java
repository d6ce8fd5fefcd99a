package dev.anyloop.cli;

import dev.anyloop.compile.Provenance;
import dev.anyloop.compile.RuleOrigin;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.sim.Outcome;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Step;
import dev.anyloop.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which intent entries decided a traced round trip, read from the compiler's provenance of the rules it crossed:
 * "allow: admitted by service web's entry segments lan (network.yaml:51:18) at router filter AL-FWD-web rule 1",
 * "allow: refused by service web (not in allow) at ...", and the same for segment fences (may-reach).
 */
final class Decisions {
    private Decisions() { }

    static List<String> lines(RoundTrip rt, Provenance p, Intent intent) {
        List<String> out = new ArrayList<>();
        add(out, rt.forward(), rt, p, intent, "");
        rt.reply().ifPresent(r -> add(out, r, rt, p, intent, " (reply)"));
        return out;
    }

    /** "; no entry admits source 192.168.20.10: segments lan", for a service's refusal. */
    private static String refusal(RuleOrigin r, Intent intent, Optional<Ip> src) {
        ServiceDef s = r.subject() == RuleOrigin.Subject.SERVICE ? intent.services().get(r.name()) : null;
        if (s == null || s.allow().anyone() || src.isEmpty()) return "";
        return "; no entry admits source " + src.get() + ": " + String.join(", ", s.allow().entries().stream().map(AllowEntry::label).toList());
    }

    private static void add(List<String> out, Trace t, RoundTrip rt, Provenance p, Intent intent, String leg) {
        for (Step s : t.steps()) {
            if (!(s instanceof Step.RuleMatched)) continue;
            Step.RuleMatched m = (Step.RuleMatched) s;
            Optional<RuleOrigin> o = p.rule(m.host(), rt.flow().dst().family(), m.table(), m.chain(), m.index());
            if (o.isEmpty()) continue;
            String where = " at " + m.host() + " " + m.table() + " " + m.chain() + " rule " + m.index() + leg;
            RuleOrigin r = o.get();
            String what = r.subject() == RuleOrigin.Subject.SEGMENT ? "may-reach: segment " + r.name() : "allow: service " + r.name();
            switch (r.role()) {
                case ADMIT:
                    out.add(what + ": admitted (" + r.detail() + r.entry().map(e -> e.pos().line() > 0 ? ", " + e.pos() : "").orElse("")
                            + ")" + where);
                    break;
                case REFUSE:
                    out.add(what + ": refused (" + r.detail() + refusal(r, intent, Outcome.of(rt).source()) + ")" + where);
                    break;
                default:
                    break; // jumps, replies, ports: the trace says them; they admit or refuse nothing of the intent's
            }
        }
    }
}
