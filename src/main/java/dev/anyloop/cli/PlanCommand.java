package dev.anyloop.cli;

import dev.anyloop.compile.Compiled;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.state.DeviceState;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop plan FILE [--host H]}: per host, what anyloop would do and the exact commands, for a person. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print, per host, what network.yaml asks for (T1-T8) and the exact commands and files that realise it.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = "--host", paramLabel = "HOST", description = "only this host")
    Optional<String> host;

    @Override
    public Integer call() {
        Intent intent = Inputs.intent(file, spec.commandLine().getErr());
        Compiled c = Compiler.compiled(intent);
        for (DeviceState d : Inputs.hosts(c.network(), host, spec.commandLine().getErr())) {
            spec.commandLine().getOut().print(PlanText.render(intent, c, d));
        }
        return Main.OK;
    }
}
