package dev.anyloop.cli;

import dev.anyloop.intent.Intent;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop validate FILE}: every config error at once as file:line:col, exit 2; writes nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check network.yaml and print every error as file:line:col: message (exit 2), and every warning "
                + "(something that cannot do what it says) as file:line:col: warning: message (exit 0). Writes nothing.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the network.yaml to check")
    Path file;

    @Override
    public Integer call() {
        Intent intent = Inputs.intent(file, spec.commandLine().getErr());
        int w = intent.warnings().size();
        spec.commandLine().getOut().printf("%s: ok (%d segments, %d hosts, %d services, %d source intents, %d expectations)%s%n",
                file, intent.segments().size(), intent.hosts().size(), intent.services().size(), intent.sources().size(),
                intent.expectations().size(), w == 0 ? "" : " with " + w + (w == 1 ? " warning" : " warnings"));
        return Main.OK;
    }
}
