package dev.anyloop.watch;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the host holds now, as an {@link Actuator} reads it: the instances in service (their route or announcement
 * is live), the drained ones (an operator took them out with {@code anyloop drain}: watch never puts them back),
 * and the instances the checker cannot probe faithfully right now, each with the reason (a missing probe source
 * or probe route: its checks would say nothing about the instance it names), and whether another anyloop (apply,
 * drain, undrain) is changing the host right now: its routes then say nothing yet about the drains.
 */
public record Live(Set<Instance> installed, Set<Instance> drained, Map<Instance, String> probeFaults, boolean changing) {
    public Live {
        installed = Collections.unmodifiableSet(new TreeSet<>(installed));
        drained = Collections.unmodifiableSet(new TreeSet<>(drained));
        probeFaults = Collections.unmodifiableMap(new TreeMap<>(probeFaults));
    }

    /** A settled host: no other anyloop is changing it. */
    public Live(Set<Instance> installed, Set<Instance> drained, Map<Instance, String> probeFaults) {
        this(installed, drained, probeFaults, false);
    }
}
