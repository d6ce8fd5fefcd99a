package dev.anyloop.intent;

import dev.anyloop.net.Family;
import dev.anyloop.net.Prefix;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code health:} section: where the routers' probe sources come from, how flapping instances are damped,
 * and the check of every service (empty: not checked), defaults already applied. Read by {@code HealthReader}.
 */
public record HealthDef(List<Prefix> probeSources, DampingDef damping, Map<String, Optional<CheckSpec>> checks, Pos pos) {
    public HealthDef {
        probeSources = List.copyOf(probeSources);
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** The probe-source prefix of family {@code f}, if one is declared. */
    public Optional<Prefix> probeSources(Family f) { return probeSources.stream().filter(p -> p.family() == f).findFirst(); }

    /** The check of service {@code name}, empty when it is not checked (or not a service). */
    public Optional<CheckSpec> check(String name) { return checks.getOrDefault(name, Optional.empty()); }

    /**
     * Route-flap damping as BGP does it (RFC 2439): every failure adds {@code penalty}; the penalty halves every
     * {@code halfLife}; above {@code suppress} the instance is held out until it decays below {@code reuse};
     * never longer than {@code maxSuppress} (the penalty is capped so that it decays to reuse within that time).
     */
    public record DampingDef(double penalty, double suppress, double reuse, Duration halfLife, Duration maxSuppress) {
        public static final DampingDef DEFAULT = new DampingDef(1000, 2000, 750, Duration.ofSeconds(30), Duration.ofSeconds(120));
    }
}
