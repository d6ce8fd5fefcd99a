package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lab restore [--name N]}: brings back what {@code lab fail} took down, in any process. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Bring every interface 'lab fail' took down back up, set every host up again as 'lab up' did (its interface "
                + "addresses and gateways, then anyloop's part through apply, so routes deleted by hand come back too), and flush "
                + "neighbour caches.")
final class LabRestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    LabName labName;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Lab.Restored r;
        try {
            java.nio.file.Path source = Lab.source(labName.name).orElseThrow(() -> new IllegalArgumentException(Lab.status(labName.name).up()
                    ? "lab " + labName.name + " was not built by 'anyloop lab up' (it kept no network.yaml to restore from)"
                    : "lab " + labName.name + " is not up: 'anyloop lab up FILE --name " + labName.name + "' builds it"));
            r = Lab.restore(labName.name, Inputs.compile(source, spec.commandLine().getErr()));
        } catch (IllegalArgumentException | Lab.NotUpException e) {
            spec.commandLine().getErr().println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        for (Lab.Iface i : r.up()) out.printf("lab %s: %s up%n", labName.name, i);
        if (r.up().isEmpty()) out.printf("lab %s: no failed interfaces%n", labName.name);
        out.printf("lab %s: set up %d hosts again (interfaces, then anyloop's part through apply), flushed their neighbour caches%n",
                labName.name, r.hosts());
        return Main.OK;
    }
}
