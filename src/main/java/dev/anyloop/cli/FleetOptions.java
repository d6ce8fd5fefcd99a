package dev.anyloop.cli;

import dev.anyloop.fleet.Inventory;
import dev.anyloop.fleet.Placement;
import dev.anyloop.fleet.Placements;
import dev.anyloop.intent.ConfigException;
import dev.anyloop.intent.Diagnostic;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.SshOptions;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of the fleet forms ({@code snapshot --all}, {@code check --live}, {@code apply --all},
 * {@code confirm --all}): where each host is (inventory, {@code --target}, {@code --lab}) and how SSH
 * authenticates and checks hosts.
 */
final class FleetOptions {
    @Option(names = "--all", description = "every host of network.yaml that has a target (--inventory, --target, --lab); the others are listed as skipped")
    boolean all;

    @Option(names = "--inventory", paramLabel = "FILE", description = "how each host is reached: 'hosts: {router: ssh://root@192.168.1.1, ...}' "
            + "(docs/fleet.md)")
    Path inventory;

    @Option(names = "--target", paramLabel = "HOST=URI", description = "reach HOST at URI (local, netns:NAME, ssh://user@host[:port]); "
            + "overrides the inventory and --lab; repeatable")
    List<String> targets = new ArrayList<>();

    @Option(names = "--lab", paramLabel = "NAME", description = "every host in its namespace of the running lab NAME")
    String lab;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "the known_hosts file every SSH host key must be in (default ~/.ssh/known_hosts); "
            + "an unknown or changed key is refused")
    Path knownHosts;

    @Option(names = "--identity", paramLabel = "FILE", description = "a private key file to offer (after ssh-agent's keys); repeatable; "
            + "default ~/.ssh/id_ed25519, id_ecdsa, id_rsa")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "how long an SSH connection may take to come up (default 10)")
    Integer connectTimeout;

    /** True when any fleet option is given: without --all (or check --live) that is a usage error. */
    boolean anyGiven() {
        return inventory != null || !targets.isEmpty() || lab != null || knownHosts != null || !identities.isEmpty() || connectTimeout != null;
    }

    /** The inventory (none without --inventory); its errors exit 2, every one printed. */
    Inventory inventory(java.util.Collection<String> hosts, PrintWriter err) {
        if (inventory == null) return Inventory.none();
        try {
            return Inventory.load(inventory, hosts);
        } catch (ConfigException e) {
            for (Diagnostic d : e.diagnostics()) err.println(d);
            err.println(e.diagnostics().size() + (e.diagnostics().size() == 1 ? " error" : " errors") + "; nothing was changed");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }

    /** Every host placed; a bad --target or --lab exits 2. */
    Map<String, Placement> placements(java.util.Collection<String> hosts, Network n, Inventory inv, PrintWriter err) {
        List<Placements.Override> overrides = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String t : targets) {
            try {
                overrides.add(Placements.Override.parse(t));
            } catch (IllegalArgumentException e) {
                bad.add(e.getMessage());
            }
        }
        try {
            if (lab != null) LabPlan.checkLabName(lab);
            if (bad.isEmpty()) return Placements.resolve(hosts, n, inv, overrides, Optional.ofNullable(lab));
        } catch (IllegalArgumentException e) {
            bad.add(e.getMessage());
        }
        for (String b : bad) err.println("anyloop: " + b);
        err.println("nothing was changed");
        throw new Inputs.Exit(Main.CONFIG_ERROR);
    }

    /** ssh's defaults, then the inventory's ssh: settings, then these options. */
    SshOptions ssh(Inventory inv, PrintWriter err) {
        SshOptions o = SshOptions.defaults();
        if (inv.knownHosts().isPresent()) o = o.withKnownHosts(inv.knownHosts().get());
        if (inv.identities().isPresent()) o = o.withIdentities(inv.identities().get());
        if (inv.connectTimeout().isPresent()) o = o.withConnectTimeout(Duration.ofSeconds(inv.connectTimeout().get()));
        if (knownHosts != null) o = o.withKnownHosts(knownHosts);
        if (!identities.isEmpty()) o = o.withIdentities(identities);
        if (connectTimeout != null) {
            if (connectTimeout < 1 || connectTimeout > 300) {
                err.println("anyloop: --connect-timeout takes 1 to 300 seconds, not " + connectTimeout + "; nothing was changed");
                throw new Inputs.Exit(Main.CONFIG_ERROR);
            }
            o = o.withConnectTimeout(Duration.ofSeconds(connectTimeout));
        }
        for (Path p : o.identities()) {
            if (!Files.isReadable(p)) {
                err.println("anyloop: key file " + p + " cannot be read; nothing was changed");
                throw new Inputs.Exit(Main.CONFIG_ERROR);
            }
        }
        return o;
    }
}
