package dev.anyloop.watch;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A DNS client for the failover tests and the benchmark, run inside a lab host's namespace: sends a TXT query for
 * whoami.anyloop to SERVER every INTERVAL ms for SECONDS s, and prints one line per answer: the epoch millisecond it
 * arrived and the host that answered (every lab dnsmasq answers with its host's name). Unanswered queries print
 * nothing: the gap between two lines is the outage.
 */
public final class DnsLoop {
    private DnsLoop() { }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], 53);
        long interval = Long.parseLong(args[1]);
        long end = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        Map<Integer, Long> sent = new ConcurrentHashMap<>();
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(null);
        Thread reader = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(1500);
            while (true) {
                try {
                    buf.clear();
                    ch.receive(buf);
                    buf.flip();
                    byte[] b = new byte[buf.remaining()];
                    buf.get(b);
                    Message m = new Message(b);
                    if (sent.remove(m.getHeader().getID()) == null) continue;
                    String who = "?";
                    for (Record r : m.getSection(Section.ANSWER)) if (r instanceof TXTRecord) who = String.join("", ((TXTRecord) r).getStrings());
                    synchronized (System.out) {
                        System.out.println(System.currentTimeMillis() + " " + who);
                        System.out.flush();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        Record q = Record.newRecord(Name.fromString("whoami.anyloop."), Type.TXT, DClass.IN);
        int id = 0;
        long next = System.currentTimeMillis();
        while (System.currentTimeMillis() < end) {
            Message m = Message.newQuery(q);
            id = (id + 1) & 0xffff;
            m.getHeader().setID(id);
            sent.put(id, System.currentTimeMillis());
            ch.send(ByteBuffer.wrap(m.toWire()), server);
            next += interval;
            long wait = next - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            if (sent.size() > 1000) sent.clear();
        }
        Thread.sleep(300);
        System.exit(0);
    }
}
