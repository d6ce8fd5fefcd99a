package dev.anyloop.watch;

import dev.anyloop.intent.CheckSpec;
import dev.anyloop.net.Proto;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The attempts of each check kind. TCP connects and closes with a reset (SO_LINGER 0: a check every 100 ms must not
 * leave a TIME_WAIT socket behind each time); HTTP sends one GET and reads the status line; DNS sends one query over
 * UDP (a connected socket, so an ICMP port unreachable ends the attempt at once) or TCP. Every socket is bound to the
 * probe source first, which selects the probe path's table (docs/watch.md).
 */
final class Attempts {
    private Attempts() { }

    /** A factory of attempts of {@code check} from {@code source} to {@code address}. */
    static Supplier<Attempt> of(CheckSpec check, InetAddress source, InetAddress address) {
        return check.accept(new CheckSpec.Visitor<Supplier<Attempt>>() {
            public Supplier<Attempt> tcp(CheckSpec.Tcp c) {
                return () -> new Stream(c.timing().timeout().toNanos(), source, new InetSocketAddress(address, c.port()), new Connect());
            }

            public Supplier<Attempt> http(CheckSpec.Http c) {
                return () -> new Stream(c.timing().timeout().toNanos(), source, new InetSocketAddress(address, c.port()),
                        new HttpGet(c, address));
            }

            public Supplier<Attempt> dns(CheckSpec.Dns c) {
                InetSocketAddress to = new InetSocketAddress(address, c.port());
                long t = c.timing().timeout().toNanos();
                DnsQuery.Question q = new DnsQuery.Question(c);
                if (c.transport() == Proto.TCP) return () -> new Stream(t, source, to, new DnsOverTcp(new DnsQuery(q)));
                UdpSocket socket = new UdpSocket(source, to);
                return () -> new Datagram(t, socket, new DnsQuery(q));
            }

            public Supplier<Attempt> icmp(CheckSpec.Icmp c) {
                throw new IllegalArgumentException("icmp checks run as ping processes (IcmpChecks), not on the socket loop");
            }
        });
    }

    /** What is said over a TCP connection once it is up; {@link #answer} says when enough has been read. */
    interface Conversation {
        /** Bytes to send once connected; empty: connecting is the check. */
        byte[] request();

        /** The outcome once {@code read} holds enough, or null to read more. */
        String answer(ByteBuffer read, Stream s);

        String name();
    }

    /** A TCP connection, then the conversation. */
    static final class Stream extends Attempt {
        private final InetAddress source;
        private final InetSocketAddress to;
        private final Conversation talk;
        private ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(4096);

        Stream(long timeout, InetAddress source, InetSocketAddress to, Conversation talk) {
            super(System.nanoTime(), System.nanoTime() + timeout);
            this.source = source;
            this.to = to;
            this.talk = talk;
        }

        @Override
        void start(Selector selector) {
            SocketChannel ch;
            try {
                ch = SocketChannel.open();
                channel = ch;
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                ch.bind(new InetSocketAddress(source, 0));
            } catch (IOException e) {
                setupError("cannot bind probe source " + source.getHostAddress(), e);
                return;
            }
            try {
                ch.configureBlocking(false);
                boolean now = ch.connect(to);
                register(selector, SelectionKey.OP_CONNECT);
                if (now) connected((SelectionKey) ch.keyFor(selector));
            } catch (IOException e) {
                setupError(talk.name() + " connect", e);
            }
        }

