package dev.anyloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.net.Ip;
import dev.anyloop.sim.Flow;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anyloop reach}: many round trips at once, as JSON lines or as a sources x services matrix. */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = "Answer reachability queries. --queries FILE has one 'FROM_HOST DEST_ADDR PROTO [PORT]' a line; "
                + "or give one query with --from/--to/--proto/--port. --json prints one object a line; --matrix prints "
                + "hosts x service addresses. Exit 0 when every query was answered (reachable or not).")
final class ReachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetworkSource source;

    @Option(names = "--queries", paramLabel = "FILE", description = "query file")
    Path queries;

    @Option(names = "--from", paramLabel = "HOST", description = "one query: the host that sends") String from;
    @Option(names = "--to", paramLabel = "ADDR", description = "one query: destination address") String to;
    @Option(names = "--proto", defaultValue = "icmp", paramLabel = "PROTO", description = "one query: icmp, tcp or udp (default icmp)") String proto;
    @Option(names = "--port", paramLabel = "PORT", description = "one query: destination port for tcp and udp") Optional<String> port;

    @Option(names = "--json", description = "one JSON object a line with from, to, proto, port, reachable, verdict, trace")
    boolean json;

    @Option(names = "--matrix", description = "a table: every host x every address some other host serves on lo (icmp)")
    boolean matrix;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Network n = source.load(err);
        Simulator sim = Simulator.of(n);
        if (matrix && (queries != null || from != null || to != null)) {
            err.println("anyloop: --matrix answers every host x every loopback address; give it without --queries/--from/--to");
            return Main.CONFIG_ERROR;
        }
        if (matrix) {
            out.print(Matrix.render(n, sim));
            return Main.OK;
        }
        List<Flow> flows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (queries != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(queries, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("anyloop: cannot read " + queries + ": " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            flows.addAll(Queries.parse(queries.toString(), lines, n, errors));
        } else if (from != null && to != null) {
            try {
                for (String dst : Queries.destinations(to, source.intent(), from, n)) flows.add(Queries.flow(from, dst, proto, port, n));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        } else {
            err.println("anyloop: give --queries FILE, or --from HOST --to ADDR [--proto P --port N], or --matrix");
            return Main.CONFIG_ERROR;
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println("anyloop: " + e));
            return Main.CONFIG_ERROR;
        }
        ObjectMapper mapper = new ObjectMapper();
        for (Flow f : flows) {
            RoundTrip rt = sim.roundTrip(f);
            if (json) {
                out.println(mapper.writeValueAsString(toJson(rt)));
            } else {
                out.println(f + ": " + (rt.reachable() ? "reachable" : "NOT reachable — " + rt.verdict().describe()));
            }
        }
        return Main.OK;
    }

    static Map<String, Object> toJson(RoundTrip rt) {
        Map<String, Object> m = new LinkedHashMap<>();
        Flow f = rt.flow();
        m.put("from", f.from());
        m.put("to", f.dst().toString());
        m.put("proto", f.proto().word());
        m.put("port", f.proto() == dev.anyloop.net.Proto.ICMP ? null : f.port());
        m.put("reachable", rt.reachable());
        m.put("verdict", rt.verdict().kind());
        m.put("reason", rt.verdict().describe());
        Map<String, Object> traces = rt.toJson();
        m.put("decided_by", traces.get("verdict"));
        m.put("request", traces.get("request"));
        if (traces.containsKey("reply")) m.put("reply", traces.get("reply"));
        return m;
    }

    /** Every host x every non-interface address on some host's lo: "ok" when an echo round trip succeeds. */
    static final class Matrix {
        private Matrix() { }

        static String render(Network n, Simulator sim) {
            List<Ip> targets = new ArrayList<>();
            for (var d : n.hosts().values()) {
                for (var a : d.addresses()) {
                    Ip ip = a.address().ip();
                    if (a.dev().equals("lo") && !ip.isLoopback() && !targets.contains(ip)) targets.add(ip);
                }
            }
            StringBuilder sb = new StringBuilder(String.format("%-16s", "from \\ to"));
            for (Ip t : targets) sb.append(String.format(" %-16s", t));
            sb.append('\n');
            for (String h : n.hosts().keySet()) {
                sb.append(String.format("%-16s", h));
                for (Ip t : targets) {
                    boolean ok = sim.reachable(h, t, dev.anyloop.net.Proto.ICMP, 0);
                    sb.append(String.format(" %-16s", ok ? "ok" : "-"));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }
}
