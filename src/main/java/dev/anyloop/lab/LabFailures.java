package dev.anyloop.lab;

import dev.anyloop.os.CommandRunner;
import dev.anyloop.os.Netns;
import dev.anyloop.os.RunDirs;
import dev.anyloop.state.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links taken down in a running lab, and how to bring the lab back. Both live in the lab's run
 * directory, not in memory, because {@code lab fail} and {@code lab restore} run in different
 * processes: {@code failed} lists each {@code host:dev} taken down, and {@code hosts/HOST.ip} (and
 * {@code .ip6}) hold the ip batch {@code lab up} applied to each host, which restore applies again.
 */
final class LabFailures {
    static final String FAILED = "failed";
    static final String HOSTS = "hosts";

    private LabFailures() { }

    /** Keeps what {@code lab up} applied to {@code host}, for {@link #restore}. */
    static void saveBatches(Path runDir, String host, String ip, String ip6Rules) {
        RunDirs.write(runDir.resolve(HOSTS).resolve(host + ".ip"), ip);
        if (!ip6Rules.isEmpty()) RunDirs.write(runDir.resolve(HOSTS).resolve(host + ".ip6"), ip6Rules);
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

    /** What {@link #restore} did: the links it brought up and how many hosts' addresses and routes it re-applied. */
    record Restored(List<Lab.Iface> up, int hosts) { }

    /**
     * Brings every recorded link up, then re-applies every host's addresses and routes as {@code lab up}
     * applied them (the kernel deleted the routes through a link when it went down; routes withdrawn by
     * a drain or by hand come back too), and flushes every host's neighbour cache: a neighbour that
     * stopped answering sits in FAILED state and the kernel answers "no route to host" for it until the
     * entry is probed again.
     */
    static Restored restore(Netns os, Path runDir, String lab, int threads) {
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
        List<String> hosts = savedHosts(runDir).stream().filter(h -> existing.contains(LabPlan.prefix(lab) + h)).toList();
        Parallel.each(hosts, threads, h -> {
            String ns = LabPlan.prefix(lab) + h;
            RunDirs.read(runDir.resolve(HOSTS).resolve(h + ".ip")).ifPresent(b -> tolerateExisting(os.batch(ns, b, true, false)));
            RunDirs.read(runDir.resolve(HOSTS).resolve(h + ".ip6")).ifPresent(b -> tolerateExisting(os.batch(ns, b, true, true)));
            os.batch(ns, "neigh flush all\n", false).orThrow();
        });
        RunDirs.write(runDir.resolve(FAILED), "");
        return new Restored(failed, hosts.size());
    }

    /** Deletes {@code routes} of {@code host} in one ip batch. */
    static void deleteRoutes(Netns os, String ns, List<Route> routes) {
        if (routes.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (Route r : routes) sb.append(Netns.batchLine(routeWords("del", r))).append('\n');
        os.batch(ns, sb.toString(), false).orThrow();
    }

    /** {@code route VERB DST via GW dev DEV proto P metric M}, from a validated route (its first next hop). */
    static List<String> routeWords(String verb, Route r) {
        List<String> words = new ArrayList<>(List.of("route", verb, r.dst().toString()));
        r.nexthops().get(0).via().ifPresent(v -> words.addAll(List.of("via", v.toString())));
        words.addAll(List.of("dev", r.nexthops().get(0).dev(), "proto", r.proto(), "metric", Integer.toUnsignedString(r.metric())));
        return words;
    }

    /** Fails on any error but "File exists" and "already assigned": re-applying what is there is not one. */
    static void tolerateExisting(CommandRunner.Result r) {
        if (r.ok()) return;
        List<String> errors = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("Command failed")
                && !l.contains("File exists") && !l.contains("already assigned")).toList();
        if (!errors.isEmpty()) throw new CommandRunner.CommandFailedException(r);
    }

    /** Hosts whose ip batch {@code lab up} saved. */
    private static List<String> savedHosts(Path runDir) {
        return RunDirs.list(runDir.resolve(HOSTS)).stream().filter(f -> f.endsWith(".ip"))
                .map(f -> f.substring(0, f.length() - 3)).sorted().toList();
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
