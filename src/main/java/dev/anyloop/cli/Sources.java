package dev.anyloop.cli;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The input of graph and report: network.yaml, a snapshot folder, or both. With both, the picture is of the
 * live network (the snapshot), named and checked by the intent, and each host shows its drift from the plan.
 */
final class Sources {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "network.yaml (compiled to each host's state)")
    Path file;

    @Option(names = "--snapshot", paramLabel = "DIR",
            description = "a snapshot folder (DIR/<host>/ip-addr.json, ...); with FILE too, the live network compared with its plan")
    Path snapshot;

    /** What was read: the intent if FILE was given, the network to show, and the compiled plan when it differs from it. */
    record Loaded(Optional<Intent> intent, Network network, Optional<Network> planned, String title) { }

    Loaded load(PrintWriter err) {
        if (file == null && snapshot == null) {
            err.println("anyloop: give network.yaml, --snapshot DIR, or both");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        Optional<Intent> intent = file == null ? Optional.empty() : Optional.of(Inputs.intent(file, err));
        Optional<Network> compiled = intent.map(Compiler::compile);
        if (snapshot == null) return new Loaded(intent, compiled.get(), Optional.empty(), file.toString());
        Network live;
        try {
            live = SnapshotReader.read(snapshot);
        } catch (SnapshotException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        String title = "snapshot " + snapshot + (file == null ? "" : " against " + file);
        return new Loaded(intent, live, compiled, title);
    }
}
