package dev.anyloop.state;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;

/**
 * A listening TCP socket or bound UDP socket. A zero address is the wildcard; an IPv6 wildcard with
 * {@code v6only == false} also takes IPv4 (Linux's default, net.ipv6.bindv6only=0). {@code dev} is the
 * device the socket is bound to (SO_BINDTODEVICE, ss prints {@code ADDR%DEV}): it then only sees packets
 * that arrive on that device.
 */
public record Listener(Proto proto, Ip address, int port, boolean v6only, String process, java.util.Optional<String> dev) {
    public Listener {
        if (proto == Proto.ICMP) throw new IllegalArgumentException("a listener is tcp or udp, not icmp");
    }

    /** A socket not bound to a device. */
    public Listener(Proto proto, Ip address, int port, boolean v6only, String process) {
        this(proto, address, port, v6only, process, java.util.Optional.empty());
    }

    public static Listener of(Proto proto, Ip address, int port, String process) {
        return new Listener(proto, address, port, false, process);
    }

    /** True when a packet to {@code dst:port} over {@code p} finds this socket. */
    public boolean accepts(Proto p, Ip dst, int dport) {
        if (p != proto || dport != port) return false;
        if (address.isZero()) {
            return address.family() == dst.family() || (!v6only && !dst.family().equals(address.family())
                    && address.family() == Family.V6);
        }
        return address.equals(dst);
    }

    @Override
    public String toString() {
        String a = address.isV4() ? address.toString() : "[" + address + "]";
        return proto.word() + " " + a + dev.map(d -> "%" + d).orElse("") + ":" + port + (process.isEmpty() ? "" : " (" + process + ")");
    }
}
