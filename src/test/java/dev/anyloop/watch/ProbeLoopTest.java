package dev.anyloop.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.intent.CheckSpec.Timing;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * The socket checks against real servers on 127.0.0.1 (nothing leaves this machine): tcp open and closed, http
 * statuses, dns answered, refused and silent, and a probe source that is not a local address (the checker's fault).
 */
class ProbeLoopTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();
    /**
     * For checks that must be answered (or refused): a timeout far above any scheduling stall of a loaded machine, so
     * only the server's answer can end them. An answer ends an attempt at once, so the wide timeout costs nothing.
     */
    static final Timing SURE = new Timing(Duration.ofMillis(20), Duration.ofSeconds(20), 1, 1);
    /** For checks that must time out (a server that reads and never answers): nothing but the timeout can end them. */
    static final Timing SILENT = new Timing(Duration.ofMillis(20), Duration.ofMillis(200), 1, 1);
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    /** Runs one target until it has n outcomes. */
    List<Outcome> run(Supplier<Attempt> attempts, int n) throws Exception {
        Instance i = new Instance("s", Ip.parse("127.0.0.1"), "h", 0);
        List<Outcome> got = Collections.synchronizedList(new ArrayList<>());
        ProbeLoop loop = new ProbeLoop(List.of(new ProbeLoop.Target(i, attempts, SURE.interval().toNanos())), (x, o) -> got.add(o), false);
        loop.start();
        // outcomes come in start order, so n of them may wait for the first attempt's 20 s timeout at worst
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (got.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        loop.close();
        assertThat(got).hasSizeGreaterThanOrEqualTo(n);
        return List.copyOf(got.subList(0, n));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, LO)) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcpOpenAndClosed() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LO);
        open.add(server);
        Thread accept = new Thread(() -> {
            while (true) {
                try {
                    server.accept().close();
                } catch (Exception e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        List<Outcome> ok = run(Attempts.of(new CheckSpec.Tcp(server.getLocalPort(), SURE), LO, LO), 3);
        assertThat(ok).allMatch(Outcome::ok).allMatch(o -> o.detail().equals("tcp connected"));
        List<Outcome> closed = run(Attempts.of(new CheckSpec.Tcp(freePort(), SURE), LO, LO), 2);
        assertThat(closed).allMatch(o -> o.kind() == Outcome.Kind.FAIL).allMatch(o -> o.detail().contains("Connection refused"));
    }

    /**
     * A minimal HTTP server: reads the request, answers the status {@code statusOf} gives its path, closes. Not the
     * JDK's HttpServer, whose single dispatcher thread took 25-100 ms per request on a loaded machine.
     */
    int httpServer(java.util.function.ToIntFunction<String> statusOf) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LO);
        open.add(server);
        Thread t = new Thread(() -> {
            while (true) {
                try (java.net.Socket c = server.accept()) {
                    String line = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                            java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                    int status = statusOf.applyAsInt(line.split(" ")[1]);
                    c.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    if (server.isClosed()) return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    @Test
    void httpStatus() throws Exception {
        int port = httpServer(path -> path.equals("/healthz") ? 200 : 503);
        assertThat(run(Attempts.of(new CheckSpec.Http(port, "/healthz", List.of(200), SURE), LO, LO), 2))
                .allMatch(Outcome::ok).allMatch(o -> o.detail().equals("http 200"));
        assertThat(run(Attempts.of(new CheckSpec.Http(port, "/broken", List.of(200, 204), SURE), LO, LO), 1))
                .singleElement().satisfies(o -> assertThat(o.detail()).isEqualTo("http: status 503, expected [200, 204]"));
    }

    /** A DNS server answering TXT "pong" with {@code rcode}, or (rcode < 0) reading and never answering. */
    int dnsServer(int rcode) throws Exception {
        DatagramSocket s = new DatagramSocket(0, LO);
        open.add(s);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1500];
            while (true) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (rcode < 0) continue;
                    Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    Message a = new Message(q.getHeader().getID());
                    a.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                    a.getHeader().setRcode(rcode);
                    a.addRecord(q.getQuestion(), Section.QUESTION);
                    if (rcode == Rcode.NOERROR) a.addRecord(new TXTRecord(q.getQuestion().getName(), org.xbill.DNS.DClass.IN, 0, "pong"), Section.ANSWER);
                    byte[] w = a.toWire();
                    s.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s.getLocalPort();
    }

    @Test
    void dnsAnsweredRefusedAndSilent() throws Exception {
        CheckSpec.Dns any = new CheckSpec.Dns(Proto.UDP, dnsServer(Rcode.NOERROR), "whoami.anyloop", "TXT", List.of(), SURE);
        assertThat(run(Attempts.of(any, LO, LO), 3)).allMatch(Outcome::ok)
                .allSatisfy(o -> assertThat(o.detail()).isEqualTo("udp dns: NOERROR, 1 answer record (\"pong\")"));
        CheckSpec.Dns noerror = new CheckSpec.Dns(Proto.UDP, dnsServer(Rcode.REFUSED), "whoami.anyloop", "TXT", List.of("NOERROR"), SURE);
        assertThat(run(Attempts.of(noerror, LO, LO), 1)).singleElement()
                .satisfies(o -> assertThat(o.detail()).isEqualTo("udp dns: rcode REFUSED, expected NOERROR"));
        CheckSpec.Dns silent = new CheckSpec.Dns(Proto.UDP, dnsServer(-1), ".", "NS", List.of(), SILENT);
        assertThat(run(Attempts.of(silent, LO, LO), 2)).allSatisfy(o -> assertThat(o.detail()).isEqualTo("no answer within 200 ms"));
        // nothing listening: the connected socket gets the ICMP port unreachable at once
        CheckSpec.Dns nobody = new CheckSpec.Dns(Proto.UDP, freePort(), ".", "NS", List.of(), SURE);
        List<Outcome> refused = run(Attempts.of(nobody, LO, LO), 2);
        assertThat(refused).allMatch(o -> o.kind() == Outcome.Kind.FAIL).allSatisfy(o -> assertThat(o.detail()).isEqualTo("udp dns: port unreachable"));
        // "at once": long before the timeout (the detail already says it was not one)
        assertThat(refused).allMatch(o -> o.latencyNanos() < SURE.timeout().toNanos() / 2);
    }

    @Test
    void aProbeSourceThatIsNotLocalIsTheCheckersFault() throws Exception {
        // a documentation address that is on no interface here: bind fails, no packet is sent
        InetAddress gone = notLocal();
        List<Outcome> tcp = run(Attempts.of(new CheckSpec.Tcp(80, SURE), gone, LO), 2);
        assertThat(tcp).allMatch(o -> o.kind() == Outcome.Kind.LOCAL)
                .allSatisfy(o -> assertThat(o.detail()).startsWith("cannot bind probe source " + gone.getHostAddress() + ": "));
        List<Outcome> dns = run(Attempts.of(new CheckSpec.Dns(Proto.UDP, 53, ".", "NS", List.of(), SURE), gone, LO), 1);
        assertThat(dns).allMatch(o -> o.kind() == Outcome.Kind.LOCAL);
    }

    static InetAddress notLocal() throws Exception {
        for (String a : List.of("192.0.2.254", "198.51.100.254", "203.0.113.254")) {
            InetAddress x = InetAddress.getByName(a);
            if (java.net.NetworkInterface.getByInetAddress(x) == null) return x;
        }
        throw new IllegalStateException("every candidate address is local here");
    }

    @Test
    void outcomesArriveInTheOrderTheAttemptsStarted() throws Exception {
        // every second attempt is slow: a later fast answer must not overtake it
        int port = dnsServer(Rcode.NOERROR);
        int[] n = {0};
        Supplier<Attempt> base = Attempts.of(new CheckSpec.Dns(Proto.UDP, port, "x", "TXT", List.of(), SURE), LO, LO);
        Supplier<Attempt> slow = Attempts.of(new CheckSpec.Dns(Proto.UDP, dnsServer(-1), "x", "TXT", List.of(), SILENT), LO, LO);
        Supplier<Attempt> mixed = () -> (n[0]++ % 2 == 0) ? slow.get() : base.get();
        List<Outcome> got = run(mixed, 6);
        assertThat(got).extracting(Outcome::ok).containsExactly(false, true, false, true, false, true);
    }

}
