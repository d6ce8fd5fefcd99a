package dev.anyloop.fleet;

import dev.anyloop.os.TargetSpec;

/** Where one host of network.yaml is, for a fleet command: a target and who said so, or skipped and why. */
public sealed interface Placement {
    String host();

    /** The host is reached through {@code target}; {@code from} names the inventory line, --target or --lab. */
    record Reached(String host, TargetSpec target, String from) implements Placement { }

    /** The host has no target: fleet commands list it and leave it alone. */
    record Skipped(String host, String why) implements Placement { }
}
