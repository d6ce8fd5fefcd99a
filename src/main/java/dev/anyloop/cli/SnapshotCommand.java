package dev.anyloop.cli;

import dev.anyloop.os.Snapshotter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop snapshot --out DIR/HOST}: this host (or a namespace) in the snapshot format trace and reach read. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Write this host's (or --netns NS's) live state into DIR/HOST as the snapshot format: ip -json addr/route/rule, "
                + "iptables-save, ip6tables-save, sysctl, ss, nft -j list ruleset, ipset save. A file whose tool is not installed is "
                + "left out and named in tools.txt. 'trace --snapshot DIR' and 'reach --snapshot DIR' read it.")
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Option(names = "--out", required = true, paramLabel = "DIR/HOST", description = "the host's folder (its name is the host's name)")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (out.getFileName() == null || !out.getFileName().toString().matches("[A-Za-z0-9_.-]+")) {
            err.println("anyloop: --out must end in the host's folder name (DIR/HOST), not '" + out + "'");
            return Main.CONFIG_ERROR;
        }
        Snapshotter.Snapshot s;
        try {
            s = new Snapshotter(where.target(err)).snapshot(out);
        } catch (IOException e) {
            err.println("anyloop: cannot write " + out + ": " + e.getMessage());
            return Main.CONFIG_ERROR;
        } catch (IllegalStateException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        o.println("wrote " + out + ": " + String.join(", ", s.files().keySet()));
        if (!s.missing().isEmpty()) o.print(s.tools().lines().map(l -> "  " + l + "\n").reduce("", String::concat));
        return Main.OK;
    }
}
