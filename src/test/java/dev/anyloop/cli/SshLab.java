package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lab whose hosts are reached over SSH, as real ones are: Debian's sshd in every host namespace, and an
 * operator namespace where anyloop runs. They meet on a management network of their own (a bridge in a
 * namespace of its own, 172.31.255.0/24, interface {@code mg0} on each host), apart from the lab's segments
 * and, like every lab namespace, never connected to the root namespace. The snapshot sees {@code mg0}: the
 * simulator models it as the segment it is (its prefix reaches nothing of network.yaml). Keys, host keys,
 * known_hosts and the inventory are made here; everything goes with the lab's namespaces ({@code al-LAB-*}).
 */
public final class SshLab implements AutoCloseable {
    static final String PREFIX = "172.31.255.";
    private static final Netns OS = new Netns(new CommandRunner(Duration.ofSeconds(60)));

    private final Lab lab;
    private final Path dir;
    private final Map<String, Sshd> sshd = new LinkedHashMap<>();
    private final Map<String, String> address = new LinkedHashMap<>();
    private Path key;

    private SshLab(Lab lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
    }

    public String op() { return LabPlan.prefix(lab.plan().lab()) + "op"; }

    private String mgmt() { return LabPlan.prefix(lab.plan().lab()) + "mgmt"; }

    /** Adds the management network and an sshd on every host of {@code hosts} (in order: 172.31.255.10, .11, ...). */
    public static SshLab up(Lab lab, List<String> hosts, Path dir) throws IOException {
        SshLab s = new SshLab(lab, dir);
        try {
            s.build(hosts);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void build(List<String> hosts) throws IOException {
        OS.add(List.of(op(), mgmt()));
        StringBuilder root = new StringBuilder("link add mgbr netns " + mgmt() + " type bridge\n");
        root.append("link add op0 netns ").append(op()).append(" type veth peer name mgop netns ").append(mgmt()).append('\n');
        StringBuilder bridge = new StringBuilder("link set lo up\nlink set mgbr up\nlink set mgop master mgbr\nlink set mgop up\n");
        for (int i = 0; i < hosts.size(); i++) {
            String ns = lab.plan().namespaceOf(hosts.get(i));
            root.append("link add mg0 netns ").append(ns).append(" type veth peer name mgp").append(i).append(" netns ").append(mgmt()).append('\n');
            bridge.append("link set mgp").append(i).append(" master mgbr\nlink set mgp").append(i).append(" up\n");
            address.put(hosts.get(i), PREFIX + (10 + i));
        }
        OS.rootBatch(root.toString()).orThrow();
        OS.batch(mgmt(), bridge.toString(), false).orThrow();
        OS.batch(op(), "link set lo up\naddress add " + PREFIX + "1/24 dev op0\nlink set op0 up\n", false).orThrow();
        key = Sshd.clientKey(dir.resolve("client"));
        StringBuilder known = new StringBuilder();
        StringBuilder inventory = new StringBuilder("hosts:\n");
        for (String h : hosts) {
            OS.batch(lab.plan().namespaceOf(h), "address add " + address.get(h) + "/24 dev mg0\nlink set mg0 up\n", false).orThrow();
            Sshd d = Sshd.prepare(dir.resolve("sshd-" + h), Optional.of(lab.plan().namespaceOf(h)), address.get(h), 22, key).start();
            sshd.put(h, d);
            known.append(d.knownHostsLine());
            inventory.append("  ").append(h).append(": ssh://root@").append(address.get(h)).append('\n');
        }
        inventory.append("ssh:\n  known-hosts: known_hosts\n  identity: [client/id_ed25519]\n  connect-timeout: 3\n");
        Files.writeString(knownHosts(), known.toString());
        Files.writeString(inventory(), inventory.toString());
    }

    Path knownHosts() { return dir.resolve("known_hosts"); }

    public Path inventory() { return dir.resolve("inventory.yaml"); }

    Path key() { return key; }

    String address(String host) { return address.get(host); }

    Sshd sshd(String host) { return sshd.get(host); }

    /** Runs the anyloop command line in the operator namespace (its own JVM there), with {@code env} set. */
    Cli run(Map<String, String> env, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(java());
        argv.addAll(List.of(args));
        CommandRunner.Result r = OS.exec(op(), argv, Optional.empty(), timeout);
        return new Cli(r.exit(), r.out(), r.err());
    }

    Cli run(String... args) { return run(Map.of(), Duration.ofSeconds(120), args); }

    /** The command that starts anyloop's Main with this test's classes (a background process for the crash tests). */
    public List<String> java() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.anyloop.cli.Main");
    }

    /** Starts a process inside the operator namespace (the caller ends it). */
    Process start(List<String> argv) { return OS.start(op(), argv); }

    @Override
    public void close() {
        for (Sshd d : sshd.values()) d.close();
        // the lab's own down removes op and mgmt too (they carry its prefix) and kills what runs in them
    }
}
