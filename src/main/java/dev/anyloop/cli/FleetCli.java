package dev.anyloop.cli;

import dev.anyloop.apply.ApplyException;
import dev.anyloop.apply.Backend;
import dev.anyloop.apply.Engine;
import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.compile.Compiler;
import dev.anyloop.fleet.Fleet;
import dev.anyloop.fleet.FleetApply;
import dev.anyloop.fleet.FleetSnapshot;
import dev.anyloop.fleet.Inventory;
import dev.anyloop.fleet.LiveNetwork;
import dev.anyloop.fleet.Placement;
import dev.anyloop.fleet.Preview;
import dev.anyloop.fleet.Rollout;
import dev.anyloop.fleet.RolloutProof;
import dev.anyloop.intent.Intent;
import dev.anyloop.lab.Lab;
import dev.anyloop.os.SshOptions;
import dev.anyloop.report.Drift;
import dev.anyloop.report.ReportInput;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The fleet forms of snapshot, check, apply and confirm: the same work as on one host, on every host with a
 * target at once. Each prints the skipped hosts first, so nobody mistakes a skipped host for a checked one.
 */
final class FleetCli {
    /** The tools every fleet command needs on a host: reading it takes ip only. */
    private static final List<String> READ_TOOLS = List.of("ip");

    private FleetCli() { }

    /** What every fleet command starts from: the intent, its compiled network, and the hosts opened. */
    private record Start(Intent intent, Network planned, Inventory inventory, Map<String, Placement> placements, Fleet fleet) { }