        @Override
        public void ready(SelectionKey key) {
            SocketChannel ch = (SocketChannel) channel;
            try {
                if (key.isConnectable()) {
                    if (ch.finishConnect()) connected(key);
                    return;
                }
                if (key.isWritable()) {
                    ch.write(out);
                    if (!out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                if (key.isReadable()) {
                    int n = ch.read(in);
                    String answer = talk.answer(in.duplicate().flip(), this);
                    if (done()) return;
                    if (answer != null) ok(answer);
                    else if (n < 0) fail(talk.name() + ": connection closed before an answer");
                    else if (!in.hasRemaining()) fail(talk.name() + ": answer longer than " + in.capacity() + " bytes without an end");
                }
            } catch (IOException e) {
                fail(talk.name() + ": " + message(e));
            }
        }

        private void connected(SelectionKey key) {
            byte[] req = talk.request();
            if (req.length == 0) {
                ok(talk.name() + " connected");
                return;
            }
            out = ByteBuffer.wrap(req);
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    /** TCP connect is the whole check. */
    static final class Connect implements Conversation {
        public byte[] request() { return new byte[0]; }

        public String answer(ByteBuffer read, Stream s) { return null; }

        public String name() { return "tcp"; }
    }

    /** HTTP/1.1 GET with Connection: close; the status line decides. */
    static final class HttpGet implements Conversation {
        private final CheckSpec.Http check;
        private final String host;

        HttpGet(CheckSpec.Http check, InetAddress address) {
            this.check = check;
            String a = address.getHostAddress();
            this.host = address instanceof java.net.Inet6Address ? "[" + a + "]" : a;
        }

        public byte[] request() {
            return ("GET " + check.path() + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: anyloop-watch\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        public String answer(ByteBuffer read, Stream s) {
            String text = StandardCharsets.ISO_8859_1.decode(read).toString();
            int eol = text.indexOf("\r\n");
            if (eol < 0) return null;
            String line = text.substring(0, eol);
            String[] words = line.split(" ", 3);
            if (words.length < 2 || !words[0].startsWith("HTTP/") || !words[1].matches("[0-9]{3}")) {
                s.fail("http: not an HTTP status line: '" + clip(line) + "'");
                return null;
            }
            int status = Integer.parseInt(words[1]);
            if (!check.statuses().contains(status)) {
                s.fail("http: status " + status + ", expected " + check.statuses());
                return null;
            }
            return "http " + status;
        }

        public String name() { return "http"; }
    }

    /** DNS over TCP: two length bytes, then the message (RFC 1035, 4.2.2). */
    static final class DnsOverTcp implements Conversation {
        private final DnsQuery query;

        DnsOverTcp(DnsQuery query) { this.query = query; }

        public byte[] request() {
            byte[] m = query.wire();
            byte[] out = new byte[m.length + 2];
            out[0] = (byte) (m.length >> 8);
            out[1] = (byte) m.length;
            System.arraycopy(m, 0, out, 2, m.length);
            return out;
        }

        public String answer(ByteBuffer read, Stream s) {
            if (read.remaining() < 2) return null;
            int len = ((read.get(0) & 0xff) << 8) | (read.get(1) & 0xff);
            if (read.remaining() < 2 + len) return null;
            byte[] m = new byte[len];
            read.position(2);
            read.get(m);
            DnsQuery.Verdict v = query.judge(m);
            if (!v.ok()) {
                s.fail("tcp dns: " + v.detail());
                return null;
            }
            return "tcp dns: " + v.detail();
        }

        public String name() { return "tcp dns"; }
    }

    /**
     * One connected UDP socket per instance, kept open across checks (no socket, bind and connect per check: at
     * 3,000 checks a second that is most of the cost). Answers go to the attempt whose query ID they carry; an ICMP
     * port unreachable, which the kernel reports once on the socket, fails the oldest attempt in flight. Any other
     * error closes the socket; the next attempt opens a new one, so a probe source that disappears shows up as a
     * bind error (the checker's fault).
     */
    static final class UdpSocket implements Ready {
        private final InetAddress source;
        private final InetSocketAddress to;
        private DatagramChannel channel;
        private final java.util.LinkedHashMap<Integer, Datagram> inFlight = new java.util.LinkedHashMap<>();
        private final ByteBuffer in = ByteBuffer.allocate(4096);

        UdpSocket(InetAddress source, InetSocketAddress to) {
            this.source = source;
            this.to = to;
        }

        /** Sends {@code a}'s query; false (and {@code a} finished) when the socket could not be had or the send failed. */
        boolean send(Datagram a, Selector selector) {
            if (channel == null) {
                try {
                    channel = DatagramChannel.open();
                    channel.bind(new InetSocketAddress(source, 0));
                } catch (IOException e) {
                    a.setupError("cannot bind probe source " + source.getHostAddress(), e);
                    close();
                    return false;
                }
                try {
                    // connected: the kernel reports an ICMP port unreachable on this socket (ECONNREFUSED)
                    channel.connect(to);
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, this);
                } catch (IOException e) {
                    a.setupError("udp dns connect", e);
                    close();
                    return false;
                }
            }
            while (inFlight.containsKey(a.query.id())) a.query = a.query.again();
            try {
                channel.write(ByteBuffer.wrap(a.query.wire()));
            } catch (java.net.PortUnreachableException e) {
                // an earlier query's ICMP error, reported on this send: it ends the oldest attempt (or this one)
                Datagram oldest = inFlight.isEmpty() ? a : inFlight.values().iterator().next();
                oldest.fail("udp dns: port unreachable");
                if (oldest == a) return false;
                return send(a, selector);
            } catch (IOException e) {
                a.setupError("udp dns send", e);
                close();
                return false;
            }
            inFlight.put(a.query.id(), a);
            return true;
        }

        void forget(Datagram a) { inFlight.remove(a.query.id(), a); }

        @Override
        public void ready(SelectionKey key) {
            while (channel != null) {
                try {
                    in.clear();
                    if (channel.read(in) <= 0) return;
                    in.flip();
                    byte[] m = new byte[in.remaining()];
                    in.get(m);
                    if (m.length < 2) continue;
                    Datagram a = inFlight.get(((m[0] & 0xff) << 8) | (m[1] & 0xff));
                    if (a != null) a.answer(m);
                } catch (java.net.PortUnreachableException e) {
                    if (!inFlight.isEmpty()) inFlight.values().iterator().next().fail("udp dns: port unreachable");
                } catch (IOException e) {
                    for (Datagram a : List.copyOf(inFlight.values())) a.fail("udp dns: " + message(e));
                    close();
                }
            }
        }

        @Override
        public void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing a broken socket
                }
            }
            channel = null;
            for (Datagram a : List.copyOf(inFlight.values())) if (!a.done()) a.fail("udp dns: socket closed");
            inFlight.clear();
        }
    }

    /** One DNS query over an instance's {@link UdpSocket}. */
    static final class Datagram extends Attempt {
        private final UdpSocket socket;
        DnsQuery query;

        Datagram(long timeout, UdpSocket socket, DnsQuery query) {
            super(System.nanoTime(), System.nanoTime() + timeout);
            this.socket = socket;
            this.query = query;
        }

        @Override
        void start(Selector selector) { socket.send(this, selector); }

        @Override
        public void ready(SelectionKey key) {
            // the shared socket is registered, not the attempt
        }

        void answer(byte[] m) {
            DnsQuery.Verdict v = query.judge(m);
            if (v.foreign()) return; // an answer to another query that reused the ID: keep waiting
            if (v.ok()) ok("udp dns: " + v.detail());
            else fail("udp dns: " + v.detail());
        }

        /** Leaves the socket to the next attempt; only forgets this one's query. */
        @Override
        public void close() { socket.forget(this); }
    }

    static String message(IOException e) { return Attempt.message(e); }

    static String clip(String s) { return s.length() > 60 ? s.substring(0, 60) + "..." : s; }
}
