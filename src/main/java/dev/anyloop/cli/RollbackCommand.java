package dev.anyloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop rollback}: undoes the change awaiting confirmation, or the last change, now. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Undo now the change awaiting confirmation on this host (or --netns NS), or else the last change apply, drain "
                + "or undrain made (or one that was interrupted): anyloop's part goes back to what it was before; nothing else is touched.")
final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Override
    public Integer call() { return Outcomes.notes(spec, where, e -> e::rollback); }
}
