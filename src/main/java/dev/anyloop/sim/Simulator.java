package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux packet simulator over a {@link Network}: {@code Simulator.of(network)} compiles every
 * host once (FIBs, firewalls, address sets, segments); queries are then cheap and thread-safe.
 */
public final class Simulator {
    /** The client's source port for TCP and UDP probes, and the ICMP echo identifier. */
    public static final int CLIENT_PORT = 40000;
    static final int ECHO_ID = 4711;

    private final Network network;
    private final Map<String, HostModel> hosts;
    private final Tracer tracer;

    private Simulator(Network n) { this(n, null); }

    /** Compiles every host of {@code n}, reusing {@code base}'s model of a host whose DeviceState is the same object. */
    private Simulator(Network n, Simulator base) {
        this.network = n;
        this.hosts = new HashMap<>();
        List<DeviceState> states = List.copyOf(n.hosts().values());
        HostModel[] models = new HostModel[states.size()];
        // hosts compile independently: a 5,000-host network on every core
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, states.size());
        (states.size() >= 256 ? range.parallel() : range).forEach(k -> {
            DeviceState d = states.get(k);
            HostModel reuse = base == null || base.network.hosts().get(d.host()) != d ? null : base.hosts.get(d.host());
            models[k] = reuse != null ? reuse : new HostModel(d);
        });
        for (int k = 0; k < models.length; k++) hosts.put(states.get(k).host(), models[k]);
        this.tracer = new Tracer(hosts, base == null ? new Wiring(n, hosts) : Wiring.derive(base.tracer.wiring(), n, hosts));
    }

    public static Simulator of(Network n) { return new Simulator(n); }

    /**
     * A simulator of {@code n}, a variant of this one's network (a host removed, a few hosts' routes changed, as
     * {@code Network.with}/{@code without} make it): hosts whose DeviceState is the very same object keep their
     * compiled model, so a failover scenario costs the changed hosts only.
     */
    public Simulator derive(Network n) { return new Simulator(n, this); }

    public Network network() { return network; }

    /** The compiled FIB of one host, for inspection and tests. */
    public Fib fib(String host, Family f) { return host(host).fib(f); }

    public RoundTrip roundTrip(String fromHost, Ip dst, Proto proto, int port) {
        return roundTrip(Flow.of(fromHost, dst, proto, port));
    }

    /** As {@link #roundTrip(String, Ip, Proto, int)} with the client bound to source {@code src}. */
    public RoundTrip roundTrip(String fromHost, Ip src, Ip dst, Proto proto, int port) {
        return roundTrip(new Flow(fromHost, Optional.of(src), dst, proto, port));
    }

    public RoundTrip roundTrip(Flow f) { return run(f, true); }

    /** The fast path for bulk queries: no trace is kept. */
    public boolean reachable(String fromHost, Ip dst, Proto proto, int port) {
        return reachable(Flow.of(fromHost, dst, proto, port));
    }

    /** Reachable on every path (a flow over a multipath route may take any of them). */
    public boolean reachable(Flow f) {
        for (boolean ok : outcomes(f)) if (!ok) return false;
        return true;
    }

    /**
     * Whether the flow is reachable, per path: one element without multipath routes, else one per combination
     * of next hops (at most {@link Paths#MAX}); the kernel takes one of them, which one its boot-time hash seed says.
     */
    public List<Boolean> outcomes(Flow f) {
        List<Boolean> out = new ArrayList<>();
        eachPath(f, false, legs -> out.add(legs.length == 2 && legs[1].verdict instanceof Verdict.Accepted));
        return out;
    }

    /** Walks {@code f} once per combination of multipath choices, depth first, at most Paths.MAX times. */
    private void eachPath(Flow f, boolean explain, java.util.function.Consumer<Tracer.Walk[]> each) {
        java.util.ArrayDeque<int[]> todo = new java.util.ArrayDeque<>();
        todo.push(new int[0]);
        int walked = 0;
        while (!todo.isEmpty() && walked < Paths.MAX) {
            Paths p = new Paths(todo.pop());
            Tracer.Walk[] legs = walk(f, explain, p);
            walked++;
            each.accept(legs);
            List<int[]> more = p.branches();
            for (int i = more.size() - 1; i >= 0; i--) todo.push(more.get(i));
        }
    }

    /** As {@link #roundTrip(Flow)} without the trace: the verdict, the client's source and who answered. */
    public Outcome outcome(Flow f) {
        // over multipath routes: the first path that fails (reachable only when every path is), else the first path
        Outcome[] shown = {null};
        eachPath(f, false, legs -> {
            Outcome o = outcome(f, legs);
            if (shown[0] == null || (shown[0].reachable() && !o.reachable())) shown[0] = o;
        });
        return shown[0];
    }

    private Outcome outcome(Flow f, Tracer.Walk[] legs) {
        Tracer.Walk fw = legs[0];
        Packet orig = fw.ct.origOrNull(host(f.from()));
        Optional<Ip> src = f.src().or(() -> orig == null ? Optional.empty() : Optional.of(orig.src()));
        if (legs.length == 1) return new Outcome(f, false, fw.verdict, src, Optional.empty());
        Tracer.Walk rw = legs[1];
        return new Outcome(f, rw.verdict instanceof Verdict.Accepted, rw.verdict, src, Optional.of(fw.deliveredAt.name));
    }

    private HostModel host(String name) {
        HostModel h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("unknown host '" + name + "': the network has " + hosts.keySet().stream().sorted().toList());
        }
        return h;
    }

    private RoundTrip run(Flow f, boolean explain) {
        List<RoundTrip> paths = new ArrayList<>();
        eachPath(f, explain, legs -> paths.add(roundTrip(f, legs)));
        return paths.size() == 1 ? paths.get(0) : RoundTrip.ofPaths(paths);
    }

    private static RoundTrip roundTrip(Flow f, Tracer.Walk[] legs) {
        Tracer.Walk fw = legs[0];
        if (legs.length == 1) return new RoundTrip(f, false, fw.verdict, fw.trace(), Optional.empty());
        Tracer.Walk rw = legs[1];
        return new RoundTrip(f, rw.verdict instanceof Verdict.Accepted, rw.verdict, fw.trace(), Optional.of(rw.trace()));
    }

    /** The request's walk and, if it reached a socket, the reply's. */
    private Tracer.Walk[] walk(Flow f, boolean explain, Paths paths) {
        HostModel client = host(f.from());
        Ip src = f.src().orElse(Ip.zero(f.dst().family()));
        int sport = f.proto() == Proto.ICMP ? ECHO_ID : CLIENT_PORT;
        int dport = f.proto() == Proto.ICMP ? ECHO_ID : f.port();
        Conntrack ct = new Conntrack();
        Neighbours neighbours = new Neighbours();
        Tracer.Walk fw = new Tracer.Walk(explain, ct, neighbours, Packet.request(src, f.dst(), f.proto(), sport, dport), false, client, null);
        fw.paths = paths;
        tracer.run(fw, client);
        if (!(fw.verdict instanceof Verdict.Accepted)) return new Tracer.Walk[] {fw};
        // the client's socket as it sent the request: source chosen, before any NAT on the client
        Packet original = Packet.request(clientSource(fw, client, src), f.dst(), f.proto(), sport, dport);
        Packet answer = fw.delivered.answer();
        boolean routeSourced = fw.listener != null && AnswerSource.fromRouteSource(fw.listener);
        // no IP_PKTINFO: the server's kernel picks the answer's source as for a new datagram (AnswerSource)
        if (routeSourced) answer = answer.withSrc(Ip.zero(answer.family()), answer.sport());
        Tracer.Walk rw = new Tracer.Walk(explain, ct, neighbours, answer, true, client, original);
        rw.paths = paths;
        if (routeSourced) {
            rw.routeSourced = AnswerSource.why(fw.listener);
            if (explain) rw.add(new Step.Note(fw.deliveredAt.name, rw.routeSourced));
        }
        tracer.run(rw, fw.deliveredAt);
        return new Tracer.Walk[] {fw, rw};
    }

    private static Ip clientSource(Tracer.Walk fw, HostModel client, Ip src) {
        return src.isZero() ? fw.ct.origOn(client).src() : src;
    }
}
