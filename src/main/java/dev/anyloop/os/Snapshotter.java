package dev.anyloop.os;

import dev.anyloop.state.SysctlKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes a snapshot of a live host or network namespace: runs the plain commands of DESIGN.md "Snapshot
 * format" (inside {@code ip netns exec NS} when a namespace is given) and writes their output, unchanged
 * except for sysctl.txt, which keeps only the keys the simulator reads ({@link SysctlKey}).
 */
public final class Snapshotter {
    /** A file of the snapshot and the command that writes it; an optional one is skipped when its tool is not installed. */
    record Step(String file, List<String> argv, boolean optional) {
        Step(String file, List<String> argv) { this(file, argv, false); }
    }

    static final List<Step> STEPS = List.of(
            new Step("ip-addr.json", List.of("ip", "-json", "addr", "show")),
            new Step("ip-route.json", List.of("ip", "-json", "route", "show", "table", "all")),
            new Step("ip6-route.json", List.of("ip", "-6", "-json", "route", "show", "table", "all")),
            new Step("ip-rule.json", List.of("ip", "-json", "rule", "show")),
            new Step("ip6-rule.json", List.of("ip", "-6", "-json", "rule", "show")),
            new Step("iptables.rules", List.of("iptables-save")),
            new Step("ip6tables.rules", List.of("ip6tables-save")),
            new Step("sysctl.txt", List.of("sysctl", "-a")),
            new Step("listen.txt", List.of("ss", "-Hlntup")),
            // a host without nft or ipset has no such rules: the reader takes a missing file for none
            new Step("nft.json", List.of("nft", "-j", "list", "ruleset"), true),
            new Step("ipset.txt", List.of("ipset", "save"), true));

    private final CommandRunner runner;

    public Snapshotter(CommandRunner runner) { this.runner = runner; }

    /**
     * Writes every snapshot file of one host into {@code hostDir} (created if needed; the folder's name is
     * the host's name). A command that fails throws {@link CommandRunner.CommandFailedException}.
     */
    public void snapshot(Optional<String> netns, Path hostDir) throws IOException {
        Files.createDirectories(hostDir);
        for (Step s : STEPS) {
            List<String> argv = new ArrayList<>();
            if (netns.isPresent()) argv.addAll(List.of("ip", "netns", "exec", netns.get()));
            argv.addAll(s.argv());
            CommandRunner.Result r = runner.run(argv);
            if (s.optional() && !r.ok() && missingTool(r)) continue;
            String out = r.orThrow().out();
            if (s.file().equals("sysctl.txt")) out = forwardingKeys(out);
            Files.writeString(hostDir.resolve(s.file()), out, StandardCharsets.UTF_8);
        }
    }

    /** True when the command could not start at all (exec failed: the tool is not installed). */
    static boolean missingTool(CommandRunner.Result r) {
        return r.exit() == 127 || r.err().contains("No such file or directory") && r.err().contains("exec");
    }

    /** The lines of {@code sysctl -a} output that the simulator reads: the keys of {@link SysctlKey}. */
    static String forwardingKeys(String sysctlAll) {
        StringBuilder sb = new StringBuilder();
        for (String line : sysctlAll.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && SysctlKey.kept(line.substring(0, eq).strip())) sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
