package dev.anyloop.watch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * watch's counters, rendered in the Prometheus text exposition format (version 0.0.4): per-instance health, route
 * state, damping penalty, state and route changes, check outcomes and a latency histogram; per service address the
 * preferred host and the checker-fault alarm. Updated by the daemon's one control thread, read by the HTTP server.
 */
public final class Metrics {
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private static final class Latency {
        final long[] counts = new long[BUCKETS.length];
        long count;
        double sum;
        final Map<Outcome.Kind, Long> outcomes = new java.util.EnumMap<>(Outcome.Kind.class);
    }

    private final Map<Instance, Latency> latency = new java.util.HashMap<>();
    private List<Supervisor.View> views = List.of();
    private Map<Instance.Group, Optional<Instance>> preferred = Map.of();
    private Map<Instance.Group, String> alarms = Map.of();
    private long reloads;
    private long reloadsRefused;
    private long startedMillis = System.currentTimeMillis();

    public synchronized void outcome(Instance i, Outcome o) {
        Latency l = latency.computeIfAbsent(i, k -> new Latency());
        l.outcomes.merge(o.kind(), 1L, Long::sum);
        if (o.kind() == Outcome.Kind.LOCAL) return;
        double s = o.latencyNanos() / 1e9;
        for (int b = 0; b < BUCKETS.length; b++) if (s <= BUCKETS[b]) l.counts[b]++;
        l.count++;
        l.sum += s;
    }

    public synchronized void state(List<Supervisor.View> views, Map<Instance.Group, Optional<Instance>> preferred, Map<Instance.Group, String> alarms) {
        this.views = List.copyOf(views);
        this.preferred = Map.copyOf(preferred);
        this.alarms = Map.copyOf(alarms);
    }

    public synchronized void reload(boolean ok) {
        if (ok) reloads++;
        else reloadsRefused++;
    }

    public synchronized String render() {
        StringBuilder sb = new StringBuilder();
        help(sb, "anyloop_watch_up", "gauge", "1 while watch runs; the time it started in anyloop_watch_start_time_seconds");
        sb.append("anyloop_watch_up 1\n");
        help(sb, "anyloop_watch_start_time_seconds", "gauge", "When this watch started (Unix time)");
        sb.append("anyloop_watch_start_time_seconds ").append(startedMillis / 1000).append('\n');
        gauge(sb, "anyloop_watch_instance_healthy", "1 when the instance passes its checks (rise/fall applied)", v -> v.up() ? 1 : 0);
        gauge(sb, "anyloop_watch_instance_routed", "1 when the instance's route is in service", v -> v.installed() ? 1 : 0);
        gauge(sb, "anyloop_watch_instance_drained", "1 when an operator drained the instance", v -> v.drained() ? 1 : 0);
        gauge(sb, "anyloop_watch_instance_suppressed", "1 while route-flap damping holds the instance out", v -> v.suppressed() ? 1 : 0);
        gauge(sb, "anyloop_watch_instance_penalty", "The instance's damping penalty now", Supervisor.View::penalty);
        gauge(sb, "anyloop_watch_instance_probe_fault", "1 when the instance cannot be checked (checker fault, alarm)",
                v -> v.fault().isPresent() ? 1 : 0);
        help(sb, "anyloop_watch_state_changes_total", "counter", "Health changes (up to down and back) of the instance");
        for (Supervisor.View v : views) sb.append("anyloop_watch_state_changes_total").append(labels(v.instance())).append(' ').append(v.healthChanges()).append('\n');
        help(sb, "anyloop_watch_route_changes_total", "counter", "Withdrawals and restorations watch made for the instance");
        for (Supervisor.View v : views) sb.append("anyloop_watch_route_changes_total").append(labels(v.instance())).append(' ').append(v.routeChanges()).append('\n');
        help(sb, "anyloop_watch_checks_total", "counter", "Checks by result: ok, fail, local (could not be made from here)");
        for (Map.Entry<Instance, Latency> e : new TreeMap<>(latency).entrySet()) {
            for (Map.Entry<Outcome.Kind, Long> o : e.getValue().outcomes.entrySet()) {
                sb.append("anyloop_watch_checks_total").append(labels(e.getKey(), "result", o.getKey().name().toLowerCase(java.util.Locale.ROOT)))
                        .append(' ').append(o.getValue()).append('\n');
            }
        }
        help(sb, "anyloop_watch_check_latency_seconds", "histogram", "Time from sending a check to its answer or failure");
        for (Map.Entry<Instance, Latency> e : new TreeMap<>(latency).entrySet()) {
            Latency l = e.getValue();
            for (int b = 0; b < BUCKETS.length; b++) {
                sb.append("anyloop_watch_check_latency_seconds_bucket").append(labels(e.getKey(), "le", Double.toString(BUCKETS[b])))
                        .append(' ').append(l.counts[b]).append('\n');
            }
            sb.append("anyloop_watch_check_latency_seconds_bucket").append(labels(e.getKey(), "le", "+Inf")).append(' ').append(l.count).append('\n');
            sb.append("anyloop_watch_check_latency_seconds_sum").append(labels(e.getKey())).append(' ').append(l.sum).append('\n');
            sb.append("anyloop_watch_check_latency_seconds_count").append(labels(e.getKey())).append(' ').append(l.count).append('\n');
        }
        help(sb, "anyloop_watch_preferred", "gauge", "1 for the host whose route wins for the service address now");
        for (Map.Entry<Instance.Group, Optional<Instance>> e : new TreeMap<>(preferred).entrySet()) {
            e.getValue().ifPresent(i -> sb.append("anyloop_watch_preferred").append(labels(i)).append(" 1\n"));
        }
        help(sb, "anyloop_watch_alarm", "gauge", "1 while every instance of the service address fails at once (checker fault: routes kept)");
        for (Instance.Group g : new TreeMap<>(preferred).keySet()) {
            sb.append("anyloop_watch_alarm{service=\"").append(esc(g.service())).append("\",address=\"").append(g.address())
                    .append("\"} ").append(alarms.containsKey(g) ? 1 : 0).append('\n');
        }
        help(sb, "anyloop_watch_alarms", "gauge", "Raised alarms now: checker faults plus instances that cannot be checked");
        long faults = views.stream().filter(v -> v.fault().isPresent()).count();
        sb.append("anyloop_watch_alarms ").append(alarms.size() + faults).append('\n');
        help(sb, "anyloop_watch_reloads_total", "counter", "SIGHUP reloads of network.yaml by result");
        sb.append("anyloop_watch_reloads_total{result=\"ok\"} ").append(reloads).append('\n');
        sb.append("anyloop_watch_reloads_total{result=\"refused\"} ").append(reloadsRefused).append('\n');
        return sb.toString();
    }

    private void gauge(StringBuilder sb, String name, String help, java.util.function.ToDoubleFunction<Supervisor.View> f) {
        help(sb, name, "gauge", help);
        for (Supervisor.View v : views) sb.append(name).append(labels(v.instance())).append(' ').append(number(f.applyAsDouble(v))).append('\n');
    }

    private static String number(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }

    private static void help(StringBuilder sb, String name, String type, String text) {
        sb.append("# HELP ").append(name).append(' ').append(text).append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String labels(Instance i, String... more) {
        StringBuilder sb = new StringBuilder("{service=\"").append(esc(i.service())).append("\",address=\"").append(i.address())
                .append("\",host=\"").append(esc(i.host())).append('"');
        for (int k = 0; k < more.length; k += 2) sb.append(',').append(more[k]).append("=\"").append(esc(more[k + 1])).append('"');
        return sb.append('}').toString();
    }

    static String esc(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }
}
