package dev.anyloop.cli;

import dev.anyloop.apply.Engine;
import java.io.PrintWriter;
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
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Engine engine = where.engine(spec.commandLine().getErr());
        Engine.Outcome r = Outcomes.run(engine::rollback, false, out, spec.commandLine().getErr());
        for (String n : r.notes()) out.println(n);
        return r.exit();
    }
}