    private static Start start(Path file, FleetOptions f, List<String> tools, PrintWriter out, PrintWriter err) {
        if (file == null) {
            err.println("anyloop: give network.yaml: the fleet is its hosts");
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        Intent intent = Inputs.intent(file, err);
        Network planned = Compiler.compile(intent);
        Inventory inv = f.inventory(intent.hosts().keySet(), err);
        Map<String, Placement> placements = f.placements(intent.hosts().keySet(), planned, inv, err);
        SshOptions ssh = f.ssh(inv, err);
        for (Placement p : placements.values()) {
            if (p instanceof Placement.Skipped) out.println("skipped: " + p.host() + " (" + ((Placement.Skipped) p).why() + ")");
        }
        out.flush();
        long t0 = System.nanoTime();
        Fleet fleet = Fleet.open(placements, ssh, tools);
        if (Boolean.getBoolean("anyloop.fleet.timing")) System.err.printf("fleet: %-22s %.2f s%n", "connect and check tools", (System.nanoTime() - t0) / 1e9);
        return new Start(intent, planned, inv, placements, fleet);
    }

    private static int problems(Fleet fleet, PrintWriter err, String what) {
        for (Fleet.Problem p : fleet.problems()) err.println("anyloop: " + p.line());
        err.println(what);
        return Main.CONFIG_ERROR;
    }

    /** {@code snapshot FILE --all --out DIR}: every host into DIR/HOST, links.txt from network.yaml's point-to-point segments. */
    static int snapshot(Path file, FleetOptions f, Path outDir, PrintWriter out, PrintWriter err) {
        Start s = start(file, f, READ_TOOLS, out, err);
        try (Fleet fleet = s.fleet()) {
            long t0 = System.nanoTime();
            Map<String, FleetSnapshot.Read> reads = FleetSnapshot.read(fleet, List.copyOf(fleet.targets().keySet()));
            if (Boolean.getBoolean("anyloop.fleet.timing")) System.err.printf("fleet: %-22s %.2f s%n", "read every host", (System.nanoTime() - t0) / 1e9);
            List<String> bad = new ArrayList<>();
            for (Fleet.Problem p : fleet.problems()) bad.add(p.line());
            for (FleetSnapshot.Read r : reads.values()) {
                if (r instanceof FleetSnapshot.Bad) bad.add(r.host() + " (" + fleet.spec(r.host()) + "): " + ((FleetSnapshot.Bad) r).why());
            }
            Map<String, DeviceState> live = FleetSnapshot.states(reads);
            try {
                Files.createDirectories(outDir);
                for (FleetSnapshot.Read r : reads.values()) {
                    if (!(r instanceof FleetSnapshot.Good)) continue;
                    FleetSnapshot.Good g = (FleetSnapshot.Good) r;
                    g.files().writeTo(outDir.resolve(g.host()));
                    out.println("wrote " + outDir.resolve(g.host()) + ": " + g.files().files().size() + " files (" + fleet.spec(g.host()) + ")");
                }
                String links = LiveNetwork.of(live, s.planned()).linksTxt();
                Path lt = outDir.resolve(SnapshotReader.LINKS);
                if (!links.isEmpty()) {
                    Files.writeString(lt, "# point-to-point links from " + file + "\n" + links, StandardCharsets.UTF_8);
                    out.println("wrote " + lt + ": " + links.lines().count() + " links from " + file);
                } else {
                    Files.deleteIfExists(lt);
                }
            } catch (IOException e) {
                err.println("anyloop: cannot write " + outDir + ": " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            for (String b : bad) err.println("anyloop: " + b);
            if (!bad.isEmpty()) {
                err.println(outDir + " lacks " + bad.size() + (bad.size() == 1 ? " host" : " hosts") + " (above)");
                return Main.CHECK_FAILED;
            }
            return Main.OK;
        }
    }

    /** {@code check FILE --live}: the checks of network.yaml on the live network, and each host's drift from its plan. */
    static int checkLive(Path file, FleetOptions f, Optional<Path> keep, boolean verbose, Optional<Path> report, CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Start s = start(file, f, READ_TOOLS, out, err);
        try (Fleet fleet = s.fleet()) {
            if (!fleet.problems().isEmpty()) return problems(fleet, err, "cannot read every host with a target; nothing was checked");
            Map<String, FleetSnapshot.Read> reads = FleetSnapshot.read(fleet, List.copyOf(fleet.targets().keySet()));
            List<String> bad = new ArrayList<>();
            for (FleetSnapshot.Read r : reads.values()) {
                if (r instanceof FleetSnapshot.Bad) bad.add(r.host() + " (" + fleet.spec(r.host()) + "): " + ((FleetSnapshot.Bad) r).why());
            }
            if (!bad.isEmpty()) {
                for (String b : bad) err.println("anyloop: " + b);
                err.println("cannot read every host with a target; nothing was checked");
                return Main.CONFIG_ERROR;
            }
            Map<String, DeviceState> live = FleetSnapshot.states(reads);
            LiveNetwork ln = LiveNetwork.of(live, s.planned());
            if (keep.isPresent()) {
                try {
                    for (FleetSnapshot.Read r : reads.values()) ((FleetSnapshot.Good) r).files().writeTo(keep.get().resolve(r.host()));
                    if (!ln.linksTxt().isEmpty()) Files.writeString(keep.get().resolve(SnapshotReader.LINKS), ln.linksTxt());
                } catch (IOException e) {
                    err.println("anyloop: cannot write " + keep.get() + ": " + e.getMessage());
                    return Main.CONFIG_ERROR;
                }
            }
            for (String h : ln.assumed()) out.println("note: " + h + " was not read: simulated as network.yaml plans it");
            List<Finding> findings = Checker.run(s.intent(), ln.network());
            int failed = 0, notes = 0;
            for (Finding x : findings) {
                if (x.kind() == Finding.Kind.PASS && !verbose) continue;
                out.println(x.line());
                if (x.kind() != Finding.Kind.PASS) x.proof().ifPresent(rt -> out.print(CheckCommand.indent(rt.render())));
                if (x.failed()) failed++;
                if (x.kind() == Finding.Kind.NOTE) notes++;
            }
            int drifted = 0;
            for (DeviceState planned : s.planned().hosts().values()) {
                if (!live.containsKey(planned.host())) continue;
                Drift d = Drift.of(planned, Optional.of(live.get(planned.host())));
                if (d.none()) continue;
                drifted++;
                out.println("drift: " + d.host() + " (" + fleet.spec(d.host()) + ")");
                for (String m : d.missing()) out.println("  missing: " + m);
                for (String x : d.extra()) out.println("  extra:   " + x);
            }
            long passed = findings.stream().filter(x -> x.kind() == Finding.Kind.PASS).count();
            out.printf("check --live: %d hosts read, %d skipped; %d passed, %d failed, %d notes; %d hosts drift from their plan%n", live.size(),
                    s.placements().size() - live.size(), passed, failed, notes, drifted);
            report.ifPresent(r -> Reports.write(spec, r, new ReportInput("live network against " + file, Reports.command(spec, file.toString(), "--live",
                    "--report", r.toString()), ln.network(), Optional.of(s.intent()), Optional.of(s.planned()), Optional.of(findings), List.of(),
                    Reports.why(s.intent(), s.planned()), ln.assumed().isEmpty() ? List.of("Checks ran on the live network, read from every host.")
                    : List.of("Checks ran on the live network; not read, simulated as planned: " + String.join(", ", ln.assumed()) + "."))));
            return failed == 0 ? Main.OK : Main.CHECK_FAILED;
        }
    }

    /** {@code apply FILE --all}: preview, proof, then the rollout (see {@link FleetApply}). */
    static int apply(Path file, FleetOptions f, Path stateDir, Optional<Backend> backend, OptionalInt confirm, boolean dryRun, boolean json, boolean force,
                     Optional<Path> report, CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter text = json ? new PrintWriter(java.io.Writer.nullWriter()) : out;
        Start s = start(file, f, tools(backend), text, err);
        List<Finding> failedChecks = Checker.run(s.intent(), s.planned()).stream().filter(Finding::failed).toList();
        if (!failedChecks.isEmpty() && !force) {
            for (Finding x : failedChecks) {
                text.println(x.line());
                x.proof().ifPresent(rt -> text.print(CheckCommand.indent(rt.render())));
            }
            s.fleet().close();
            return finish(json, out, err, new LinkedHashMap<>(Map.of("changed", false, "exit", Main.CHECK_FAILED,
                    "error", failedChecks.size() + " checks of " + file + " fail, so nothing was applied (--force applies anyway)")), Main.CHECK_FAILED);
        }
        Path dir = stateDir != null ? stateDir : f.lab != null ? Lab.stateDir(f.lab) : Engine.defaultStateDir();
        FleetApply.Result r;
        try (Fleet fleet = s.fleet()) {
            r = FleetApply.run(s.intent(), s.planned(), fleet, new FleetApply.Settings(backend, confirm, dryRun, force, dir, f.lab == null,
                    Duration.ofSeconds(10)), text);
        }
        if (!json) printApply(r, dryRun, out, err);
        else Outcomes.print(out, json(r, s));
        if (report.isPresent() && r.live().isPresent()) {
            if (!dryRun) {
                err.println("anyloop: --report goes with --dry-run (the page shows the live network against the plan before apply)");
            } else {
                List<String> notes = new ArrayList<>();
                r.preview().ifPresent(p -> notes.add(p.changes().size() + " verdicts would change if applied: "
                        + String.join("; ", p.changes().stream().limit(50).map(Preview.Change::line).toList())));
                Network live = r.live().get().network();
                Reports.write(spec, report.get(), new ReportInput("apply --all --dry-run: live network against " + file,
                        Reports.command(spec, file.toString(), "--all", "--dry-run", "--report", report.get().toString()), live, Optional.of(s.intent()),
                        Optional.of(s.planned()), Optional.of(Checker.run(s.intent(), live)), List.of(), Reports.why(s.intent(), s.planned()), notes));
            }
        }
        return r.exit();
    }

    /**
     * {@code apply FILE --host H --dry-run --report FILE}: the page of the network with H as it is live (read from
     * its target) and every other host as planned, checked, against the plan.
     */
    static void hostReport(CommandSpec spec, Path file, Intent intent, Network planned, String host, dev.anyloop.os.Target target, Path report) {
        FleetSnapshot.Read r = FleetSnapshot.readOne(host, target);
        if (!(r instanceof FleetSnapshot.Good)) {
            spec.commandLine().getErr().println("anyloop: --report: " + ((FleetSnapshot.Bad) r).why());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
        LiveNetwork ln = LiveNetwork.of(Map.of(host, ((FleetSnapshot.Good) r).state()), planned);
        Reports.write(spec, report, new ReportInput("apply --dry-run: " + host + " live against " + file,
                Reports.command(spec, file.toString(), "--host", host, "--dry-run", "--report", report.toString()), ln.network(), Optional.of(intent),
                Optional.of(planned), Optional.of(Checker.run(intent, ln.network())), List.of(), Reports.why(intent, planned),
                List.of(host + " is as read from " + target.describe() + "; every other host as network.yaml plans it.")));
    }

    private static int finish(boolean json, PrintWriter out, PrintWriter err, Map<String, Object> m, int exit) {
        if (json) Outcomes.print(out, m);
        else err.println("anyloop: " + m.get("error"));
        return exit;
    }

    private static List<String> tools(Optional<Backend> backend) {
        if (backend.isPresent() && backend.get() == Backend.NFT) return List.of("ip", "nft");
        return List.of("ip", "iptables-save", "iptables-restore");
    }

    private static void printApply(FleetApply.Result r, boolean dryRun, PrintWriter out, PrintWriter err) {
        r.preview().ifPresent(p -> {
            out.println("preview: " + p.changes().size() + (p.changes().size() == 1 ? " verdict changes" : " verdicts change") + " (of " + p.queries()
                    + " client x address x port queries)");
            for (Preview.Change c : p.changes()) out.println("  " + c.line());
        });
        r.plan().ifPresent(plan -> {
            if (plan.isEmpty()) {
                out.println("plan: every host is in sync, nothing to do");
                return;
            }
            for (Rollout.Wave w : Rollout.Wave.values()) {
                List<Rollout.Step> steps = plan.waves().get(w);
                if (!steps.isEmpty()) out.println("plan: wave " + w.what() + ": " + String.join(", ", steps.stream().map(Rollout.Step::host).toList()));
            }
        });
        r.proof().ifPresent(p -> out.println(p.safe() ? "proved: " + p.queries() + " queries reachable before and after stay reachable in every one of "
                + p.states() + " states the rollout can pass through (" + p.roundTrips() + " simulated round trips)"
                : "NOT SAFE: " + p.violations().size() + " ways a client of a service that stays is cut off during the rollout"));
        for (String m : r.messages()) out.println(m);
        for (FleetApply.HostResult h : r.hosts().values()) {
            if (h.waves().isEmpty() && h.error().isEmpty() && h.notes().isEmpty()) continue;
            out.println(h.host() + " (" + h.target() + "): " + (h.error().isPresent() ? "FAILED: " + h.error().get()
                    : h.waves().isEmpty() ? "unchanged" : "changed in " + String.join(", ", h.waves())));
            for (String c : h.changes()) out.println("    " + c);
            for (String n : h.notes()) out.println("    note: " + n);
        }
        if (r.failure().isPresent()) err.println("anyloop: " + r.failure().get());
        else if (dryRun) out.println(r.plan().map(Rollout.Plan::isEmpty).orElse(true) ? "dry run: nothing would change" : "dry run: nothing was changed");
        else out.println(r.changed() ? "applied on " + r.hosts().values().stream().filter(FleetApply.HostResult::changed).count() + " hosts" : "no changes");
    }

    /** {"changed": bool, "exit": N, "hosts": [...], "skipped": [...], "preview": [...], "proof": {...}, "error": ...}. */
    private static Map<String, Object> json(FleetApply.Result r, Start s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", r.changed());
        m.put("exit", r.exit());
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (FleetApply.HostResult h : r.hosts().values()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("host", h.host());
            x.put("target", h.target());
            x.put("changed", h.changed() && r.exit() == 0);
            x.put("waves", h.waves());
            x.put("changes", h.changes());
            x.put("error", h.error().orElse(null));
            x.put("notes", h.notes());
            hosts.add(x);
        }
        m.put("hosts", hosts);
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (Placement p : s.placements().values()) {
            if (p instanceof Placement.Skipped) skipped.add(Map.of("host", p.host(), "why", ((Placement.Skipped) p).why()));
        }
        m.put("skipped", skipped);
        m.put("preview", r.preview().map(p -> p.changes().stream().map(Preview.Change::json).toList()).orElse(List.of()));
        r.plan().ifPresent(plan -> {
            Map<String, Object> waves = new LinkedHashMap<>();
            for (Rollout.Wave w : Rollout.Wave.values()) waves.put(w.word(), plan.waves().get(w).stream().map(Rollout.Step::host).toList());
            m.put("plan", waves);
        });
        r.proof().ifPresent(p -> m.put("proof", Map.of("safe", p.safe(), "states", p.states(), "queries", p.queries(),
                "violations", p.violations().stream().map(RolloutProof.Violation::line).toList())));
        m.put("messages", r.messages());
        m.put("error", r.failure().orElse(null));
        return m;
    }

    /** {@code confirm FILE --all}: keeps the change on every host that awaits confirmation. */
    static int confirm(Path file, FleetOptions f, Path stateDir, PrintWriter out, PrintWriter err) {
        Start s = start(file, f, READ_TOOLS, out, err);
        Path dir = stateDir != null ? stateDir : f.lab != null ? Lab.stateDir(f.lab) : Engine.defaultStateDir();
        try (Fleet fleet = s.fleet()) {
            if (!fleet.problems().isEmpty()) {
                for (Fleet.Problem p : fleet.problems()) err.println("anyloop: " + p.line() + ": not confirmed (its timer rolls it back)");
            }
            Map<String, Object> r = fleet.each(List.copyOf(fleet.targets().keySet()), (h, t) -> {
                try {
                    return new Engine(t, dir).confirm();
                } catch (ApplyException e) {
                    return new IllegalStateException(e.getMessage());
                }
            });
            int exit = fleet.problems().isEmpty() ? Main.OK : Main.CHECK_FAILED;
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (e.getValue() instanceof Engine.Outcome) {
                    Engine.Outcome o = (Engine.Outcome) e.getValue();
                    for (String n : o.notes()) out.println(e.getKey() + ": " + n);
                    if (o.exit() != 0) exit = Main.CHECK_FAILED;
                } else {
                    err.println("anyloop: " + e.getKey() + " (" + fleet.spec(e.getKey()) + "): " + ((Throwable) e.getValue()).getMessage());
                    exit = Main.CHECK_FAILED;
                }
            }
            return exit;
        }
    }
}
