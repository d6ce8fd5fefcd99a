package dev.anyloop.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.Proto;
import dev.anyloop.os.Netns;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Network;
import dev.anyloop.state.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iptables match extensions judged by the kernel: for each seed a generator of its own writes ipsets (hash:net
 * with nomatch holes, hash:ip,port, list:set) and rules using {@code -m set}, {@code -m iprange}, {@code --syn},
 * {@code -m mark}, {@code -m limit}, {@code -m rpfilter} and {@code -m owner} (on forwarded packets and on the
 * echo replies of the kernel's ICMP socket, the cases a query decides) on a router and a server; they are loaded
 * with ipset restore and iptables-restore --noflush once the lab is up, the lab is snapshotted with the plain commands
 * (ipset save among them), and every probe is sent for real and compared with the simulator.
 * {@code -Danyloop.kernel.xtSeeds=N} sets the number of seeds.
 */
@Tag("root")
class XtKernelTest {
    static final int SEEDS = Integer.getInteger("anyloop.kernel.xtSeeds", 8);
    static final int[] PORTS = {22, 80, 443, 8080};

    @TempDir
    Path tmp;

    @AfterEach
    void nothingLeft() {
        assertThat(new Netns().list()).noneMatch(n -> n.startsWith("al-smx"));
    }

    /** c1 (10.1.0.10) and c2 (10.2.0.5) - r - s (10.9.0.80 on eth0, 10.9.0.81 on lo, default via r). */
    static Network network() {
        HostBuilder r = new HostBuilder("r", true)
                .iface("eth0", InterfaceAddress.parse("10.1.0.1/24"), Optional.empty())
                .iface("eth2", InterfaceAddress.parse("10.2.0.1/24"), Optional.empty())
                .iface("eth1", InterfaceAddress.parse("10.9.0.1/24"), Optional.empty())
                .sysctl("net.ipv4.ip_forward", "1")
                .via(Prefix.parse("10.9.0.81/32"), Ip.parse("10.9.0.80"), "eth1", 0, Optional.empty());
        HostBuilder c1 = new HostBuilder("c1", false).iface("eth0", InterfaceAddress.parse("10.1.0.10/24"), Optional.empty())
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.1.0.1"), "eth0", 0, Optional.empty());
        HostBuilder c2 = new HostBuilder("c2", false).iface("eth0", InterfaceAddress.parse("10.2.0.5/24"), Optional.empty())
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.2.0.1"), "eth0", 0, Optional.empty());
        HostBuilder s = new HostBuilder("s", false).iface("eth0", InterfaceAddress.parse("10.9.0.80/24"), Optional.empty())
                .loopback(Ip.parse("10.9.0.81"))
                .via(Prefix.parse("0.0.0.0/0"), Ip.parse("10.9.0.1"), "eth0", 0, Optional.empty());
        for (int port : PORTS) s.listen(Proto.TCP, Ip.parse("0.0.0.0"), port);
        s.listen(Proto.UDP, Ip.parse("10.9.0.81"), 53);
        Map<String, DeviceState> hosts = new LinkedHashMap<>();
        for (HostBuilder h : List.of(r, c1, c2, s)) hosts.put(h.name, h.build());
        return new Network(hosts, List.of(
                new Segment("a", List.of(new Segment.Port("r", "eth0"), new Segment.Port("c1", "eth0"))),
                new Segment("b", List.of(new Segment.Port("r", "eth2"), new Segment.Port("c2", "eth0"))),
                new Segment("srv", List.of(new Segment.Port("r", "eth1"), new Segment.Port("s", "eth0")))));
    }

    static List<KernelProbe> probes() {
        List<KernelProbe> out = new ArrayList<>();
        for (String from : List.of("c1", "c2")) {
            for (String dst : List.of("10.9.0.80", "10.9.0.81")) {
                for (int port : PORTS) out.add(new KernelProbe(from, Optional.empty(), Ip.parse(dst), Proto.TCP, port));
                out.add(new KernelProbe(from, Optional.empty(), Ip.parse(dst), Proto.ICMP, 0));
            }
            out.add(new KernelProbe(from, Optional.empty(), Ip.parse("10.9.0.81"), Proto.UDP, 53));
        }
        return out;
    }

    /** One seed's ipsets and rules for r and s, as ipset restore and iptables-restore --noflush read them. */
    static final class Generator {
        private final Random r;

        Generator(long seed) { this.r = new Random(seed); }

        private boolean chance(int percent) { return r.nextInt(100) < percent; }

        private <T> T pick(List<T> l) { return l.get(r.nextInt(l.size())); }

        private String verdict() { return pick(List.of("ACCEPT", "DROP", "DROP", "REJECT --reject-with icmp-port-unreachable")); }

        String sets() {
            StringBuilder sb = new StringBuilder();
            sb.append("create clients hash:net family inet hashsize 1024 maxelem 65536\n");
            sb.append("add clients ").append(chance(50) ? "10.1.0.0/24" : "10.1.0.0/16").append('\n');
            if (chance(40)) sb.append("add clients 10.1.0.8/30 nomatch\n");
            if (chance(30)) sb.append("add clients 10.1.0.10 \n");
            if (chance(50)) sb.append("add clients 10.2.0.0/28\n");
            sb.append("create svc hash:ip,port family inet hashsize 1024 maxelem 65536\n");
            sb.append("add svc 10.9.0.80,tcp:").append(pick(List.of(22, 80, 443, 8080))).append('\n');
            sb.append("add svc 10.9.0.81,tcp:").append(pick(List.of(22, 80, 443, 8080))).append('\n');
            if (chance(50)) sb.append("add svc 10.9.0.81,udp:53\n");
            sb.append("create both list:set size 8\nadd both svc\nadd both clients\n");
            return sb.toString().replace(" \n", "\n");
        }

        private String forwardRule() {
            switch (r.nextInt(8)) {
                case 0: return (chance(30) ? "-i eth0 " : "") + "-m set " + (chance(30) ? "! " : "") + "--match-set clients src -j " + verdict();
                case 1: return "-m set " + (chance(20) ? "! " : "") + "--match-set svc dst,dst -j " + verdict();
                case 2: return "-m set --match-set both " + pick(List.of("src", "dst,dst")) + " -j " + verdict();
                case 3: return "-m iprange " + (chance(25) ? "! " : "") + pick(List.of("--src-range 10.1.0.5-10.1.0.20", "--src-range 10.2.0.1-10.2.0.4",
                        "--dst-range 10.9.0.81-10.9.0.90")) + " -j " + verdict();
                // only the SYN itself: the simulator's handshake is a SYN and its SYN-ACK, the kernel's has an ACK after them
                case 4: return "-p tcp -m tcp --dport " + pick(List.of(22, 80, 443, 8080)) + " --tcp-flags FIN,SYN,RST,ACK SYN -j " + verdict();
                case 5: return "-m mark " + pick(List.of("--mark 0x0 -p icmp", "! --mark 0x1 -p tcp -m tcp --dport 443", "--mark 0x1")) + " -j " + verdict();
                case 6: return "-p tcp -m limit --limit 100/sec --limit-burst 1000 -j " + verdict();
                default: return "-m set --match-set clients src -m iprange --dst-range 10.9.0.80-10.9.0.80 -j " + verdict();
            }
        }

        String router() {
            StringBuilder sb = new StringBuilder();
            sb.append("*raw\n");
            if (chance(30)) sb.append("-A PREROUTING -m rpfilter ").append(pick(List.of("--invert -j DROP", "--loose -j ACCEPT", "-j ACCEPT"))).append('\n');
            sb.append("COMMIT\n*mangle\n");
            // a forwarded packet has no socket: "! --uid-owner" holds for it, "--uid-owner" does not
            if (chance(35)) sb.append("-A POSTROUTING -d 10.9.0.81 -m owner ").append(pick(List.of("! --uid-owner 0", "--uid-owner 0"))).append(" -j DROP\n");
            sb.append("COMMIT\n*filter\n");
            boolean strict = chance(30);
            if (strict) sb.append(":FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) sb.append("-A FORWARD ").append(forwardRule()).append('\n');
            if (strict) sb.append("-A FORWARD -m set --match-set both src -j ACCEPT\n");
            sb.append("COMMIT\n");
            return sb.toString();
        }

        String server() {
            StringBuilder sb = new StringBuilder("*filter\n");
            if (chance(50)) {
                sb.append("-A INPUT -m set --match-set clients src -p tcp -m tcp --dport ").append(pick(List.of(22, 80, 443, 8080)))
                        .append(" -j REJECT --reject-with tcp-reset\n");
            }
            if (chance(40)) sb.append("-A INPUT -p icmp -m iprange --src-range 10.2.0.1-10.2.0.9 -j DROP\n");
            // echo replies leave through the kernel's ICMP socket, which has no owner: decided
            if (chance(50)) {
                sb.append("-A OUTPUT -p icmp -m owner ").append(pick(List.of("! --uid-owner 0", "--uid-owner 0", "--socket-exists", "! --gid-owner 0")))
                        .append(" -j DROP\n");
            }
            sb.append("COMMIT\n");
            return sb.toString();
        }
    }

    @Test
    void setIprangeSynMarkLimitRpfilterAndOwnerAgreeWithTheKernel() throws Exception {
        List<KernelJudge.Result> results = new ArrayList<>();
        long start = System.nanoTime();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Generator g = new Generator(seed);
            String sets = g.sets();
            Map<String, List<KernelJudge.Setup>> setup = new LinkedHashMap<>();
            setup.put("r", List.of(new KernelJudge.Setup(List.of("ipset", "restore"), sets),
                    new KernelJudge.Setup(List.of("iptables-restore", "--noflush"), g.router())));
            setup.put("s", List.of(new KernelJudge.Setup(List.of("ipset", "restore"), sets),
                    new KernelJudge.Setup(List.of("iptables-restore", "--noflush"), g.server())));
            KernelJudge.Result r = new KernelJudge().judgeWith("smx" + seed, network(), Files.createDirectories(tmp.resolve("x" + seed)),
                    live -> probes(), dev.anyloop.apply.Backend.IPTABLES, setup);
            KernelAgreementTest.report(r);
            results.add(r);
            assertThat(r.inconsistencies()).isEmpty();
            assertThat(r.probes()).isEqualTo(probes().size());
        }
        KernelAgreementTest.Summary s = KernelAgreementTest.Summary.of(results, System.nanoTime() - start);
        System.out.println(s.line("kernel agreement on match extensions", "seeds"));
        // every probe: a disagreement is a bug of the model (UDP is retried, the rest is deterministic)
        assertThat(results.stream().flatMap(x -> x.disagreements().stream()).map(KernelJudge.Disagreement::render)).isEmpty();
        // the rules let some through and stop others: both outcomes were really exercised
        assertThat(s.reachable()).isBetween(5, s.probes() - 5);
    }
}
