package dev.anyloop.cli;

import dev.anyloop.bgp.Bgp;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Where a simulation reads its network from: network.yaml (compiled) or a snapshot folder of live hosts. */
final class NetworkSource {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "network.yaml (compiled to each host's state)")
    Path file;

    @Option(names = "--snapshot", paramLabel = "DIR", description = "a snapshot folder (DIR/<host>/ip-addr.json, ...) instead of network.yaml")
    Path snapshot;

    Network load(PrintWriter err) { return loadBgp(err).network(); }

    /**
     * The network as the simulator sees it: network.yaml compiled, with the routes BGP converges to (and where each
     * was learned); a snapshot as its hosts hold it, BIRD's routes included, with no BGP story.
     */
    Bgp.Converged loadBgp(PrintWriter err) {
        if ((file == null) == (snapshot == null)) {
            err.println("anyloop: give either network.yaml or --snapshot DIR (exactly one)");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        if (file != null) return Inputs.simulated(file, err);
        try {
            return Bgp.snapshot(SnapshotReader.read(snapshot));
        } catch (SnapshotException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }
}
