package dev.anyloop.cli;

import dev.anyloop.intent.Intent;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabWatch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lab watch FILE [--name N]}: anyloop watch on every router of a running lab, inside its namespace. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Start 'anyloop watch' on every router of the running lab, each inside its router's namespace with metrics on "
                + "127.0.0.1:" + LabWatch.METRICS_PORT + " there; return once every instance has been checked. 'lab status' shows "
                + "their health tables, 'lab down' stops them.")
final class LabWatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml (the one the lab was built from)")
    Path file;

    @Mixin
    LabName labName;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Intent intent = Inputs.intent(file, err);
        List<LabWatch.Daemon> ds;
        try {
            ds = LabWatch.start(labName.name, file, intent, Duration.ofSeconds(30));
        } catch (IllegalArgumentException | Lab.NotUpException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        } catch (IllegalStateException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CHECK_FAILED;
        }
        for (LabWatch.Daemon d : ds) {
            out.printf("lab %s: watch on %s (pid %d, namespace %s) is checking; log %s%n", labName.name, d.router(), d.pid(), d.namespace(), d.log());
            LabWatch.table(d).ifPresent(t -> out.print(t.indent(2)));
        }
        return Main.OK;
    }
}
