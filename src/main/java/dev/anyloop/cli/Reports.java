package dev.anyloop.cli;

import dev.anyloop.check.Finding;
import dev.anyloop.intent.Intent;
import dev.anyloop.report.ProbeRow;
import dev.anyloop.report.ReportInput;
import dev.anyloop.report.ReportPage;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Builds and writes the report page for report, check --report and lab probe --report. */
final class Reports {
    private Reports() { }

    /** The "what and why" lines of plan for each host of {@code planned}. */
    static Map<String, List<String>> why(Intent intent, Network planned) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        // why each route and rule exists, as the compiler recorded it for the same intent
        var provenance = dev.anyloop.compile.Compiler.compiled(intent).provenance();
        for (DeviceState d : planned.hosts().values()) out.put(d.host(), PlanText.why(intent, provenance, d));
        return out;
    }

    /** The page for a compiled network.yaml, with its findings and, from lab probe, the kernel's answers. */
    static ReportInput compiled(String title, String command, Intent intent, Network n, List<Finding> findings, List<ProbeRow> probes) {
        return new ReportInput(title, command, n, Optional.of(intent), Optional.empty(), Optional.of(findings), probes, why(intent, n),
                List.of());
    }

    static void write(CommandSpec spec, Path out, ReportInput in) {
        String html = ReportPage.render(in);
        Outputs.writeFile(spec, out, html);
        spec.commandLine().getErr().println("wrote " + out + " (" + html.getBytes(StandardCharsets.UTF_8).length + " bytes)");
    }

    /** "anyloop check home.yaml": the command line a page names as its maker. */
    static String command(CommandSpec spec, String... args) {
        StringBuilder sb = new StringBuilder("anyloop");
        for (CommandSpec s = spec; s != null && s.parent() != null; s = s.parent()) sb.insert(7, " " + s.name());
        for (String a : args) sb.append(' ').append(a);
        return sb.toString();
    }
}
