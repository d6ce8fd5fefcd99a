package dev.anyloop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** Writes a command's document to {@code --out FILE} (creating its folder) or, without one, to standard output. */
final class Outputs {
    private Outputs() { }

    static void write(CommandSpec spec, Path out, String text) {
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return;
        }
        writeFile(spec, out, text);
        spec.commandLine().getErr().println("wrote " + out + " (" + text.getBytes(StandardCharsets.UTF_8).length + " bytes)");
    }

    /** Writes {@code text} to {@code out}; a failure is a usage error (exit 2) naming the file. */
    static void writeFile(CommandSpec spec, Path out, String text) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            spec.commandLine().getErr().println("anyloop: cannot write " + out + ": " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }
}
