package dev.anyloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop confirm}: keeps the change an {@code apply --confirm} made. */
@Command(name = "confirm", mixinStandardHelpOptions = true,
        description = "Keep the change 'apply --confirm' made on this host (or --netns NS) before its timer rolls it back. "
                + "Exit 0 kept (or nothing to confirm), 1 too late: the timer already rolled it back.")
final class ConfirmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Override
    public Integer call() { return Outcomes.notes(spec, where, e -> e::confirm); }
}
