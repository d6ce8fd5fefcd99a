package dev.anyloop.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.check.Checker;
import dev.anyloop.compile.Compiler;
import dev.anyloop.intent.Intent;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.lab.LabProbe;
import dev.anyloop.os.Tools;
import dev.anyloop.report.ProbeRow;
import dev.anyloop.state.Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lab probe FILE [--name N] [--json]}: every query check derives, as real packets in a running lab, simulator beside kernel. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Send every query 'check' derives from FILE (expect: entries, T3-T8, failover) as real packets inside the "
                + "running lab, and print the simulator's verdict beside the kernel's. Failover queries drain their host "
                + "(interfaces down, routes withdrawn) and restore it after. Exit 0 when the two agree on every query and every "
                + "expectation holds, 1 otherwise, 2 when the lab is not up.")
final class LabProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the network.yaml the lab was built from")
    Path file;

    @picocli.CommandLine.Mixin
    LabName labName;

    @Option(names = "--json", description = "print one JSON document instead of lines")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE",
            description = "also write one HTML page: the checks, and every query's kernel answer beside the simulator's")
    Path report;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Tools.isRoot()) {
            err.println("anyloop lab probe: needs root (it runs commands inside the lab's network namespaces)");
            return Main.CONFIG_ERROR;
        }
        Intent intent = Inputs.intent(file, err);
        Network n = Compiler.compile(intent);
        Lab lab;
        try {
            lab = Lab.attach(LabPlan.of(labName.name, n), n);
        } catch (IllegalArgumentException | Lab.NotUpException e) {
            err.println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        List<Lab.Iface> failed = lab.failed();
        LabProbe.Plan plan = LabProbe.queries(intent, n, failed);
        List<LabProbe.Result> results = LabProbe.run(lab, plan.queries());
        LabProbe.Summary summary = LabProbe.Summary.of(results);
        if (report != null) {
            Reports.write(spec, report, Reports.compiled("lab " + labName.name + " from " + file,
                    Reports.command(spec, file.toString(), "--name", labName.name, "--report", report.toString()), intent, n,
                    Checker.run(intent, n), results.stream().map(ProbeRow::of).toList()));
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("lab", labName.name);
            doc.put("failed", failed.stream().map(Lab.Iface::toString).toList());
            doc.put("skipped", plan.skipped());
            doc.put("results", results.stream().map(LabProbe.Result::toJson).toList());
            doc.put("summary", summary.toJson());
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            if (!failed.isEmpty()) out.println("lab " + labName.name + " has failed interfaces " + failed + ": the simulator models them down");
            plan.skipped().forEach(s -> out.println("skipped " + s));
            results.forEach(r -> out.println(r.line()));
            out.println(summary.line());
        }
        return summary.ok() ? Main.OK : Main.CHECK_FAILED;
    }
}
