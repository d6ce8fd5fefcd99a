package dev.anyloop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process and keeps exit code, stdout and stderr. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
