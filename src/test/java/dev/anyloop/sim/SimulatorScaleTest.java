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

    /** Correctness at scale only: the speed is measured by bench/reach (JMH), never asserted here. */
    @Test
    void randomPairsOfAThousandHostsReachEachOther() {
        Simulator sim = big().sim();
        Random rnd = new Random(1);
        for (int i = 0; i < 5_000; i++) {
            int r1 = rnd.nextInt(ROUTERS), h1 = rnd.nextInt(HOSTS_PER_ROUTER);
            int r2 = rnd.nextInt(ROUTERS), h2 = rnd.nextInt(HOSTS_PER_ROUTER);
            String from = "h" + r1 + "-" + h1;
            Ip to = Ip.parse("10." + r2 + "." + (1 + h2 / 200) + "." + (2 + h2 % 200));
            assertThat(sim.reachable(from, to, Proto.TCP, 80)).as("%s -> %s tcp/80", from, to).isTrue();
        }
    }
}
