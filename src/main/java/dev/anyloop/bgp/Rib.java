package dev.anyloop.bgp;

import dev.anyloop.net.Prefix;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The converged BGP tables of a network: per speaker and service prefix, its {@link Choice}. The provenance of
 * every BGP route the kernels get, for {@code trace} and the lab's comparison with {@code birdc}.
 */
public final class Rib {
    private final Map<String, Map<Prefix, Choice>> byHost;

    Rib(Map<String, Map<Prefix, Choice>> byHost) { this.byHost = byHost; }

    static Rib empty() { return new Rib(new HashMap<>()); }

    /** One speaker's choice for one prefix. */
    public record Selection(String host, Prefix prefix, Choice choice) { }

    public Optional<Selection> selection(String host, Prefix prefix) {
        Choice c = byHost.getOrDefault(host, Map.of()).get(prefix);
        return c == null ? Optional.empty() : Optional.of(new Selection(host, prefix, c));
    }

    /** Every prefix {@code host} holds a route to. */
    public Map<Prefix, Choice> of(String host) { return Collections.unmodifiableMap(byHost.getOrDefault(host, Map.of())); }

    public boolean isEmpty() { return byHost.isEmpty(); }
}
