package dev.anyloop.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The health table of {@code watch --once} and {@code lab status}: one line per instance, aligned columns. */
public final class HealthTable {
    private HealthTable() { }

    /** Rows for the checked instances (from the supervisor) and the ones not checked (from the plan). */
    public static String render(WatchPlan plan, List<Supervisor.View> views) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "ADDRESS", "HOST", "CHECK", "HEALTH", "ROUTE", "LAST CHECK"});
        for (WatchPlan.Item item : plan.items()) {
            Instance i = item.instance();
            String check = item.check().map(c -> c.kind().word()).orElse("-");
            Supervisor.View v = views.stream().filter(x -> x.instance().equals(i)).findFirst().orElse(null);
            if (v == null) {
                rows.add(new String[] {i.service(), i.address().toString(), i.host(), check, "not checked", "-", "-"});
                continue;
            }
            String health = v.fault().isPresent() ? "unknown" : v.up() ? "up" : "down";
            String route = v.drained() ? "drained" : v.installed() ? (v.suppressed() ? "in (damped)" : "in") : v.suppressed() ? "out (damped)" : "out";
            String last = v.last().map(o -> o.kind().name().toLowerCase(Locale.ROOT) + ": " + o.detail()
                    + (o.kind() == Outcome.Kind.LOCAL ? "" : String.format(Locale.ROOT, " (%.1f ms)", o.latencyNanos() / 1e6))).orElse("-");
            if (v.fault().isPresent() && v.last().map(o -> o.kind() != Outcome.Kind.LOCAL).orElse(true)) last = "cannot check: " + v.fault().get();
            rows.add(new String[] {i.service(), i.address().toString(), i.host(), check, health, route, last});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                line.append(r[c]);
                if (c < r.length - 1) line.append(" ".repeat(width[c] - r[c].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
