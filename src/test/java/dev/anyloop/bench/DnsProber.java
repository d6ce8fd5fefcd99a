package dev.anyloop.bench;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A client as the failover benchmarks see it: one DNS query for {@code whoami.anyloop TXT} (the lab's dnsmasq
 * answers with its host name) every {@code INTERVAL} ms to {@code ADDRESS}:53, and for each answer one line
 * "SENT_MICROS HOST" (epoch microseconds of the query's sending). Unanswered queries print nothing, so a failover
 * is the gap between the last answer from the failed server and the first from the next one. Runs inside a lab
 * namespace ({@code nsenter --net=... java -cp ... DnsProber 10.53.0.53 5}) until it is killed.
 */
public final class DnsProber {
    private DnsProber() { }

    public static void main(String[] args) throws Exception {
        InetSocketAddress to = new InetSocketAddress(args[0], 53);
        long interval = Long.parseLong(args[1]);
        long[] sent = new long[1 << 16];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(to);
            Thread receiver = new Thread(() -> receive(ch, sent, out), "dns-prober-receive");
            receiver.setDaemon(true);
            receiver.start();
            for (int seq = 0; ; seq = (seq + 1) & 0xffff) {
                Instant now = Instant.now();
                sent[seq] = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
                try {
                    ch.write(ByteBuffer.wrap(query(seq)));
                } catch (java.io.IOException e) {
                    // ICMP port unreachable from the last query (the server's dnsmasq is dead): the next write goes on
                }
                Thread.sleep(interval);
            }
        }
    }

    private static void receive(DatagramChannel ch, long[] sent, PrintStream out) {
        ByteBuffer b = ByteBuffer.allocate(512);
        while (true) {
            b.clear();
            try {
                ch.read(b);
            } catch (java.io.IOException e) {
                continue; // a refused query (ICMP port unreachable) surfaces here on a connected channel
            }
            b.flip();
            if (b.remaining() < 12) continue;
            int id = b.getShort(0) & 0xffff;
            String host = txt(b);
            if (!host.isEmpty()) out.println(sent[id] + " " + host);
        }
    }

    /** A standard query (RD set) for whoami.anyloop, TXT, IN. */
    static byte[] query(int id) {
        ByteBuffer q = ByteBuffer.allocate(12 + 16 + 4);
        q.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : new String[] {"whoami", "anyloop"}) {
            q.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.put((byte) 0).putShort((short) 16).putShort((short) 1);
        return q.array();
    }

    /** The first character string of the first answer's TXT data, or "" (RFC 1035 4.1, 3.3.14). */
    static String txt(ByteBuffer r) {
        int ancount = r.getShort(6) & 0xffff;
        if (ancount == 0) return "";
        int p = skipName(r, 12) + 4;          // the question: name, type, class
        p = skipName(r, p) + 10;              // the answer: name, type, class, ttl, rdlength
        if (p >= r.limit()) return "";
        int len = r.get(p) & 0xff;
        if (p + 1 + len > r.limit()) return "";
        byte[] s = new byte[len];
        for (int i = 0; i < len; i++) s[i] = r.get(p + 1 + i);
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static int skipName(ByteBuffer r, int p) {
        while (p < r.limit()) {
            int len = r.get(p) & 0xff;
            if ((len & 0xc0) == 0xc0) return p + 2; // a compression pointer ends the name
            if (len == 0) return p + 1;
            p += 1 + len;
        }
        return p;
    }
}
