package dev.anyloop.cli;

import dev.anyloop.apply.Engine;
import dev.anyloop.os.NetnsTarget;
import dev.anyloop.os.Netns;
import dev.anyloop.os.LocalTarget;
import dev.anyloop.os.Target;
import dev.anyloop.os.Tools;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that name the host a command reads or changes: this one, or {@code --netns NS}; and its state folder. */
final class TargetOptions {
    @Option(names = "--netns", paramLabel = "NS", description = "act inside network namespace NS (/run/netns/NS) instead of on this host")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where anyloop keeps what it changed (default /var/lib/anyloop)")
    Path stateDir;

    /** The target; exit 2 when not root, or the namespace is not there. */
    Target target(PrintWriter err) {
        if (!Tools.isRoot()) {
            err.println("anyloop: this command reads and changes the network configuration and needs root (run it with sudo); nothing was changed");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        if (netns == null) return new LocalTarget();
        NetnsTarget t;
        try {
            t = new NetnsTarget(netns);
        } catch (IllegalArgumentException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        if (!t.exists()) {
            java.util.List<String> all = new Netns().list();
            err.println("anyloop: no network namespace '" + netns + "' (/run/netns/" + netns + " does not exist"
                    + (all.isEmpty() ? "; 'ip netns list' shows none)" : Inputs.didYouMean(netns, all) + "); nothing was changed"));
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        return t;
    }

    Path stateDir() { return stateDir == null ? Engine.defaultStateDir() : stateDir; }

    Engine engine(PrintWriter err) {
        Target t = target(err);
        try {
            return new Engine(t, stateDir());
        } catch (IllegalArgumentException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }

    /** " --netns NS --state-dir DIR" as given: how a message tells the user to name this target again. */
    String again() {
        return (netns == null ? "" : " --netns " + netns) + (stateDir == null ? "" : " --state-dir " + stateDir);
    }
}
