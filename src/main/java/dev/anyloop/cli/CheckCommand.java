package dev.anyloop.cli;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.compile.Compiled;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    @Option(names = "--progress", negatable = true, description = "a progress bar on stderr (default: when run on a terminal)")
    Optional<Boolean> progress;

    @Option(names = "--threads", paramLabel = "N", description = "checking threads (default: one per core)")
    Optional<Integer> threads;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the result as one HTML page (as anyloop report does)")
    Path report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // a terminal: System.console() is there only when stdin and stdout are both interactive
        ProgressBar bar = progress.orElse(System.console() != null) && report == null ? new ProgressBar(err, "check") : null;
        long t0 = System.nanoTime();
        if (bar != null) bar.stage("reading " + file);
        Intent intent = Inputs.intent(file, err);
        long t1 = System.nanoTime();
        if (bar != null) bar.stage(String.format("compiling %,d hosts", intent.hosts().size()));
        Compiled c = Compiler.compiled(intent);
        if (Boolean.getBoolean("anyloop.check.timing")) {
            err.printf("check: %-22s %6.2f s%ncheck: %-22s %6.2f s (process CPU so far %.2f s)%n", "load and validate", (t1 - t0) / 1e9,
                    "compile", (System.nanoTime() - t1) / 1e9, Checker.cpu());
        }
        if (report != null) return withReport(intent, c);
        // -Danyloop.check.classes=false simulates every client (for the benchmark's figures without the classes)
        boolean classes = !verbose && !"false".equals(System.getProperty("anyloop.check.classes"));
        Checker.Options options = verbose
                ? new Checker.Options(threads.orElse(Runtime.getRuntime().availableProcessors()), false, true, false,
                        bar == null ? Checker.Progress.NONE : bar)
                : Checker.Options.fast(threads.orElse(Runtime.getRuntime().availableProcessors()), classes,
                        bar == null ? Checker.Progress.NONE : bar);
        Checker.Summary sum = Checker.run(intent, c.network(), c.provenance(), options, f -> {
            if (bar != null) bar.done();
            out.println(f.line());
            if (f.kind() != Finding.Kind.PASS) f.proof().ifPresent(rt -> out.print(indent(rt.render())));
        });
        if (bar != null) bar.done();
        out.printf("check: %d passed, %d failed, %d notes%n", sum.passed(), sum.failed(), sum.notes());
        return sum.failed() == 0 ? Main.OK : Main.CHECK_FAILED;
    }

    /** The report needs every finding with its proof: the traced run, then the page. */
    private int withReport(Intent intent, Compiled c) {
        PrintWriter out = spec.commandLine().getOut();
        List<Finding> findings = Checker.run(intent, c.network());
        Reports.write(spec, report, Reports.compiled(file.toString(), Reports.command(spec, file.toString(), "--report", report.toString()),
                intent, c.network(), findings, List.of()));
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

    /** A trace indented under its finding. */
    static String indent(String s) {
        return ("    " + s.replace("\n", "\n    ")).stripTrailing() + "\n";
    }
}
