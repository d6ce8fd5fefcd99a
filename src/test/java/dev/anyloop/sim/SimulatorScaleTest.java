package dev.anyloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulk path at scale: 1,000 hosts, 100,000 routes, 10,000 iptables rules. The target is 100,000
 * round trips per second on one thread; the assertion is looser because the build machine is shared (rates count this thread's CPU time).
 */
class SimulatorScaleTest {

    static final int ROUTERS = 10;
    static final int HOSTS_PER_ROUTER = 99;

    static NetFixture big() {
        NetFixture n = new NetFixture();
        for (int r = 0; r < ROUTERS; r++) {
            NetFixture.H router = n.host("r" + r).iface("core", "core", "10.255.0." + (r + 1) + "/24")
                    .iface("lan", "lan" + r, "10." + r + ".0.1/16").forwarding();
            for (int o = 0; o < ROUTERS; o++) {
                if (o != r) router.route("10." + o + ".0.0/16 via 10.255.0." + (o + 1));
            }
            for (int i = 0; i < 90; i++) router.route("172." + (16 + r) + "." + i + ".0/24 via 10." + r + ".0." + (2 + i));
            for (int k = 0; k < 10; k++) router.iptables("filter", "FORWARD", "-s 203.0." + k + ".0/24 -j DROP");
            for (int h = 0; h < HOSTS_PER_ROUTER; h++) {
                NetFixture.H host = n.host("h" + r + "-" + h).iface("eth0", "lan" + r, "10." + r + "." + (1 + h / 200) + "." + (2 + h % 200) + "/16")
                        .route("default via 10." + r + ".0.1").listen("tcp 0.0.0.0:80");
                for (int i = 0; i < 100; i++) host.route("192.168." + (i % 256) + "." + (h % 64) * 4 + "/30 via 10." + r + ".0.1 metric " + i);
                for (int k = 0; k < 10; k++) host.iptables("filter", "INPUT", "-s 198.51." + k + ".0/24 -p tcp --dport " + (1000 + k) + " -j DROP");
            }
        }
        return n;
    }

    @Test
    void roundTripsPerSecondOnOneThread() {
        Simulator sim = big().sim();
        Random rnd = new Random(1);
        int n = 20_000;
        String[] from = new String[n];
        Ip[] to = new Ip[n];
        for (int i = 0; i < n; i++) {
            int r1 = rnd.nextInt(ROUTERS), h1 = rnd.nextInt(HOSTS_PER_ROUTER);
            int r2 = rnd.nextInt(ROUTERS), h2 = rnd.nextInt(HOSTS_PER_ROUTER);
            from[i] = "h" + r1 + "-" + h1;
            to[i] = Ip.parse("10." + r2 + "." + (1 + h2 / 200) + "." + (2 + h2 % 200));
        }
        for (int i = 0; i < n; i++) assertThat(sim.reachable(from[i], to[i], Proto.TCP, 80)).isTrue(); // warm up, and all must pass
        // CPU time of this thread, not wall time: the build machine is shared and often oversubscribed
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long wall0 = System.nanoTime();
        long t0 = mx.getCurrentThreadCpuTime();
        int rounds = 5;
        for (int k = 0; k < rounds; k++) for (int i = 0; i < n; i++) sim.reachable(from[i], to[i], Proto.TCP, 80);
        double perSec = rounds * n / ((mx.getCurrentThreadCpuTime() - t0) / 1e9);
        double wall = rounds * n / ((System.nanoTime() - wall0) / 1e9);
        System.out.printf("simulator: %.0f round trips per CPU second on one thread, %.0f/s wall (1000 hosts, 100k routes, 10k rules)%n",
                perSec, wall);
        assertThat(perSec).isGreaterThan(20_000);
    }
}
