package dev.anyloop.cli;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop check FILE}: the expect: entries plus every check the intent implies, on the simulator. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run the expect: entries and the checks network.yaml implies (T3-T8, failover of each service host) "
                + "on the simulator. Prints each failure with the trace that proves it. Exit 0 when all hold, 1 otherwise.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = {"-v", "--verbose"}, description = "print passing checks too")
    boolean verbose;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the result as one HTML page (as anyloop report does)")
    Path report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Intent intent = Inputs.intent(file, spec.commandLine().getErr());
        Network network = Compiler.compile(intent);
        List<Finding> findings = Checker.run(intent, network);
        if (report != null) {
            Reports.write(spec, report, Reports.compiled(file.toString(), Reports.command(spec, file.toString(), "--report", report.toString()),
                    intent, network, findings, List.of()));
        }
        int failed = 0, notes = 0;
        for (Finding f : findings) {
            if (f.kind() == Finding.Kind.PASS && !verbose) continue;
            out.println(f.line());
            if (f.kind() != Finding.Kind.PASS) f.proof().ifPresent(rt -> out.print(indent(rt.render())));
            if (f.failed()) failed++;
            if (f.kind() == Finding.Kind.NOTE) notes++;
        }
        long passed = findings.stream().filter(f -> f.kind() == Finding.Kind.PASS).count();
        out.printf("check: %d passed, %d failed, %d notes%n", passed, failed, notes);
        return failed == 0 ? Main.OK : Main.CHECK_FAILED;
    }

    private static String indent(String s) {
        return ("    " + s.replace("\n", "\n    ")).stripTrailing() + "\n";
    }
}
