package dev.anyloop.cli;

import dev.anyloop.apply.Drain;
import dev.anyloop.apply.Drains;
import dev.anyloop.apply.Engine;
import dev.anyloop.apply.HostRecord;
import dev.anyloop.intent.Intent;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop drain FILE SERVICE HOST --host ROUTER}: T7's maintenance step, made safe (and {@code undrain}, its undo). */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Withdraw SERVICE's routes through HOST on router ROUTER (this host, or --netns NS), so its traffic goes to the next "
                + "host in preference order. The simulator first checks that every client that reaches the service now still reaches it "
                + "on another host; drain refuses (exit 1, naming the clients that would lose it) unless --force. The drain is kept in the "
                + "state file: apply never undoes it, diff shows it, 'anyloop undrain' lifts it.")
final class DrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Args args;

    @Option(names = "--force", description = "drain even if some client would lose the service")
    boolean force;

    /** What drain and undrain take. */
    static final class Args {
        @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
        Path file;

        @Parameters(index = "1", paramLabel = "SERVICE", description = "the service to move away from HOST")
        String service;

        @Parameters(index = "2", paramLabel = "HOST", description = "the service host to drain")
        String host;

        @Option(names = "--host", required = true, paramLabel = "ROUTER", description = "the router of network.yaml this machine (or namespace) is")
        String router;

        @Mixin
        TargetOptions where;

        @Option(names = "--json", description = "print {\"changed\": bool, \"changes\": [...]} instead of text")
        boolean json;
    }

    @Override
    public Integer call() { return run(spec, args, true, force); }

    /** {@code anyloop undrain FILE SERVICE HOST --host ROUTER}. */
    @Command(name = "undrain", mixinStandardHelpOptions = true,
            description = "Lift a drain: SERVICE's routes through HOST come back on ROUTER (this host, or --netns NS).")
    static final class Undrain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Args args;

        @Override
        public Integer call() { return run(spec, args, false, false); }
    }

    static int run(CommandSpec spec, Args a, boolean drain, boolean force) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Intent intent = Inputs.intent(a.file, err);
        Network n = dev.anyloop.compile.Compiler.compile(intent);
        DeviceState router = Inputs.hosts(n, Optional.of(a.router), err).get(0);
        Drain d;
        try {
            d = Drains.of(intent, n, a.service, a.host, java.time.Instant.now().getEpochSecond());
        } catch (IllegalArgumentException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        if (Drains.routes(router, d).isEmpty()) {
            err.println("anyloop: " + a.router + " has no route to " + a.service + " through " + a.host + " (it is not the router that sends "
                    + a.service + "'s traffic there); nothing was changed");
            return Main.CONFIG_ERROR;
        }
        Engine engine = a.where.engine(err);
        Engine.Status st = Outcomes.run(engine::status, a.json, out, err);
        for (String note : st.notes()) out.println("note: " + note);
        HostRecord rec = st.record();
        Optional<Drain> had = rec.drains().stream().filter(d::sameAs).findFirst();
        if (drain && had.isPresent()) {
            out.println(a.service + " via " + a.host + " is drained already on " + a.router + "; nothing was changed");
            return Main.OK;
        }
        if (!drain && had.isEmpty()) {
            err.println("anyloop: " + a.service + " via " + a.host + " is not drained on " + a.router + "; nothing was changed");
            return Main.CONFIG_ERROR;
        }
        if (drain) {
            List<String> lost = Drains.wouldLose(intent, n, a.router, rec.drains(), d);
            if (!lost.isEmpty()) {
                out.println("drain " + a.service + " " + a.host + ": these clients would lose " + a.service + " (no other host serves them):");
                for (String l : lost) out.println("  " + l);
                if (!force) {
                    out.println("nothing was changed (--force drains anyway)");
                    return Main.CHECK_FAILED;
                }
                out.println("draining anyway (--force)");
            }
        }
        Drain kept = had.orElse(d);
        Engine.Outcome r = Outcomes.run(() -> engine.apply(router, Engine.Options.lastBackend(), x -> {
            List<Drain> ds = new ArrayList<>(x.drains());
            ds.removeIf(kept::sameAs);
            if (drain) ds.add(d);
            return x.withDrains(ds);
        }), a.json, out, err);
        if (a.json) Outcomes.json(r, out);
        else {
            Outcomes.text(r, out);
            out.println((drain ? "drained " : "undrained ") + a.service + " via " + a.host + " on " + a.router);
        }
        return Main.OK;
    }
}
