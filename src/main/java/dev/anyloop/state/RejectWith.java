package dev.anyloop.state;

import dev.anyloop.net.Family;
import java.util.List;
import java.util.Optional;

/**
 * What {@code -j REJECT --reject-with WORD} answers, per family, with the aliases libipt_REJECT and
 * libip6t_REJECT accept, and nft's spelling. Without {@code --reject-with} iptables answers ICMP port
 * unreachable; so does nft's bare {@code reject}.
 */
public final class RejectWith {
    private RejectWith() { }

    /** One kind of answer: its canonical iptables word, aliases, and nft's {@code reject with ...}; tcp is the RST. */
    public record Kind(Family family, String word, List<String> aliases, String nft, boolean tcpReset) {
        public boolean is(String w) { return word.equals(w) || aliases.contains(w); }
    }

    private static final List<Kind> KINDS = List.of(
            v4("icmp-net-unreachable", "net-unreach", "icmp type net-unreachable"),
            v4("icmp-host-unreachable", "host-unreach", "icmp type host-unreachable"),
            v4("icmp-port-unreachable", "port-unreach", "icmp type port-unreachable"),
            v4("icmp-proto-unreachable", "proto-unreach", "icmp type prot-unreachable"),
            v4("icmp-net-prohibited", "net-prohib", "icmp type net-prohibited"),
            v4("icmp-host-prohibited", "host-prohib", "icmp type host-prohibited"),
            v4("icmp-admin-prohibited", "admin-prohib", "icmp type admin-prohibited"),
            new Kind(Family.V4, "tcp-reset", List.of("tcp-rst"), "tcp reset", true),
            v6("icmp6-no-route", "no-route", "icmpv6 type no-route"),
            v6("icmp6-adm-prohibited", "adm-prohibited", "icmpv6 type admin-prohibited"),
            v6("icmp6-addr-unreachable", "addr-unreach", "icmpv6 type addr-unreachable"),
            v6("icmp6-port-unreachable", "port-unreach", "icmpv6 type port-unreachable"),
            v6("icmp6-policy-fail", "policy-fail", "icmpv6 type policy-fail"),
            v6("icmp6-reject-route", "reject-route", "icmpv6 type reject-route"),
            new Kind(Family.V6, "tcp-reset", List.of("tcp-rst"), "tcp reset", true));

    private static Kind v4(String w, String alias, String nft) { return new Kind(Family.V4, w, List.of(alias), nft, false); }

    private static Kind v6(String w, String alias, String nft) { return new Kind(Family.V6, w, List.of(alias), nft, false); }

    /** The answer a REJECT without {@code --reject-with} (and nft's bare {@code reject}) gives. */
    public static String defaultWord(Family f) { return f == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable"; }

    /** The kind {@code word} names in family {@code f} (blank: the default), or empty when iptables would refuse it. */
    public static Optional<Kind> of(Family f, String word) {
        String w = word.isBlank() ? defaultWord(f) : word;
        for (Kind k : KINDS) if (k.family() == f && k.is(w)) return Optional.of(k);
        return Optional.empty();
    }
}
