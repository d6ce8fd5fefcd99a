package dev.anyloop.kernel;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.os.CommandRunner;
import dev.anyloop.sim.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One real packet test with short timeouts, as the differential suite sends it: ICMP echo with ping,
 * a TCP connect reading the service's banner, a UDP datagram (a DNS query on port 53, so that dnsmasq
 * answers) reading the answer. Optionally bound to a source address ({@code ping -I}, socat {@code bind=}).
 */
record KernelProbe(String from, Optional<Ip> src, Ip dst, Proto proto, int port) {
    /** Seconds a negative result waits: every lab link is a veth, so a real answer takes microseconds. */
    static final String WAIT = "0.4";

    /** A DNS query for TXT whoami.anyloop, id 0x4141, recursion desired: every byte is ASCII, so it passes stdin as text. */
    static final String DNS_QUERY = "AA\u0001\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000"
            + "\u0006whoami\u0007anyloop\u0000\u0000\u0010\u0000\u0001";

    Flow flow() { return new Flow(from, src, dst, proto, proto == Proto.ICMP ? 0 : port); }

    List<String> argv() {
        List<String> a = new ArrayList<>();
        if (proto == Proto.ICMP) {
            a.addAll(List.of("ping", dst.isV4() ? "-4" : "-6", "-n", "-q", "-c1", "-W" + WAIT));
            src.ifPresent(s -> a.addAll(List.of("-I", s.toString())));
            a.add(dst.toString());
            return a;
        }
        String fam = dst.isV4() ? "4" : "6";
        String bind = src.map(s -> ",bind=" + (s.isV4() ? s.toString() : "[" + s + "]")).orElse("");
        if (proto == Proto.TCP && port == 53) { // DNS over TCP: dnsmasq says nothing until it is asked
            return List.of("socat", "-T1", "-t" + WAIT, "-", "TCP" + fam + ":" + hostPort() + ",connect-timeout=" + WAIT + bind);
        }
        if (proto == Proto.TCP) {
            return List.of("socat", "-T1", "-u", "TCP" + fam + ":" + hostPort() + ",connect-timeout=" + WAIT + bind, "STDOUT");
        }
        return List.of("socat", "-T" + WAIT, "-t" + WAIT, "-", "UDP" + fam + ":" + hostPort() + bind);
    }

    Optional<String> stdin() {
        if (proto == Proto.TCP) return port == 53 ? Optional.of("\u0000\u0020" + DNS_QUERY) : Optional.empty(); // 2-byte length, 32
        if (proto != Proto.UDP) return Optional.empty();
        return Optional.of(port == 53 ? DNS_QUERY : "hi\n");
    }

    /** Whether it got through, and what the tool said. */
    record Outcome(boolean reachable, String detail) { }

    Outcome read(CommandRunner.Result r) {
        String err = r.err().strip().replaceAll("\\s+", " ");
        if (proto == Proto.ICMP) {
            String summary = r.out().lines().filter(l -> l.contains("transmitted")).findFirst().orElse("").strip();
            return new Outcome(r.ok(), (summary + " " + err).strip());
        }
        String out = r.out().replaceAll("[^\\x20-\\x7e]+", " ").strip();
        if (!out.isEmpty()) return new Outcome(true, "answer: " + out);
        return new Outcome(false, ("no answer (exit " + r.exit() + ") " + err).strip());
    }

    private String hostPort() { return (dst.isV4() ? dst.toString() : "[" + dst + "]") + ":" + port; }

    @Override
    public String toString() { return flow().toString(); }
}
