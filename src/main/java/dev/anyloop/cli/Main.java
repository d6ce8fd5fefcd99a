package dev.anyloop.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** anyloop's command line: one class per subcommand; exit codes 0 ok, 1 a check failed, 2 usage or config error, 3 internal error. */
@Command(name = "anyloop", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Routeable loopback service addresses, declared in network.yaml, compiled, simulated and built for real.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ExportCommand.class, TraceCommand.class, ReachCommand.class,
                CheckCommand.class, GraphCommand.class, ReportCommand.class, LabCommand.class, DemoCommand.class, SnapshotCommand.class,
                DiffCommand.class, ApplyCommand.class, ConfirmCommand.class, RollbackCommand.class, DrainCommand.class,
                DrainCommand.Undrain.class, CompleteCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a check failed", "2:usage or config error", "3:internal error"})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int CONFIG_ERROR = 2;
    public static final int INTERNAL_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line as tests and main use it: usage errors exit 2, unexpected exceptions 3. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> INTERNAL_ERROR);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("anyloop: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return CONFIG_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof Inputs.Exit) return ((Inputs.Exit) ex).code;
            c.getErr().println("anyloop: internal error: " + ex);
            ex.printStackTrace(c.getErr());
            return INTERNAL_ERROR;
        });
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
