package dev.anyloop.cli;

import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.state.DeviceState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop diff FILE --host H}: what apply would change on this host (or namespace), grouped. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Read this host (or --netns NS) and print the changes apply would make to anyloop's part, grouped (addresses, "
                + "routes, rules, sysctls, firewall), what the host is expected to have and lacks, and the drains in force. "
                + "Exit 0 in sync, 1 changes pending, 2 usage or config error.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = "--host", required = true, paramLabel = "H", description = "the host of network.yaml this machine (or namespace) is")
    String host;

    @Mixin
    TargetOptions where;

    @Option(names = "--backend", paramLabel = "iptables|nft", description = "firewall backend (default: the last one used, else iptables)")
    Backend backend;

    @Option(names = "--json", description = "print {\"changed\": bool, \"changes\": [...]} instead of text")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeviceState d = Inputs.hosts(Inputs.compile(file, err), Optional.of(host), err).get(0);
        Engine engine = where.engine(err);
        Engine.Outcome r = Outcomes.run(() -> engine.diff(d, Engine.Options.lastBackend().backend(Optional.ofNullable(backend))), json, out, err);
        if (json) {
            var m = new java.util.LinkedHashMap<>(r.plan().json(!r.plan().inSync()));
            m.put("notes", r.notes());
            Outcomes.print(out, m);
        } else {
            Outcomes.text(r, out);
        }
        return r.exit();
    }
}
