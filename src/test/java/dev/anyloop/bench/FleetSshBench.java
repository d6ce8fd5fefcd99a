package dev.anyloop.bench;

import dev.anyloop.apply.Backend;
import dev.anyloop.cli.SshLab;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.IntentLoader;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabGuard;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.RunDirs;
import dev.anyloop.report.ScaleIntent;
import dev.anyloop.state.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * snapshot --all and apply --all over SSH on a lab of HOSTS hosts (ScaleIntent: 5 routers on a core, their LANs, one
 * service per router on its LAN's first two hosts), sshd in every host namespace, anyloop in the operator namespace
 * (a JVM of its own, as a user runs it). Each command runs twice in the same run: with every host at once (the
 * default), and one host at a time ({@code -Danyloop.fleet.threads=1}), the same work in sequence. apply goes from
 * empty to the plan and back to empty (a network.yaml with the same hosts and no services) between the two. Root.
 */
public final class FleetSshBench {
    private FleetSshBench() { }

    public static void main(String[] args) throws Exception {
        int routers = 5;
        int perRouter = Math.max(1, (args.length > 0 ? Integer.parseInt(args[0]) : 50) / routers - 1);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("fl-bench");
        String yaml = ScaleIntent.yaml(routers, perRouter);
        Path full = dir.resolve("fleet.yaml");
        Files.writeString(full, yaml);
        Path empty = dir.resolve("fleet-empty.yaml");
        Files.writeString(empty, yaml.substring(0, yaml.indexOf("services:\n")));
        Network n = Compiler.compile(IntentLoader.load(full));
        List<String> hosts = List.copyOf(IntentLoader.load(full).hosts().keySet());
        // the lab goes when the bench ends, fails or is stopped (Ctrl-C, SIGTERM): a shutdown hook takes it down
        try (LabGuard guard = LabGuard.of("flbench"); SshLab ssh = SshLab.up(Lab.prepare(LabPlan.of("flbench", n), n, Backend.IPTABLES), hosts,
                dir.resolve("ssh"))) {
            System.out.printf("lab: %d hosts reached over SSH from the operator namespace%n", hosts.size());
            for (int i = 0; i < rounds; i++) {
                for (boolean sequential : new boolean[] {false, true}) {
                    String how = sequential ? "one at a time" : "all at once  ";
                    double snap = run(ssh, sequential, "snapshot", full.toString(), "--all", "--inventory", ssh.inventory().toString(), "--out",
                            dir.resolve("snap").toString());
                    double apply = run(ssh, sequential, "apply", full.toString(), "--all", "--inventory", ssh.inventory().toString());
                    double back = run(ssh, sequential, "apply", empty.toString(), "--all", "--inventory", ssh.inventory().toString());
                    System.out.printf("round %d, %s: snapshot --all %.2f s, apply --all from empty %.2f s, back to empty %.2f s (load %s)%n", i + 1, how,
                            snap, apply, back, Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
                }
            }
        } finally {
            RunDirs.deleteTree(dir);
        }
    }

    /** Wall time of one anyloop command in the operator namespace (JVM start included); its phase times go to stdout. */
    private static double run(SshLab ssh, boolean sequential, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ssh.op()));
        List<String> java = new ArrayList<>(ssh.java());
        java.addAll(2, List.of("-Danyloop.fleet.timing=true", "-Danyloop.fleet.threads=" + (sequential ? 1 : 32)));
        argv.addAll(java);
        argv.addAll(List.of(args));
        long t0 = System.nanoTime();
        CommandRunner.Result r = new CommandRunner(Duration.ofSeconds(900)).run(argv, Optional.empty(), Duration.ofSeconds(900));
        double s = (System.nanoTime() - t0) / 1e9;
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", args) + " exited " + r.exit() + ":\n" + r.out() + r.err());
        for (String l : r.err().lines().filter(l -> l.startsWith("fleet: ")).toList()) System.out.println("    " + l);
        return s;
    }
}
