package dev.anyloop.report;

import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.state.Network;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one report page is made of: the network shown (compiled, or a snapshot), the intent if there is one, the
 * plan it compiles to when the network shown is a snapshot (for drift), {@code check}'s findings, {@code lab probe}
 * results, and per host the "what and why" lines of {@code plan}. {@code title} names the input, {@code command}
 * what made the page, {@code notes} say what the reader must know about how it was made.
 */
public record ReportInput(String title, String command, Network network, Optional<Intent> intent, Optional<Network> planned,
                          Optional<List<Finding>> findings, List<ProbeRow> probes, Map<String, List<String>> why,
                          List<String> notes) {
    public ReportInput {
        findings = findings.map(List::copyOf);
        probes = List.copyOf(probes);
        why = Map.copyOf(why);
        notes = List.copyOf(notes);
    }
}
