package dev.anyloop.cli;

/** The in-process command line for tests outside dev.anyloop.cli. */
public final class CliAccess {
    private CliAccess() { }

    /** Exit code, stdout and stderr of one run. */
    public record Result(int exit, String out, String err) { }

    public static Result run(String... args) {
        Cli c = Cli.run(args);
        return new Result(c.exit(), c.out(), c.err());
    }
}
