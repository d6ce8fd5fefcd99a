package dev.anyloop.cli;

import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop trace}: the hop-by-hop story of one round trip, as Linux would handle it. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Simulate one round trip and explain every decision: routes (table, prefix, metric, next hop), "
                + "chains and rule numbers, NAT, source selection, the reply path, and the verdict. Exit 0 when reachable, 1 when not.")
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkSource source;

    @Option(names = "--from", required = true, paramLabel = "HOST", description = "the host that sends")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ADDR", description = "destination address, or a service of network.yaml "
            + "(each of its addresses of the families the sender has)")
    String to;

    @Option(names = "--proto", defaultValue = "icmp", paramLabel = "PROTO", description = "icmp (echo), tcp or udp (default icmp)")
    String proto;

    @Option(names = "--port", paramLabel = "PORT", description = "destination port for tcp and udp")
    Optional<String> port;

    @Override
    public Integer call() {
        Network n = source.load(spec.commandLine().getErr());
        List<Flow> flows = new ArrayList<>();
        try {
            for (String dst : Queries.destinations(to, source.intent(), from, n)) flows.add(Queries.flow(from, dst, proto, port, n));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("anyloop: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        Simulator sim = Simulator.of(n);
        boolean all = true;
        for (Flow f : flows) {
            if (flows.size() > 1) spec.commandLine().getOut().println("== " + to + " at " + f.dst());
            RoundTrip rt = sim.roundTrip(f);
            spec.commandLine().getOut().print(rt.render());
            source.provenance().ifPresent(p -> Decisions.lines(rt, p, source.intent().orElseThrow())
                    .forEach(spec.commandLine().getOut()::println));
            spec.commandLine().getOut().println("verdict: " + (rt.reachable() ? "REACHABLE" : "NOT REACHABLE") + " — " + rt.verdict().describe());
            all &= rt.reachable();
        }
        return all ? Main.OK : Main.CHECK_FAILED;
    }
}
