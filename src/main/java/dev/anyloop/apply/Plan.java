package dev.anyloop.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code diff} shows and {@code apply} does on one target: the changes to anyloop's part, what the host
 * is expected to have and lacks, what could not be planned, and the drains in force.
 */
public record Plan(String target, List<Change> changes, List<Expectations.Missing> missing, List<String> warnings, List<Drain> drains) {
    public Plan {
        changes = List.copyOf(changes);
        missing = List.copyOf(missing);
        warnings = List.copyOf(warnings);
        drains = List.copyOf(drains);
    }

    public boolean inSync() { return changes.isEmpty(); }

    /** True when something the host must have is missing: apply refuses (exit 2). */
    public boolean refused() { return missing.stream().anyMatch(m -> m.severity() == Expectations.Missing.Severity.REFUSE); }

    /** The changes grouped as diff prints them, then what is expected but missing, warnings and drains. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(target).append(": ").append(changes.isEmpty() ? "in sync, no changes" : changes.size() + (changes.size() == 1 ? " change" : " changes"))
                .append('\n');
        for (Change.Group g : Change.Group.values()) {
            List<Change> in = changes.stream().filter(c -> c.group() == g).toList();
            if (in.isEmpty()) continue;
            sb.append("  ").append(g.name().toLowerCase(java.util.Locale.ROOT)).append(":\n");
            for (Change c : in) sb.append("    ").append(c.describe()).append('\n');
        }
        if (!missing.isEmpty()) {
            sb.append("  expected but missing (").append(refused() ? "apply refuses until the host has them" : "apply goes on").append("):\n");
            for (Expectations.Missing m : missing) sb.append("    ").append(m.line()).append('\n');
        }
        for (String w : warnings) sb.append("  warning: ").append(w).append('\n');
        for (Drain d : drains) sb.append("  drained: ").append(d).append(" (anyloop undrain ").append(d.service()).append(' ').append(d.host()).append(")\n");
        return sb.toString();
    }

    /** {"changed": bool, "changes": [...], ...}: the shape Ansible-like wrappers read. */
    public Map<String, Object> json(boolean changed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("changed", changed);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Change c : changes) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("group", c.group().name().toLowerCase(java.util.Locale.ROOT));
            x.put("kind", c.kind());
            x.put("change", c.describe());
            cs.add(x);
        }
        m.put("changes", cs);
        List<Map<String, Object>> ms = new ArrayList<>();
        for (Expectations.Missing x : missing) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("severity", x.severity().name().toLowerCase(java.util.Locale.ROOT));
            e.put("what", x.what());
            e.put("why", x.why());
            ms.add(e);
        }
        m.put("missing", ms);
        m.put("warnings", warnings);
        m.put("drains", drains.stream().map(Drain::toString).toList());
        return m;
    }
}
