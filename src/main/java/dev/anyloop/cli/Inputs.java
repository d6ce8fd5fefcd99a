package dev.anyloop.cli;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.ConfigException;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads and compiles network.yaml for a command, turning config errors into exit 2 with every diagnostic. */
final class Inputs {
    private Inputs() { }

    /** Thrown to leave a command with an exit code after its message was printed. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /** The intent of {@code file}; its warnings go to {@code err} as "file:line:col: warning: ...", errors exit 2. */
    static Intent intent(Path file, PrintWriter err) {
        try {
            Intent intent = IntentLoader.load(file);
            for (var w : intent.warnings()) err.println(w.asWarning());
            return intent;
        } catch (ConfigException e) {
            for (var d : e.diagnostics()) err.println(d);
            err.println(e.diagnostics().size() + (e.diagnostics().size() == 1 ? " error" : " errors") + "; nothing was changed");
            throw new Exit(Main.CONFIG_ERROR);
        }
    }

    static Network compile(Path file, PrintWriter err) {
        return Compiler.compile(intent(file, err));
    }

    /** The hosts a command works on: all, or the one named by --host (exit 2 if it does not exist). */
    static List<DeviceState> hosts(Network n, Optional<String> host, PrintWriter err) {
        if (host.isEmpty()) return List.copyOf(n.hosts().values());
        DeviceState d = n.hosts().get(host.get());
        if (d == null) {
            err.println("anyloop: no host '" + host.get() + "' in this network" + didYouMean(host.get(), n.hosts().keySet())
                    + " (hosts: " + String.join(", ", n.hosts().keySet()) + ")");
            throw new Exit(Main.CONFIG_ERROR);
        }
        return List.of(d);
    }

    /** The same suggestion network.yaml errors give, for names typed on the command line. */
    static String didYouMean(String bad, java.util.Collection<String> names) {
        return dev.anyloop.intent.Names.didYouMean(bad, names);
    }
}
