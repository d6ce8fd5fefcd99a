package dev.anyloop.lab;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.sim.Flow;
import java.util.List;
import java.util.Optional;

/**
 * A real packet test run from inside a lab namespace: the command that sends it, and how its result
 * reads. Lab services answer with their host's name (socat banner, dnsmasq TXT {@code whoami.anyloop}),
 * so a probe tells which host answered, and a failover is visible.
 */
public sealed interface Probe {
    /** The TXT name every lab dnsmasq answers with its host's name. */
    String WHOAMI = "whoami.anyloop";

    Ip address();

    /** The command to run in the source namespace. */
    List<String> argv();

    /** What to feed on stdin. */
    default Optional<String> stdin() { return Optional.empty(); }

    /** Reads the finished command. */
    ProbeResult read(CommandRunner.Result r);

    /**
     * The real packet that asks what {@code f} asks: a ping; a DNS query, over UDP or TCP, for port 53
     * (lab DNS servers are dnsmasq, which drops a datagram that is not a query and sends no banner);
     * else a TCP connect that reads the lab socat's banner, or a UDP datagram it answers with one. The source address is the kernel's choice, as in f.
     */
    static Probe of(Flow f) {
        if (f.src().isPresent()) throw new IllegalArgumentException("a lab probe cannot pin the source address: " + f);
        return of(f.dst(), f.proto(), f.port());
    }

    /** {@link #of(Flow)} for a destination, protocol and port. */
    static Probe of(Ip dst, Proto proto, int port) {
        if (proto == Proto.ICMP) return new Icmp(dst);
        if (port == 53) return new Dns(dst, port, proto == Proto.TCP);
        if (proto == Proto.TCP) return new Tcp(dst, port);
        return new Udp(dst, port, "anyloop");
    }

    /** ICMP echo: {@code ping -c1 -W1}. */
    record Icmp(Ip address) implements Probe {
        @Override
        public List<String> argv() {
            // one reply within 2 s, asking every 0.5 s: a first echo lost while neighbours resolve under load is asked again
            return List.of("ping", address.isV4() ? "-4" : "-6", "-n", "-c1", "-i0.5", "-w2", address.toString());
        }

        @Override
        public ProbeResult read(CommandRunner.Result r) {
            String summary = r.out().lines().filter(l -> l.contains("packets transmitted")).findFirst().orElse(r.err().strip());
            return r.ok() ? ProbeResult.answered("", summary) : ProbeResult.failed(summary);
        }
    }

    /** TCP connect, reading the banner: {@code socat -u TCP:ADDR:PORT,connect-timeout=2 STDOUT}. */
    record Tcp(Ip address, int port) implements Probe {
        @Override
        public List<String> argv() {
            return List.of("socat", "-T2", "-u", "TCP:" + hostPort(address, port) + ",connect-timeout=2", "STDOUT");
        }

        @Override
        public ProbeResult read(CommandRunner.Result r) { return banner(r); }
    }

    /**
     * A DNS query for TXT {@code whoami.anyloop}: {@code dig @ADDR -p PORT ... +short +time=2 +tries=1}, over
     * TCP with {@code tcp} (dnsmasq sends nothing on a TCP connection until it gets a query, so a bare
     * connect cannot tell who answers).
     */
    record Dns(Ip address, int port, boolean tcp) implements Probe {
        public Dns(Ip address, int port) { this(address, port, false); }

        @Override
        public List<String> argv() {
            List<String> argv = new java.util.ArrayList<>(List.of("dig", "@" + address, "-p", Integer.toString(port), WHOAMI, "TXT",
                    // 2 s as the UDP and TCP probes wait: a first packet after the lab changed waits a second in the
                    // neighbour queue when the first ARP request goes unanswered (the kernel asks again after retrans_time_ms)
                    "+short", "+time=2", "+tries=1"));
            if (tcp) argv.add("+tcp");
            return argv;
        }

        @Override
        public ProbeResult read(CommandRunner.Result r) {
            String answer = r.out().strip();
            if (!r.ok() || answer.isEmpty() || answer.startsWith(";")) {
                return ProbeResult.failed(("dig exit " + r.exit() + ": " + answer + " " + r.err()).strip());
            }
            String first = answer.lines().findFirst().orElse("");
            return ProbeResult.answered(first.replace("\"", ""), "TXT " + first);
        }
    }

    /** A UDP datagram carrying {@code payload}; the lab's socat answers with its banner. */
    record Udp(Ip address, int port, String payload) implements Probe {
        @Override
        public List<String> argv() {
            return List.of("socat", "-T2", "-t1", "-", "UDP:" + hostPort(address, port));
        }

        @Override
        public Optional<String> stdin() { return Optional.of(payload); }

        @Override
        public ProbeResult read(CommandRunner.Result r) { return banner(r); }
    }

    private static ProbeResult banner(CommandRunner.Result r) {
        String out = r.out().strip();
        if (!out.isEmpty()) return ProbeResult.answered(out.lines().findFirst().orElse(""), "banner " + out);
        String err = r.err().strip();
        int e = err.lastIndexOf(": ");
        return ProbeResult.failed(e >= 0 && e + 2 < err.length() ? err.substring(e + 2) : "no answer (exit " + r.exit() + ")");
    }

    private static String hostPort(Ip a, int port) { return (a.isV4() ? a.toString() : "[" + a + "]") + ":" + port; }
}
