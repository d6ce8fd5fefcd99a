package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The 1,000-host network of {@link SimulatorScaleTest#big()} and seeded query sets over it, public for the
 * benchmarks in dev.anyloop.bench.
 *
 * <p>Shape: 10 routers {@code r0..r9} on one core segment (10.255.0.R+1/24), each with a LAN segment
 * {@code lanR} (10.R.0.1/16), 9 routes to the other LANs, 90 /24 routes to addresses nobody holds and 10
 * FORWARD {@code -s ... -j DROP} rules; behind each router 99 hosts {@code hR-H} (10.R.1+H/200.2+H%200/16), each
 * with a default route, 100 /30 routes of metrics 0..99, 10 INPUT rules ({@code -s 198.51.K.0/24 -p tcp --dport
 * 1000+K -j DROP}) and a TCP listener on 0.0.0.0:80. Total: 1,000 hosts, 11 segments, 99,990 routes plus the
 * connected ones, 10,000 iptables rules.
 */
public final class ScaleNetwork {
    private ScaleNetwork() { }

    public static final int ROUTERS = SimulatorScaleTest.ROUTERS;
    public static final int HOSTS_PER_ROUTER = SimulatorScaleTest.HOSTS_PER_ROUTER;

    public static Network network() { return SimulatorScaleTest.big().build(); }

    /** Every host's name, routers first, with the one address the matrix probes (routers: their core address). */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) out.add("r" + r);
        for (int r = 0; r < ROUTERS; r++) for (int h = 0; h < HOSTS_PER_ROUTER; h++) out.add("h" + r + "-" + h);
        return out;
    }

    /** The address of {@link #names()}'s host at the same index. */
    public static List<Ip> addresses() {
        List<Ip> out = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) out.add(Ip.parse("10.255.0." + (r + 1)));
        for (int r = 0; r < ROUTERS; r++) for (int h = 0; h < HOSTS_PER_ROUTER; h++) out.add(hostIp(r, h));
        return out;
    }

    static Ip hostIp(int r, int h) { return Ip.parse("10." + r + "." + (1 + h / 200) + "." + (2 + h % 200)); }

    /**
     * {@code n} seeded queries from random hosts (routers included): 40% TCP 80 to a host (accepted), 15% ICMP echo
     * to a host (accepted), 10% TCP 22 to a host (reset), 10% UDP 53 to a host (port unreachable), 10% TCP 80 to a
     * router's core address (reset), 10% TCP 80 to 192.168.x.y (the router has no route), 5% TCP 80 to 172.16+R.I.5
     * (the router's gateway 10.R.0.2+I does not exist: no neighbour).
     */
    public static List<Flow> queries(int n, long seed) {
        Random rnd = new Random(seed);
        List<String> names = names();
        List<Flow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String from = names.get(rnd.nextInt(names.size()));
            int r = rnd.nextInt(ROUTERS);
            Ip host = hostIp(r, rnd.nextInt(HOSTS_PER_ROUTER));
            int k = rnd.nextInt(100);
            Flow f;
            if (k < 40) f = Flow.of(from, host, Proto.TCP, 80);
            else if (k < 55) f = Flow.of(from, host, Proto.ICMP, 0);
            else if (k < 65) f = Flow.of(from, host, Proto.TCP, 22);
            else if (k < 75) f = Flow.of(from, host, Proto.UDP, 53);
            else if (k < 85) f = Flow.of(from, Ip.parse("10.255.0." + (r + 1)), Proto.TCP, 80);
            else if (k < 95) f = Flow.of(from, Ip.parse("192.168." + rnd.nextInt(256) + "." + rnd.nextInt(256)), Proto.TCP, 80);
            else f = Flow.of(from, Ip.parse("172." + (16 + r) + "." + rnd.nextInt(90) + ".5"), Proto.TCP, 80);
            out.add(f);
        }
        return out;
    }
}
