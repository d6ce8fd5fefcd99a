package dev.anyloop.report;

import dev.anyloop.check.Failover;
import dev.anyloop.graph.Topology;
import dev.anyloop.intent.Intent.PortDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.RoundTrip;
import dev.anyloop.sim.Simulator;
import dev.anyloop.state.Address;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One service as the report shows it: who reaches it (a client x address/port matrix, each cell the simulator's
 * round trip) and its failover table (each of its hosts down in turn, its routes withdrawn: which of the clients
 * that reached it still do, and through whom).
 */
public record ServiceView(Topology.Service service, List<Column> columns, List<Row> rows, List<FailoverRow> failover) {
    public ServiceView {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        failover = List.copyOf(failover);
    }

    /** One probe of the matrix: an address of the service and a port (ICMP echo for ping). */
    public record Column(Ip address, PortDef probe) {
        public String text() { return probe.proto() == Proto.ICMP ? address + " ping" : address + " " + probe; }
    }

    /** One client's results, a cell per column; empty where the client has no address of the column's family. */
    public record Row(String client, List<Optional<Cell>> cells) {
        public Row { cells = List.copyOf(cells); }
    }

    /** A round trip's outcome: reachable (answered by whom) or the verdict that stopped it, and the flow it answers. */
    public record Cell(boolean reachable, String detail, String flow) {
        static Cell of(RoundTrip rt) {
            return rt.reachable() ? new Cell(true, "answered by " + rt.forward().verdict().step().host(), rt.flow().toString())
                    : new Cell(false, rt.verdict().describe(), rt.flow().toString());
        }
    }

    /** With {@code down} drained: who still reaches the service (client: host that answered) and who lost it. */
    public record FailoverRow(String down, List<String> reached, List<String> lost) {
        public FailoverRow {
            reached = List.copyOf(reached);
            lost = List.copyOf(lost);
        }
    }

    /** Computes the view of {@code s} on {@code network}, asking {@code sim} (built on the same network) for each cell. */
    public static ServiceView of(Topology.Service s, Network network, Simulator sim, List<String> clients) {
        List<Column> columns = new ArrayList<>();
        List<PortDef> probes = new ArrayList<>(s.ports());
        probes.add(new PortDef(Proto.ICMP, 0));
        for (Ip a : s.addresses()) for (PortDef p : probes) columns.add(new Column(a, p));
        List<Row> rows = new ArrayList<>();
        List<String> who = clients.stream().filter(c -> !s.hosts().contains(c) && network.hosts().containsKey(c)).toList();
        for (String c : who) {
            List<Optional<Cell>> cells = new ArrayList<>();
            for (Column col : columns) {
                cells.add(speaks(network.hosts().get(c), col.address())
                        ? Optional.of(Cell.of(sim.roundTrip(c, col.address(), col.probe().proto(), col.probe().port())))
                        : Optional.empty());
            }
            rows.add(new Row(c, cells));
        }
        return new ServiceView(s, columns, rows, failover(s, network, sim, who));
    }

    /**
     * T7 made visible: for a service on several hosts, each host down in turn. The probe is the service's first
     * port (ICMP echo when it has none) to its first address in each client's family; only clients that reach
     * it with every host up are listed.
     */
    private static List<FailoverRow> failover(Topology.Service s, Network network, Simulator sim, List<String> clients) {
        List<String> present = s.hosts().stream().filter(network.hosts()::containsKey).toList();
        if (present.size() < 2) return List.of();
        PortDef probe = s.ports().isEmpty() ? new PortDef(Proto.ICMP, 0) : s.ports().get(0);
        List<String> reaching = new ArrayList<>();
        List<Ip> target = new ArrayList<>();
        for (String c : clients) {
            Optional<Ip> x = s.addresses().stream().filter(a -> speaks(network.hosts().get(c), a)).findFirst();
            if (x.isPresent() && sim.reachable(c, x.get(), probe.proto(), probe.port())) {
                reaching.add(c);
                target.add(x.get());
            }
        }
        List<FailoverRow> out = new ArrayList<>();
        for (String down : present) {
            Simulator drained = Simulator.of(Failover.drain(network, s.addresses(), down));
            List<String> reached = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < reaching.size(); i++) {
                RoundTrip rt = drained.roundTrip(reaching.get(i), target.get(i), probe.proto(), probe.port());
                if (rt.reachable()) reached.add(reaching.get(i) + ": " + rt.forward().verdict().step().host());
                else lost.add(reaching.get(i) + ": " + rt.verdict().describe());
            }
            out.add(new FailoverRow(down, reached, lost));
        }
        return out;
    }

    /** True when {@code d} has an address of {@code x}'s family outside lo to send from. */
    static boolean speaks(DeviceState d, Ip x) {
        for (Address a : d.addresses()) {
            if (a.address().family() == x.family() && !a.dev().equals("lo") && !a.address().ip().isLoopback()) return true;
        }
        return false;
    }
}
