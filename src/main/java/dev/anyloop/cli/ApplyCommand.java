package dev.anyloop.cli;

import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.apply.Persist;
import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop apply FILE --host H}: converges one live host (or namespace) to its part of network.yaml. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Make this host (or --netns NS) hold what network.yaml gives host H, for the part anyloop owns: lo addresses, "
                + "routes and rules with its proto, sysctls, its AL-* chains and jumps (or table inet anyloop). 'check' runs first "
                + "and a failing check refuses. One ip -batch, one iptables-restore --noflush per family (or one nft -f); the host "
                + "is read again afterwards and put back as it was if it does not match. Interface addresses and gateways are "
                + "expected, never changed. Exit 0 applied or in sync, 1 a check or the change failed (host put back), 2 refused, "
                + "nothing changed.")
final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "network.yaml")
    Path file;

    @Option(names = "--host", paramLabel = "H", description = "the host of network.yaml this machine (or namespace) is")
    String host;

    @Mixin
    TargetOptions where;

    @Option(names = "--backend", paramLabel = "iptables|nft", description = "firewall backend (default: the last one used, else iptables)")
    Backend backend;

    @Option(names = "--confirm", paramLabel = "SECONDS", description = "roll the change back after SECONDS unless 'anyloop confirm' keeps it; "
            + "the timer runs on the host itself")
    Integer confirm;

    @Option(names = "--dry-run", description = "print the plan, change nothing")
    boolean dryRun;

    @Option(names = "--json", description = "print {\"changed\": bool, \"changes\": [...]} instead of text")
    boolean json;

    @Option(names = "--force", description = "apply even though 'check' fails")
    boolean force;

    @Option(names = "--persist", description = "keep this network.yaml and install a systemd unit that applies it again at boot")
    boolean persist;

    @Option(names = "--persisted", description = "apply what 'apply --persist' kept (what the systemd unit runs)")
    boolean persisted;

    @Option(names = "--unit-dir", paramLabel = "DIR", description = "where --persist installs the unit (default /etc/systemd/system)")
    Path unitDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (confirm != null && (confirm < 1 || confirm > 86400)) return usage(err, "--confirm takes 1 to 86400 seconds, not " + confirm);
        if (persist && confirm != null) {
            return usage(err, "--persist and --confirm together would keep a change that may still be rolled back: apply with --confirm, "
                    + "'anyloop confirm', then 'anyloop apply --persist'");
        }
        Engine engine = where.engine(err);
        Backend chosen = backend;
        if (persisted) {
            if (file != null || host != null) return usage(err, "--persisted applies what 'apply --persist' kept: give no FILE and no --host");
            Optional<Persist.Saved> saved = load(engine, err);
            if (saved.isEmpty()) {
                err.println("anyloop: nothing was saved by 'anyloop apply --persist' in " + engine.stateDir() + "; nothing was changed");
                return Main.CONFIG_ERROR;
            }
            file = saved.get().file();
            host = saved.get().host();
            if (chosen == null) chosen = saved.get().backend();
        }
        if (file == null || host == null) return usage(err, "apply needs network.yaml and --host H (or --persisted)");
        Intent intent = Inputs.intent(file, err);
        Network n = dev.anyloop.compile.Compiler.compile(intent);
        DeviceState d = Inputs.hosts(n, Optional.of(host), err).get(0);
        if (!verified(intent, n, out)) return Main.CHECK_FAILED;
        Engine.Options given = Engine.Options.lastBackend().backend(Optional.ofNullable(chosen)).dryRun(dryRun)
                .confirm(confirm == null ? OptionalInt.empty() : OptionalInt.of(confirm));
        // a namespace shares this machine's /etc: naming anyloop's proto there is the host's business, not a namespace's
        Engine.Options o = where.netns != null ? given.withoutProtoName() : given;
        Engine.Outcome r = Outcomes.run(() -> engine.apply(d, o), json, out, err);
        if (json) Outcomes.json(r, out);
        else {
            Outcomes.text(r, out, where.again());
            if (!dryRun) out.println(r.changed() ? "applied" : "no changes");
        }
        if (persist && !dryRun) {
            try {
                Backend used = Outcomes.run(engine::status, json, out, err).record().backend().orElse(Backend.IPTABLES);
                Path unit = Persist.install(engine.target(), engine.stateDir(), unitDir == null ? Persist.UNIT_DIR : unitDir, Files.readString(file),
                        host, used, System.getProperty("anyloop.launcher", Persist.PACKAGED), persistArgs());
                if (!json) out.println("persisted: " + file + " kept in " + engine.stateDir().resolve("persist") + "; " + unit + " applies it at boot");
            } catch (IOException | RuntimeException e) {
                err.println("anyloop: applied, but --persist failed: " + e.getMessage());
                return Main.CHECK_FAILED;
            }
        }
        return Main.OK;
    }

    private Optional<Persist.Saved> load(Engine engine, PrintWriter err) {
        try {
            return Persist.load(engine.target(), engine.stateDir());
        } catch (dev.anyloop.apply.ApplyException e) {
            err.println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(e.exit());
        }
    }

    /** The options the boot unit needs to find this target and its state folder again. */
    private List<String> persistArgs() {
        List<String> a = new ArrayList<>();
        if (where.netns != null) a.addAll(List.of("--netns", where.netns));
        if (where.stateDir != null) a.addAll(List.of("--state-dir", where.stateDir.toAbsolutePath().normalize().toString()));
        return a;
    }

    /** "Verified before": check on the intent; a failure refuses (exit 1) with its proving trace, unless --force. */
    private boolean verified(Intent intent, Network n, PrintWriter out) {
        List<Finding> failed = Checker.run(intent, n).stream().filter(Finding::failed).toList();
        if (failed.isEmpty()) return true;
        for (Finding f : failed) {
            out.println(f.line());
            f.proof().ifPresent(rt -> out.print(CheckCommand.indent(rt.render())));
        }
        if (force) {
            out.printf("apply: %d checks fail; applying anyway (--force)%n", failed.size());
            return true;
        }
        out.printf("apply: %d checks fail, so nothing was applied ('anyloop check %s' shows them; --force applies anyway)%n", failed.size(), file);
        return false;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("anyloop: " + message);
        return Main.CONFIG_ERROR;
    }
}
