package dev.anyloop.lab;

import dev.anyloop.apply.Backend;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links taken down in a running lab, and what a later process needs to bring them back. Both live in the
 * lab's run directory, not in memory, because {@code lab fail} and {@code lab restore} run in different
 * processes: {@code failed} lists each {@code host:dev} taken down, {@code hosts} the lab's hosts, and
 * {@code backend} the firewall backend {@code lab up} used.
 */
final class LabFailures {
    static final String FAILED = "failed";
    static final String HOSTS = "hosts";
    static final String BACKEND = "backend";

    private LabFailures() { }

    /** Keeps the hosts and the backend of a lab being built, for {@code lab fail} and {@code lab restore} in other processes. */
    static void saveBackend(Path runDir, Backend backend) { RunDirs.write(runDir.resolve(BACKEND), backend.name() + "\n"); }

    static void saveHosts(Path runDir, List<String> hosts) { RunDirs.write(runDir.resolve(HOSTS), String.join("\n", hosts) + "\n"); }

    /** The backend {@code lab up} used (iptables when it did not say). */
    static Backend backend(Path runDir) {
        return RunDirs.read(runDir.resolve(BACKEND)).map(String::strip).filter(b -> !b.isEmpty()).map(Backend::valueOf).orElse(Backend.IPTABLES);
    }

    /** The failed links recorded for the lab in {@code runDir}, in the order they were failed. */
    static List<Lab.Iface> recorded(Path runDir) {
        return RunDirs.read(runDir.resolve(FAILED)).map(LabFailures::parse).orElse(List.of());
    }

    /** One {@code host:dev} a line. */
    static String format(Iterable<Lab.Iface> failed) {
        StringBuilder sb = new StringBuilder();
        for (Lab.Iface i : failed) sb.append(i).append('\n');
        return sb.toString();
    }

    /** Reads {@link #format} output; blank lines are skipped, anything else that is not {@code host:dev} throws. */
    static List<Lab.Iface> parse(String text) {
        List<Lab.Iface> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) out.add(Lab.Iface.parse(line.strip()));
        }
        return out;
    }

    /**
     * Takes {@code dev} of {@code host}, or every interface it has (lo aside), down. The record is written
     * first, so that a crash between the two still leaves restore something to bring back.
     */
    static List<Lab.Iface> fail(Netns os, Path runDir, String lab, String host, Optional<String> dev) {
        String ns = hostNamespace(os, runDir, lab, host);
        List<String> present = os.links(ns);
        List<String> devs;
        if (dev.isPresent()) {
            if (!present.contains(dev.get()) || dev.get().equals("lo")) {
                throw new IllegalArgumentException("host " + host + " has no lab interface '" + dev.get() + "'");
            }
            devs = List.of(dev.get());
        } else {
            devs = present.stream().filter(d -> !d.equals("lo")).toList();
        }
        List<Lab.Iface> taken = devs.stream().map(d -> new Lab.Iface(host, d)).toList();
        Set<Lab.Iface> all = new LinkedHashSet<>(recorded(runDir));
        all.addAll(taken);
        RunDirs.write(runDir.resolve(FAILED), format(all));
        StringBuilder batch = new StringBuilder();
        for (String d : devs) batch.append("link set dev ").append(d).append(" down\n");
        os.batch(ns, batch.toString(), false).orThrow();
        return taken;
    }

    /** Brings every recorded link up (the hosts that are still there) and clears the record; returns them. */
    static List<Lab.Iface> linksUp(Netns os, Path runDir, String lab) {
        List<Lab.Iface> failed = recorded(runDir);
        Map<String, StringBuilder> up = new LinkedHashMap<>();
        for (Lab.Iface i : failed) {
            up.computeIfAbsent(i.host(), h -> new StringBuilder()).append("link set dev ").append(i.dev()).append(" up\n");
        }
        List<String> existing = os.list();
        for (Map.Entry<String, StringBuilder> e : up.entrySet()) {
            String ns = LabPlan.prefix(lab) + e.getKey();
            if (existing.contains(ns)) os.batch(ns, e.getValue().toString(), false).orThrow();
        }
        RunDirs.write(runDir.resolve(FAILED), "");
        return failed;
    }

    /** Fails on any error but "File exists" and "already assigned": re-applying what is there is not one. */
    static void tolerateExisting(CommandRunner.Result r) {
        if (r.ok()) return;
        List<String> errors = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("Command failed")
                && !l.contains("File exists") && !l.contains("already assigned")).toList();
        if (!errors.isEmpty()) throw new CommandRunner.CommandFailedException(r);
    }

    /** The hosts {@code lab up} recorded. */
    private static List<String> savedHosts(Path runDir) {
        return RunDirs.read(runDir.resolve(HOSTS)).map(t -> t.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList())
                .orElse(List.of());
    }

    /** {@code host}'s namespace, after checking the lab is up and {@code host} is one of its hosts (not a switch). */
    private static String hostNamespace(Netns os, Path runDir, String lab, String host) {
        String ns = Netns.check(LabPlan.prefix(LabPlan.checkLabName(lab)) + host);
        List<String> existing = os.list();
        if (existing.stream().noneMatch(n -> n.startsWith(LabPlan.prefix(lab)))) throw Lab.NotUpException.of(lab);
        if (!existing.contains(ns) || !savedHosts(runDir).contains(host)) {
            throw new IllegalArgumentException("lab " + lab + " has no host '" + host + "' (hosts: " + String.join(", ", savedHosts(runDir)) + ")");
        }
        return ns;
    }
}
