package dev.anyloop.sim;

import dev.anyloop.net.Family;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.state.IcmpTypes;

/**
 * One IP packet as the simulator sees it: addresses, transport, ports (for ICMP echo both carry the
 * echo identifier, as conntrack's tuple does), ICMP type, TTL and the conntrack state on the host
 * that currently holds it, and its mark (skb->mark: 0 as a socket sends it, set by MARK or {@code meta mark
 * set}). A TCP packet is a SYN when {@code reply} is false and a SYN-ACK otherwise.
 */
public record Packet(Ip src, Ip dst, Proto proto, int sport, int dport, int icmpType, int ttl, boolean reply,
                     CtState ct, long mark) {
    public Packet {
        if (src.family() != dst.family()) {
            throw new IllegalArgumentException("packet " + src + " -> " + dst + " mixes IPv4 and IPv6");
        }
    }

    /** The first packet of a flow: a TCP SYN, a UDP datagram or an ICMP echo request, TTL 64. */
    public static Packet request(Ip src, Ip dst, Proto proto, int sport, int dport) {
        int type = proto == Proto.ICMP ? IcmpTypes.echoRequest(src.family()) : -1;
        return new Packet(src, dst, proto, sport, dport, type, 64, false, CtState.NEW, 0);
    }

    public Family family() { return src.family(); }

    /** The answer to this packet: addresses and ports swapped, echo reply for echo request, TTL 64. */
    public Packet answer() {
        int type = proto == Proto.ICMP ? IcmpTypes.echoReply(src.family()) : -1;
        return new Packet(dst, src, proto, dport, sport, type, 64, true, CtState.NEW, 0);
    }

    public Packet withSrc(Ip s, int port) { return new Packet(s, dst, proto, port, dport, icmpType, ttl, reply, ct, mark); }

    public Packet withDst(Ip d, int port) { return new Packet(src, d, proto, sport, port, icmpType, ttl, reply, ct, mark); }

    public Packet withTtl(int t) { return new Packet(src, dst, proto, sport, dport, icmpType, t, reply, ct, mark); }

    public Packet withCt(CtState c) { return new Packet(src, dst, proto, sport, dport, icmpType, ttl, reply, c, mark); }

    public Packet withMark(long m) { return new Packet(src, dst, proto, sport, dport, icmpType, ttl, reply, ct, m & 0xffffffffL); }

    /**
     * Same conntrack tuple: addresses, protocol and ports (TTL and state aside), and for ICMP the type,
     * which conntrack's ICMP tuple holds: a host's echo reply to its own echo request has the request's
     * addresses and id but is its reply, not the request again.
     */
    public boolean sameTuple(Packet o) {
        return proto == o.proto && sport == o.sport && dport == o.dport && src.equals(o.src) && dst.equals(o.dst)
                && (proto != Proto.ICMP || icmpType == o.icmpType);
    }

    /** The tuple a reply to this packet carries. */
    public boolean isAnswerTo(Packet o) {
        return proto == o.proto && sport == o.dport && dport == o.sport && src.equals(o.dst) && dst.equals(o.src);
    }

    /** "tcp 10.0.0.1:40000 -> 10.1.1.1:80" or "icmp 10.0.0.1 -> 10.1.1.1 echo-request". */
    @Override
    public String toString() {
        if (proto == Proto.ICMP) {
            return proto.word() + " " + src + " -> " + dst + " " + IcmpTypes.name(family(), icmpType, -1);
        }
        return proto.word() + " " + hostPort(src, sport) + " -> " + hostPort(dst, dport);
    }

    static String hostPort(Ip ip, int port) { return (ip.isV4() ? ip.toString() : "[" + ip + "]") + ":" + port; }
}
