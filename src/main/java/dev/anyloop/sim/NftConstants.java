package dev.anyloop.sim;

import dev.anyloop.net.Family;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The words nft prints for constants of its data types, as numbers: protocols, ICMP types, conntrack state
 * and status bits, TCP flags, packet types, interface types, service names (nft's datatype.c, proto.c, ct.c).
 */
final class NftConstants {
    private NftConstants() { }

    /** ct state bits (nf_conntrack_common.h: NF_CT_STATE_BIT, untracked 1 << 6). */
    static final Map<String, Long> CT_STATE = Map.of("invalid", 1L, "established", 2L, "related", 4L, "new", 8L, "untracked", 64L);
    /** ct status bits (IPS_*). */
    static final Map<String, Long> CT_STATUS = Map.ofEntries(Map.entry("expected", 1L), Map.entry("seen-reply", 2L),
            Map.entry("assured", 4L), Map.entry("confirmed", 8L), Map.entry("snat", 16L), Map.entry("dnat", 32L),
            Map.entry("dying", 512L));
    static final Map<String, Long> TCP_FLAGS = Map.of("fin", 1L, "syn", 2L, "rst", 4L, "psh", 8L, "ack", 16L, "urg", 32L,
            "ecn", 64L, "cwr", 128L);
    static final Map<String, Long> PROTOCOLS = Map.ofEntries(Map.entry("icmp", 1L), Map.entry("igmp", 2L), Map.entry("tcp", 6L),
            Map.entry("udp", 17L), Map.entry("gre", 47L), Map.entry("esp", 50L), Map.entry("ah", 51L), Map.entry("ipv6-icmp", 58L),
            Map.entry("icmpv6", 58L), Map.entry("sctp", 132L), Map.entry("udplite", 136L), Map.entry("dccp", 33L),
            Map.entry("ipip", 4L), Map.entry("ipv6", 41L), Map.entry("ospf", 89L), Map.entry("vrrp", 112L));
    static final Map<String, Long> ICMP_TYPES = Map.ofEntries(Map.entry("echo-reply", 0L), Map.entry("destination-unreachable", 3L),
            Map.entry("source-quench", 4L), Map.entry("redirect", 5L), Map.entry("echo-request", 8L), Map.entry("router-advertisement", 9L),
            Map.entry("router-solicitation", 10L), Map.entry("time-exceeded", 11L), Map.entry("parameter-problem", 12L),
            Map.entry("timestamp-request", 13L), Map.entry("timestamp-reply", 14L), Map.entry("info-request", 15L),
            Map.entry("info-reply", 16L), Map.entry("address-mask-request", 17L), Map.entry("address-mask-reply", 18L));
    static final Map<String, Long> ICMPV6_TYPES = Map.ofEntries(Map.entry("destination-unreachable", 1L), Map.entry("packet-too-big", 2L),
            Map.entry("time-exceeded", 3L), Map.entry("parameter-problem", 4L), Map.entry("echo-request", 128L),
            Map.entry("echo-reply", 129L), Map.entry("mld-listener-query", 130L), Map.entry("mld-listener-report", 131L),
            Map.entry("mld-listener-done", 132L), Map.entry("mld-listener-reduction", 132L), Map.entry("nd-router-solicit", 133L),
            Map.entry("nd-router-advert", 134L), Map.entry("nd-neighbor-solicit", 135L), Map.entry("nd-neighbor-advert", 136L),
            Map.entry("nd-redirect", 137L), Map.entry("router-renumbering", 138L), Map.entry("ind-neighbor-solicit", 141L),
            Map.entry("ind-neighbor-advert", 142L), Map.entry("mld2-listener-report", 143L));
    /** Services nft may print by name (only with -S, but a hand-written file can hold them). */
    static final Map<String, Long> SERVICES = Map.ofEntries(Map.entry("ssh", 22L), Map.entry("domain", 53L), Map.entry("http", 80L),
            Map.entry("https", 443L), Map.entry("ntp", 123L), Map.entry("smtp", 25L), Map.entry("telnet", 23L), Map.entry("ftp", 21L),
            Map.entry("bootps", 67L), Map.entry("bootpc", 68L), Map.entry("syslog", 514L), Map.entry("submission", 587L),
            Map.entry("imaps", 993L), Map.entry("pop3s", 995L), Map.entry("dhcpv6-client", 546L), Map.entry("dhcpv6-server", 547L),
            Map.entry("mdns", 5353L), Map.entry("http-alt", 8080L));
    static final Map<String, Long> NFPROTO = Map.of("ipv4", 2L, "ipv6", 10L);
    static final Map<String, Long> PKTTYPE = Map.of("host", 0L, "unicast", 0L, "broadcast", 1L, "multicast", 2L, "other", 3L);
    static final Map<String, Long> DIRECTION = Map.of("original", 0L, "reply", 1L);
    /** ARPHRD_*: what meta iiftype/oiftype compare with. */
    static final Map<String, Long> IFTYPE = Map.of("ether", 1L, "loopback", 772L, "ppp", 512L, "ipip", 768L, "ipip6", 769L,
            "gre", 778L, "gretap", 1L);

    /** A number as nft writes it (decimal, or 0x hex), or the word's value in {@code words}; empty if neither. */
    static OptionalLong number(String text, Map<String, Long> words) {
        Long w = words.get(text.toLowerCase(Locale.ROOT));
        if (w != null) return OptionalLong.of(w);
        try {
            String t = text.strip();
            return OptionalLong.of(t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static long protocolOf(Packet p) {
        switch (p.proto()) {
            case TCP: return 6;
            case UDP: return 17;
            default: return p.family() == Family.V4 ? 1 : 58;
        }
    }
}
