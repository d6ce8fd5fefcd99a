package dev.anyloop.sim;

import dev.anyloop.net.Family;

/**
 * What an nft rule reads and changes while it runs on one packet at one hook: the packet (its mark may be
 * set), the devices, the host, the conntrack entry (its mark may be set) and the hook.
 */
final class NftCtx {
    Packet pkt;
    final String in;
    final String out;
    final HostModel host;
    final Conntrack.Entry ct;
    final dev.anyloop.state.Hook hook;
    final Recorder rec;
    /** Why the rule being run cannot be decided (an unmodelled match held or not, we do not know), or null. */
    String unknown;
    /** A limit the packet passed: a single probe passes while the bucket has tokens (said in the trace). */
    String limited;

    NftCtx(Packet pkt, String in, String out, HostModel host, Conntrack.Entry ct, dev.anyloop.state.Hook hook, Recorder rec) {
        this.pkt = pkt;
        this.in = in;
        this.out = out;
        this.host = host;
        this.ct = ct;
        this.hook = hook;
        this.rec = rec;
    }

    Family family() { return pkt.family(); }

    long ctMark() { return ct == null ? 0 : ct.mark; }
}
