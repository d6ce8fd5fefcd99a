package dev.anyloop.watch;

import java.util.Set;

/**
 * What the apply engine's state file says about a router, as watch needs it: the drains recorded there (service
 * and host, as {@code anyloop drain} names them) and whether a change is in flight (an apply, drain or undrain
 * between its first command and its saved record, when the host's routes say nothing yet about the drains).
 */
public record Recorded(Set<Drained> drains, boolean changing) {
    /** One recorded drain: {@code service}'s routes through {@code host}. */
    public record Drained(String service, String host) { }

    public Recorded {
        drains = Set.copyOf(drains);
    }

    /** No state file: nothing drained, nothing changing (a router anyloop never applied to). */
    public static final Recorded NONE = new Recorded(Set.of(), false);

    /** True when {@code i} is drained. */
    public boolean drains(Instance i) { return drains.contains(new Drained(i.service(), i.host())); }

    /** Where the state comes from: read every second, so it must not take the engine's lock. */
    public interface Source {
        Recorded read();

        /** For messages: "state file /var/lib/anyloop/host". */
        String describe();
    }
}
