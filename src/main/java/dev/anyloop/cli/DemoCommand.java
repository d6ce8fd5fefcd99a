package dev.anyloop.cli;

import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.lab.Demo;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.Tools;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop demo}: examples/home.yaml for real in namespaces, T1-T8 one by one, simulator beside kernel. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Build examples/home.yaml in network namespaces (root; never connected to this host's network), show "
                + "T1-T8 one by one as real probes with the simulator's verdict beside the kernel's, and tear everything "
                + "down, also on Ctrl-C or failure. Exit 0 when every step agrees and behaves as the how-to says.")
final class DemoCommand implements Callable<Integer> {
    static final String LAB = "demo";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "examples/home.yaml",
            description = "network (default ${DEFAULT-VALUE})")
    Path file;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> missing = Tools.missing(List.of("ip", "iptables-restore", "nft", "dnsmasq", "socat", "dig", "ping", "ss"));
        if (!Tools.isRoot() || !missing.isEmpty()) {
            err.println("anyloop demo: needs root and " + (missing.isEmpty() ? "" : "the tools " + missing + " (run .ci/packages)"));
            return Main.CONFIG_ERROR;
        }
        Intent intent = Inputs.intent(file, err);
        var unsuitable = Demo.unsuitable(intent);
        if (unsuitable.isPresent()) {
            err.println("anyloop demo: " + unsuitable.get());
            return Main.CONFIG_ERROR;
        }
        if (Lab.status(LAB).up()) {
            out.println("demo: removing lab '" + LAB + "' left by an earlier run");
            Lab.down(LAB);
        }
        long t0 = System.nanoTime();
        dev.anyloop.state.Network n = Compiler.compile(intent);
        LabPlan plan = LabPlan.of(LAB, n);
        AtomicBoolean down = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (down.compareAndSet(false, true)) Lab.down(LAB);
        }, "demo-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Lab lab = Lab.up(plan, n, backendOption.backend)) {
            out.printf("demo: %s up in %.1f s (%d namespaces, %s backend)%n", file, (System.nanoTime() - t0) / 1e9,
                    plan.namespaces().size(), BackendOption.word(backendOption.backend));
            boolean ok = Demo.run(lab, intent, out);
            return ok ? Main.OK : Main.CHECK_FAILED;
        } finally {
            down.set(true);
            Lab.down(LAB);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting (Ctrl-C); the hook tears down
            }
            out.printf("demo: lab removed, %.1f s in all%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
