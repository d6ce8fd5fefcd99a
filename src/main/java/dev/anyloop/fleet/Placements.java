package dev.anyloop.fleet;

import dev.anyloop.intent.Names;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.TargetSpec;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides each host's target, strongest first: {@code --target HOST=URI}, then {@code --lab NAME} (the host's
 * namespace in that lab), then the inventory; a host none of them names is skipped. Pure: whether a target
 * answers is found out when it is opened.
 */
public final class Placements {
    private Placements() { }

    /** A {@code --target} value, {@code HOST=URI}: the host and its target, or the reason it is not one. */
    public record Override(String host, TargetSpec target) {
        /** Parses {@code HOST=URI}; the message quotes the input. */
        public static Override parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new IllegalArgumentException("Invalid --target '" + text + "': expected HOST=URI, e.g. router=ssh://root@192.168.1.1");
            }
            return new Override(text.substring(0, eq), TargetSpec.parse(text.substring(eq + 1)));
        }
    }

    /**
     * Every host network.yaml declares (not the containers it publishes: Docker owns those), in its order, placed;
     * throws naming a --target host that network.yaml lacks.
     */
    public static Map<String, Placement> resolve(java.util.Collection<String> hosts, Network network, Inventory inventory, List<Override> overrides,
                                                 Optional<String> lab) {
        Map<String, TargetSpec> forced = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Override o : overrides) {
            if (!hosts.contains(o.host())) {
                unknown.add("--target " + o.host() + "=...: '" + o.host() + "' is not a host of network.yaml"
                        + Names.didYouMean(o.host(), hosts));
            }
            forced.put(o.host(), o.target());
        }
        if (!unknown.isEmpty()) throw new IllegalArgumentException(String.join("\n", unknown));
        Optional<LabPlan> plan = lab.map(l -> LabPlan.of(l, network));
        Map<String, Placement> out = new LinkedHashMap<>();
        for (String host : hosts) {
            if (forced.containsKey(host)) {
                out.put(host, new Placement.Reached(host, forced.get(host), "--target"));
            } else if (plan.isPresent()) {
                out.put(host, new Placement.Reached(host, TargetSpec.netns(plan.get().namespaceOf(host)), "--lab " + lab.get()));
            } else if (inventory.hosts().containsKey(host)) {
                Inventory.Entry e = inventory.hosts().get(host);
                out.put(host, new Placement.Reached(host, e.target(), e.pos().toString()));
            } else {
                out.put(host, new Placement.Skipped(host, inventory.file().isEmpty() ? "no target (give --inventory FILE, --target " + host + "=URI or --lab NAME)"
                        : "no target in " + inventory.file()));
            }
        }
        return out;
    }
}
