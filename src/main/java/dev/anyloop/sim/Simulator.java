package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import java.util.HashMap;
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

    private Simulator(Network n, Optional<Simulator> base) {
        this.network = n;
        this.hosts = new HashMap<>();
        for (DeviceState d : n.hosts().values()) {
            // a host model is immutable: one compiled from the very same DeviceState object can be shared
            HostModel reuse = base.filter(b -> b.network.hosts().get(d.host()) == d).map(b -> b.hosts.get(d.host())).orElse(null);
            hosts.put(d.host(), reuse != null ? reuse : new HostModel(d));
        }
        this.tracer = new Tracer(hosts, new Wiring(n, hosts));
    }

    public static Simulator of(Network n) { return new Simulator(n, Optional.empty()); }

    /**
     * A simulator of {@code n} that reuses {@code base}'s compiled hosts wherever {@code n} holds the same
     * DeviceState object: a network that differs from {@code base}'s in a few hosts (a rollout step) compiles only those.
     */
    public static Simulator of(Network n, Simulator base) { return new Simulator(n, Optional.of(base)); }

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

    public boolean reachable(Flow f) {
        Tracer.Walk[] legs = walk(f, false);
        return legs.length == 2 && legs[1].verdict instanceof Verdict.Accepted;
    }

    private HostModel host(String name) {
        HostModel h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("unknown host '" + name + "': the network has " + hosts.keySet().stream().sorted().toList());
        }
        return h;
    }

    private RoundTrip run(Flow f, boolean explain) {
        Tracer.Walk[] legs = walk(f, explain);
        Tracer.Walk fw = legs[0];
        if (legs.length == 1) return new RoundTrip(f, false, fw.verdict, fw.trace(), Optional.empty());
        Tracer.Walk rw = legs[1];
        return new RoundTrip(f, rw.verdict instanceof Verdict.Accepted, rw.verdict, fw.trace(), Optional.of(rw.trace()));
    }

    /** The request's walk and, if it reached a socket, the reply's. */
    private Tracer.Walk[] walk(Flow f, boolean explain) {
        HostModel client = host(f.from());
        Ip src = f.src().orElse(Ip.zero(f.dst().family()));
        int sport = f.proto() == Proto.ICMP ? ECHO_ID : CLIENT_PORT;
        int dport = f.proto() == Proto.ICMP ? ECHO_ID : f.port();
        Conntrack ct = new Conntrack();
        Neighbours neighbours = new Neighbours();
        Tracer.Walk fw = new Tracer.Walk(explain, ct, neighbours, Packet.request(src, f.dst(), f.proto(), sport, dport), false, client, null);
        tracer.run(fw, client);
        if (!(fw.verdict instanceof Verdict.Accepted)) return new Tracer.Walk[] {fw};
        // the client's socket as it sent the request: source chosen, before any NAT on the client
        Packet original = Packet.request(clientSource(fw, client, src), f.dst(), f.proto(), sport, dport);
        Packet answer = fw.delivered.answer();
        Tracer.Walk rw = new Tracer.Walk(explain, ct, neighbours, answer, true, client, original);
        tracer.run(rw, fw.deliveredAt);
        return new Tracer.Walk[] {fw, rw};
    }

    private static Ip clientSource(Tracer.Walk fw, HostModel client, Ip src) {
        return src.isZero() ? fw.ct.origOn(client).src() : src;
    }
}
