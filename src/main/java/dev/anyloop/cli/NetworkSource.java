package dev.anyloop.cli;

import dev.anyloop.compile.Compiled;
import dev.anyloop.compile.Compiler;
import dev.anyloop.compile.Provenance;
import dev.anyloop.intent.Intent;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Where a simulation reads its network from: network.yaml (compiled) or a snapshot folder of live hosts. */
final class NetworkSource {
    /** The intent, when the network was compiled from network.yaml (after {@link #load}). */
    Optional<Intent> intent() { return Optional.ofNullable(intent); }

    /** Why the compiler made each rule and route, when the network was compiled from network.yaml. */
    Optional<Provenance> provenance() { return Optional.ofNullable(compiled).map(Compiled::provenance); }

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "network.yaml (compiled to each host's state)")
    Path file;

    @Option(names = "--snapshot", paramLabel = "DIR", description = "a snapshot folder (DIR/<host>/ip-addr.json, ...) instead of network.yaml")
    Path snapshot;

    private Intent intent;
    private Compiled compiled;

    Network load(PrintWriter err) {
        if ((file == null) == (snapshot == null)) {
            err.println("anyloop: give either network.yaml or --snapshot DIR (exactly one)");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        if (file != null) {
            intent = Inputs.intent(file, err);
            compiled = Compiler.compiled(intent);
            return compiled.network();
        }
        try {
            return SnapshotReader.read(snapshot);
        } catch (SnapshotException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }
}
