package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop lab up|down|status|exec|leftovers|probe|fail|restore}: the network built for real in network namespaces (root only). */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Build network.yaml for real in network namespaces (never connected to this host's network), with real services.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Exec.class,
            LabCommand.Leftovers.class, LabProbeCommand.class, LabFailCommand.class, LabRestoreCommand.class})
final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code lab up FILE [--name N] [--backend iptables|nft]}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create the lab: namespaces al-NAME-*, veths, addresses, routes, firewall, and services answering with their host name.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "network.yaml")
        Path file;

        @Mixin
        LabName labName;

        @Mixin
        BackendOption backendOption;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Network n = Inputs.compile(file, err);
            LabPlan plan;
            try {
                plan = LabPlan.of(labName.name, n);
            } catch (IllegalArgumentException e) {
                err.println("anyloop: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            Map<String, List<String>> left = Lab.leftovers();
            for (Map.Entry<String, List<String>> e : left.entrySet()) {
                err.printf("anyloop: lab %s exists (%d namespaces: running, or left by a crashed run); 'anyloop lab down --name %s' removes it%n",
                        e.getKey(), e.getValue().size(), e.getKey());
            }
            if (left.containsKey(labName.name)) return Main.CHECK_FAILED;
            long t0 = System.nanoTime();
            Lab.up(plan, n, backendOption.backend);
            try {
                Lab.keepSource(labName.name, java.nio.file.Files.readString(file));
            } catch (java.io.IOException e) {
                err.println("anyloop: lab is up, but keeping " + file + " for 'lab restore' failed: " + e.getMessage());
            }
            out.printf("lab %s up in %.1f s: %d namespaces, %d veth pairs, %d bridges%n", labName.name, (System.nanoTime() - t0) / 1e9,
                    plan.namespaces().size(), plan.veths().size(), plan.bridges().size());
            for (LabPlan.Namespace ns : plan.namespaces()) out.printf("  %-30s %s %s%n", ns.name(), ns.role().name().toLowerCase(), ns.owner());
            return Main.OK;
        }
    }

    /** {@code lab down [--name N]}. */
    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of the lab and remove its namespaces (idempotent).")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabName labName;

        @Override
        public Integer call() {
            int before = Lab.status(labName.name).namespaces().size();
            Lab.down(labName.name);
            spec.commandLine().getOut().printf("lab %s down (%d namespaces removed)%n", labName.name, before);
            return Main.OK;
        }
    }

    /** {@code lab status [--name N]}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the lab's namespaces and the processes in each; exit 1 if it is not up.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabName labName;

        @Override
        public Integer call() {
            Lab.Status st = Lab.status(labName.name);
            PrintWriter out = spec.commandLine().getOut();
            if (!st.up()) {
                out.printf("lab %s is not up%n", labName.name);
                return Main.CHECK_FAILED;
            }
            st.namespaces().forEach((ns, pids) -> out.printf("%-30s %d processes %s%n", ns, pids.size(), pids));
            List<Lab.Iface> failed = Lab.failed(labName.name);
            if (!failed.isEmpty()) out.printf("failed interfaces (lab restore brings them back): %s%n", failed);
            return Main.OK;
        }
    }

    /** {@code lab exec [--name N] HOST -- COMMAND...}. */
    @Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command inside a lab host's namespace; exits with its exit code.")
    static final class Exec implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LabName labName;

        @Parameters(index = "0", paramLabel = "HOST", description = "host")
        String host;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "command and arguments (after --)")
        List<String> argv;

        @Override
        public Integer call() {
            CommandRunner.Result r;
            try {
                r = Lab.exec(labName.name, host, argv);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("anyloop: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            spec.commandLine().getOut().print(r.out());
            spec.commandLine().getErr().print(r.err());
            return r.exit();
        }
    }

    /** {@code lab leftovers [--name N] [--clear]}. */
    @Command(name = "leftovers", mixinStandardHelpOptions = true,
            description = "List lab namespaces (al-*) that exist, of every lab or of --name N; --clear --name N takes that one lab down "
                    + "(never another lab's namespaces: other labs may be running). Exit 1 when something is listed and not cleared.")
    static final class Leftovers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", paramLabel = "N", description = "only lab N: [a-z][a-z0-9]{0,11}")
        String name;

        @Option(names = "--clear", description = "take lab --name N down (required with --clear)")
        boolean clear;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (clear && name == null) {
                err.println("anyloop: lab leftovers --clear takes --name N: it removes one lab, never the namespaces of another lab "
                        + "that may be running (see the list without --clear)");
                return Main.CONFIG_ERROR;
            }
            if (name != null) {
                try {
                    dev.anyloop.lab.LabPlan.checkLabName(name);
                } catch (IllegalArgumentException e) {
                    err.println("anyloop: " + e.getMessage());
                    return Main.CONFIG_ERROR;
                }
            }
            Map<String, List<String>> left = new java.util.TreeMap<>(Lab.leftovers());
            if (name != null) left.keySet().retainAll(List.of(name));
            left.forEach((lab, names) -> out.printf("lab %s: %s%n", lab, String.join(" ", names)));
            if (clear) {
                Lab.down(name);
                out.printf("cleared lab %s (%d namespaces)%n", name, left.getOrDefault(name, List.of()).size());
                return Main.OK;
            }
            return left.isEmpty() ? Main.OK : Main.CHECK_FAILED;
        }
    }
}
