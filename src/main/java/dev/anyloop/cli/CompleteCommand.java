package dev.anyloop.cli;

import dev.anyloop.intent.Outline;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code anyloop __complete KIND FILE}: the names of one kind that FILE declares, one a line, for the bash and zsh
 * completion scripts. Hidden (no help, man page or completion of its own); always exits 0, printing nothing for a file
 * it cannot read, because a failing Tab must not print errors into the user's command line.
 */
@Command(name = "__complete", hidden = true, description = "Names declared in network.yaml, for shell completion.")
final class CompleteCommand implements Callable<Integer> {
    /** What the completion scripts ask for; the word is the value kind the scripts were generated with. */
    enum Kind { host, service, segment, address }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND")
    Kind kind;

    @Parameters(index = "1", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
        Outline o = Outline.read(file);
        List<String> names = switch (kind) {
            case host -> o.hosts();
            case service -> o.services();
            case segment -> o.segments();
            case address -> o.addresses();
        };
        names.forEach(spec.commandLine().getOut()::println);
        return Main.OK;
    }
}
