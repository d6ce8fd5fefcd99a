package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabBird;
import dev.anyloop.os.Birdc;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lab bgp [--name N] [--withdraw|--restore HOST:SERVICE]}: each BGP host's sessions and routes from birdc. */
@Command(name = "bgp", mixinStandardHelpOptions = true,
        description = "Show every BGP host's sessions (birdc show protocols) and routes (birdc show route) in a running lab. "
                + "--withdraw HOST:SERVICE disables the host's announcement of SERVICE (birdc disable, no restart); --restore "
                + "enables it again. Exit 0, 1 when the lab runs no BIRD, 2 on a bad argument.")
final class LabBgpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LabName labName;

    @Option(names = "--withdraw", paramLabel = "HOST:SERVICE", description = "withdraw HOST's announcement of SERVICE")
    Optional<String> withdraw;

    @Option(names = "--restore", paramLabel = "HOST:SERVICE", description = "announce it again")
    Optional<String> restore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Birdc> birds;
        try {
            birds = LabBird.running(labName.name);
        } catch (IllegalArgumentException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        if (birds.isEmpty()) {
            out.printf("lab %s runs no BIRD (%s)%n", labName.name, Lab.status(labName.name).up() ? "it has no bgp: section" : "it is not up");
            return Main.CHECK_FAILED;
        }
        if (withdraw.isPresent() || restore.isPresent()) {
            if (withdraw.isPresent() == restore.isPresent()) {
                err.println("anyloop: give --withdraw or --restore, not both");
                return Main.CONFIG_ERROR;
            }
            String arg = withdraw.orElseGet(restore::get);
            int colon = arg.indexOf(':');
            Birdc b = colon > 0 ? birds.get(arg.substring(0, colon)) : null;
            if (b == null) {
                err.println("anyloop: '" + arg + "' is not HOST:SERVICE of a BGP host of lab " + labName.name + " (hosts: "
                        + String.join(", ", birds.keySet()) + ")");
                return Main.CONFIG_ERROR;
            }
            String service = arg.substring(colon + 1);
            boolean done = withdraw.isPresent() ? b.withdraw(service) : b.restore(service);
            if (!done) {
                err.println("anyloop: " + arg.substring(0, colon) + " announces no service '" + service + "'");
                return Main.CONFIG_ERROR;
            }
            out.printf("%s: %s %s%n", arg.substring(0, colon), service, withdraw.isPresent() ? "withdrawn" : "announced again");
            return Main.OK;
        }
        for (Map.Entry<String, Birdc> e : birds.entrySet()) {
            out.println("== " + e.getKey());
            out.print(indent(e.getValue().protocols()));
            out.print(indent(e.getValue().routes()));
        }
        return Main.OK;
    }

    private static String indent(String s) {
        return s.isBlank() ? "" : ("  " + s.strip().replace("\n", "\n  ")) + "\n";
    }
}
