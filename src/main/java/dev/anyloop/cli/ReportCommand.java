package dev.anyloop.cli;

import dev.anyloop.check.Checker;
import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.report.ProbeRow;
import dev.anyloop.report.ReportInput;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop report (FILE | --snapshot DIR | both) --out report.html [--probe-results FILE]}: the network on one page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page (no network fetches, strict Content-Security-Policy): the topology "
                + "(click a host for its plan; with FILE and --snapshot, its drift from the plan), per service its hosts in failover "
                + "order, who reaches it (client x port) and who still does with each host down, every check finding with its trace, "
                + "and with --probe-results the kernel's answers beside the simulator's. Exit 0 when the page was written and every "
                + "check holds, 1 when a check failed, 2 on bad input.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Sources sources;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the HTML file to write")
    Path out;

    @Option(names = "--probe-results", paramLabel = "FILE", description = "the output of 'anyloop lab probe FILE --json'")
    Path probeResults;

    @Override
    public Integer call() {
        Sources.Loaded in = sources.load(spec.commandLine().getErr());
        List<ProbeRow> probes = probeResults == null ? List.of() : probes();
        List<String> notes = new ArrayList<>();
        Optional<List<Finding>> findings = Optional.empty();
        Map<String, List<String>> why = Map.of();
        if (in.intent().isPresent()) {
            Intent intent = in.intent().get();
            Network planned = in.planned().orElse(in.network());
            why = Reports.why(intent, planned);
            List<String> absent = intent.hosts().keySet().stream().filter(h -> !in.network().hosts().containsKey(h)).toList();
            if (absent.isEmpty()) {
                findings = Optional.of(Checker.run(intent, in.network()));
                if (in.planned().isPresent()) notes.add("Checks ran on the live network (the snapshot), as network.yaml derives them.");
            } else {
                findings = Optional.of(Checker.run(intent, planned));
                notes.add("Checks ran on the plan, not on the snapshot: it has no host " + String.join(", ", absent) + ".");
            }
        }
        ReportInput page = new ReportInput(in.title(), Reports.command(spec, args()), in.network(), in.intent(), in.planned(), findings,
                probes, why, notes);
        Reports.write(spec, out, page);
        return findings.map(fs -> fs.stream().anyMatch(Finding::failed)).orElse(false) ? Main.CHECK_FAILED : Main.OK;
    }

    private String[] args() {
        List<String> a = new ArrayList<>();
        if (sources.file != null) a.add(sources.file.toString());
        if (sources.snapshot != null) a.addAll(List.of("--snapshot", sources.snapshot.toString()));
        a.addAll(List.of("--out", out.toString()));
        if (probeResults != null) a.addAll(List.of("--probe-results", probeResults.toString()));
        return a.toArray(new String[0]);
    }

    private List<ProbeRow> probes() {
        try {
            return ProbeRow.read(probeResults.toString(), Files.readString(probeResults, StandardCharsets.UTF_8));
        } catch (IOException e) {
            spec.commandLine().getErr().println("anyloop: cannot read " + probeResults + ": " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        } catch (ProbeRow.BadResults e) {
            spec.commandLine().getErr().println("anyloop: " + e.getMessage());
            throw new Inputs.Exit(Main.CONFIG_ERROR);
        }
    }
}
