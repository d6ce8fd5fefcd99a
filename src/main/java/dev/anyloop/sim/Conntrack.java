package dev.anyloop.sim;

import dev.anyloop.net.Proto;

/**
 * The conntrack entries one flow leaves on the hosts it crosses: per host the tuple as first seen
 * there ({@code orig}), the tuple after that host's NAT ({@code xlated}) and which NAT it applied.
 * A packet answering {@code xlated} is ESTABLISHED there and has the NAT undone.
 */
final class Conntrack {
    /** Which way a packet runs relative to the entry it matched. */
    enum Dir { ORIGINAL, REPLY, INVALID }

    /** One host's entry for the flow. */
    static final class Entry {
        final Packet orig;
        Packet xlated;
        boolean dnat;
        boolean snat;
        boolean dstDone;
        boolean srcDone;
        /** The connection's mark (ct mark, CONNMARK), shared by both directions. */
        long mark;

        Entry(Packet orig) {
            this.orig = orig;
            this.xlated = orig;
        }
    }

    /** The result of looking a packet up: the entry (a throwaway one for INVALID) and the direction. */
    record Seen(Entry entry, Dir dir) {
        CtState state() {
            if (dir == Dir.INVALID) return CtState.INVALID;
            if (dir == Dir.REPLY) return CtState.established(entry.dnat, entry.snat);
            return entry.dnat || entry.snat ? new CtState(dev.anyloop.state.ConntrackState.NEW, entry.dnat, entry.snat) : CtState.NEW;
        }
    }

    // a flow crosses a handful of hosts: parallel arrays searched by identity beat hashing names
    private Object[] hosts = new Object[8];
    private Entry[] entries = new Entry[8];
    private int size;

    private Entry get(Object host) {
        for (int i = 0; i < size; i++) if (hosts[i] == host) return entries[i];
        return null;
    }

    private void put(Object host, Entry e) {
        for (int i = 0; i < size; i++) {
            if (hosts[i] == host) {
                entries[i] = e;
                return;
            }
        }
        if (size == hosts.length) {
            hosts = java.util.Arrays.copyOf(hosts, size * 2);
            entries = java.util.Arrays.copyOf(entries, size * 2);
        }
        hosts[size] = host;
        entries[size++] = e;
    }

    /**
     * Looks {@code p} up on {@code host}, creating the entry for a new flow. A reply-type packet that
     * finds no entry cannot start a connection: a TCP SYN-ACK and an ICMP echo reply are INVALID
     * (tcp_new() and icmp_new() refuse them; nf_conntrack_tcp_loose only picks up plain ACKs), a UDP
     * answer simply starts a NEW flow there.
     */
    Seen see(Object host, Packet p) {
        Entry e = get(host);
        if (e != null) {
            if (p.sameTuple(e.orig) || p.sameTuple(e.xlated)) return new Seen(e, Dir.ORIGINAL);
            if (p.isAnswerTo(e.xlated)) return new Seen(e, Dir.REPLY);
        }
        if (p.reply() && p.proto() != Proto.UDP) return new Seen(new Entry(p), Dir.INVALID);
        Entry n = new Entry(p);
        put(host, n);
        return new Seen(n, Dir.ORIGINAL);
    }

    /** The tuple {@code host} first saw for this flow, or null when the flow never reached its conntrack. */
    Packet origOrNull(Object host) {
        Entry e = get(host);
        return e == null ? null : e.orig;
    }

    /** The tuple {@code host} first saw for this flow (the client: its socket's). */
    Packet origOn(Object host) {
        Entry e = get(host);
        if (e == null) throw new IllegalStateException("no conntrack entry on " + host);
        return e.orig;
    }
}
