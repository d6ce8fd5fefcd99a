package dev.anyloop.bench;

import dev.anyloop.lab.Generated;
import dev.anyloop.lab.Lab;
import dev.anyloop.lab.LabPlan;
import dev.anyloop.net.Ip;
import dev.anyloop.lab.Probe;
import dev.anyloop.state.Network;

/**
 * Times {@code lab up} and {@code lab down} of a generated routed network (default 50 hosts: routers
 * on a shared core, LANs behind them, Docker hosts with a container each). Root only. Run with the
 * test classpath: {@code java -cp target/classes:target/test-classes:DEPS dev.anyloop.bench.LabBench [HOSTS] [ROUNDS]}.
 */
public final class LabBench {
    private LabBench() { }

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Network n = Generated.routed(hosts);
        LabPlan plan = LabPlan.of("bench", n);
        System.out.printf("network: %d hosts, %d segments, %d namespaces, %d veth pairs, %d bridges%n", n.hosts().size(),
                n.segments().size(), plan.namespaces().size(), plan.veths().size(), plan.bridges().size());
        Lab.down("bench");
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Lab lab = Lab.up(plan, n, dev.anyloop.apply.Backend.IPTABLES);
            long t1 = System.nanoTime();
            boolean ok;
            try {
                // one real end-to-end answer across two routers, so the timing is of a working network
                var dns = lab.probe("h1", new Probe.Dns(Ip.parse("10.53.0.1"), 53));
                var tcp = lab.probe("h1", new Probe.Tcp(Ip.parse("10.200.0.1"), 80));
                ok = dns.answeredBy().equals("r0") && tcp.answeredBy().equals("h0");
                if (!ok) System.out.println("probes: dns " + dns + ", tcp " + tcp);
            } finally {
                long t2 = System.nanoTime();
                lab.close();
                long t3 = System.nanoTime();
                System.out.printf("round %d: lab up %.2f s, lab down %.2f s%n", i + 1, (t1 - t0) / 1e9, (t3 - t2) / 1e9);
            }
            if (!ok) throw new IllegalStateException("the generated network did not answer end to end");
        }
    }
}
