package dev.anyloop.kernel;

import dev.anyloop.lab.LabPlan;
import dev.anyloop.os.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What the kernel suite records to explain a disagreement, when asked: {@code -Danyloop.kernel.diagnose=true}
 * writes DIR/links-after-up.txt (every link and bridge port as lab up left it) and, after a disagreement,
 * DIR/diagnostics.txt (nstat, link counters, neighbour tables) and sends each disagreeing probe again on its
 * own (a flake answers then; a model error does not). {@code -Danyloop.kernel.only=TEXT} keeps only the probes
 * whose text contains TEXT; {@code -Danyloop.kernel.hold=SECONDS} keeps the lab up that long for a look.
 */
final class KernelDiagnostics {
    private static final boolean ON = Boolean.getBoolean("anyloop.kernel.diagnose");

    private final Netns netns;
    private final LabPlan plan;
    private final Path dir;

    KernelDiagnostics(Netns netns, LabPlan plan, Path dir) {
        this.netns = netns;
        this.plan = plan;
        this.dir = dir;
    }

    static List<KernelProbe> only(List<KernelProbe> probes) {
        String only = System.getProperty("anyloop.kernel.only");
        return only == null ? probes : probes.stream().filter(p -> p.toString().contains(only)).toList();
    }

    void linksAfterUp() throws IOException {
        if (!ON) return;
        StringBuilder st = new StringBuilder();
        for (LabPlan.Namespace x : plan.namespaces()) {
            st.append(x.name()).append(": ").append(netns.exec(x.name(), List.of("ip", "-br", "link")).out().replace('\n', ';'))
                    .append(netns.exec(x.name(), List.of("bridge", "link")).out().replace('\n', ';')).append('\n');
        }
        Files.writeString(dir.resolve("links-after-up.txt"), st.toString());
    }

    void after(List<KernelJudge.Disagreement> bad, Function<KernelProbe, KernelProbe.Outcome> send) throws IOException, InterruptedException {
        if (ON && !bad.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (LabPlan.Namespace x : plan.namespaces()) {
                sb.append("## ").append(x.name()).append(" nstat\n").append(netns.exec(x.name(), List.of("nstat", "-asz")).out());
                sb.append("## ").append(x.name()).append(" links\n").append(netns.exec(x.name(), List.of("ip", "-s", "link")).out());
                sb.append("## ").append(x.name()).append(" neigh\n").append(netns.exec(x.name(), List.of("ip", "-s", "neigh")).out());
            }
            for (KernelJudge.Disagreement d : bad) {
                KernelProbe.Outcome again = send.apply(d.probe());
                sb.append("re-probe ").append(d.probe()).append(": ").append(again).append('\n');
                System.out.println("RE-PROBE " + d.network() + ": " + d.probe() + " -> " + again);
            }
            Files.writeString(dir.resolve("diagnostics.txt"), sb.toString());
        }
        Thread.sleep(Long.getLong("anyloop.kernel.hold", 0) * 1000);
    }
}
