package dev.anyloop.watch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One state change watch logs (one structured line each): what happened, to what, and why. Fields keep their
 * order; {@link LogLine} renders them as logfmt or JSON.
 */
public record Event(Level level, String event, Map<String, String> fields) {
    /** Severity: info for normal changes, warn for damping and external changes, error for alarms. */
    public enum Level { INFO, WARN, ERROR }

    public Event {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An event about one instance: service, address, host, then {@code kv} pairs, the last of them usually "reason". */
    public static Event of(Level level, String event, Instance i, String... kv) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("service", i.service());
        f.put("address", i.address().toString());
        f.put("host", i.host());
        put(f, kv);
        return new Event(level, event, f);
    }

    /** An event about a service address as a whole. */
    public static Event of(Level level, String event, Instance.Group g, String... kv) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("service", g.service());
        f.put("address", g.address().toString());
        put(f, kv);
        return new Event(level, event, f);
    }

    /** An event about watch itself (start, reload, stop). */
    public static Event of(Level level, String event, String... kv) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, kv);
        return new Event(level, event, f);
    }

    private static void put(Map<String, String> f, String... kv) {
        if (kv.length % 2 != 0) throw new IllegalArgumentException("key without value in " + String.join(",", kv));
        for (int k = 0; k < kv.length; k += 2) f.put(kv[k], kv[k + 1]);
    }

    public String field(String key) { return fields.getOrDefault(key, ""); }
}
