package dev.anyloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop confirm}: keeps the change an {@code apply --confirm} made. */
@Command(name = "confirm", mixinStandardHelpOptions = true,
        description = "Keep the change 'apply --confirm' made on this host (or --netns NS; with FILE --all, on every host with a target) before its timer rolls it back. "
                + "Exit 0 kept (or nothing to confirm), 1 too late: the timer already rolled it back.")
final class ConfirmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "with --all: network.yaml, whose hosts are confirmed")
    Path file;

    @Mixin
    FleetOptions fleet;

    @Override
    public Integer call() {
        if (fleet.all) {
            return FleetCli.confirm(file, fleet, where.stateDir, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (file != null || fleet.anyGiven()) {
            spec.commandLine().getErr().println("anyloop: network.yaml, --inventory, --target and --lab go with --all");
            return Main.CONFIG_ERROR;
        }
        return Outcomes.notes(spec, where, e -> e::confirm);
    }
}
