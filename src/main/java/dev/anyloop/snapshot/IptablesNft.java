package dev.anyloop.snapshot;

import dev.anyloop.net.Family;
import dev.anyloop.state.BuiltinChain;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Table;
import dev.anyloop.state.nft.NftChain;
import dev.anyloop.state.nft.NftFamily;
import dev.anyloop.state.nft.NftRuleset;
import dev.anyloop.state.nft.NftTable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host's iptables tables and nftables ruleset read together, each rule counted once. With the nf_tables
 * backend (iptables-nft, Debian's default) every table iptables-save prints is also an nft table of family
 * ip/ip6 with the same name, listed by {@code nft -j list ruleset}: the iptables model keeps it (iptables-save
 * spells its xt matches, nft only says "xt match owner"). A table iptables-save calls incompatible
 * ("# Table `nat' contains incompatible base-chains", or "is incompatible") is a native nft table of that name:
 * iptables-save still prints an empty one, which is dropped, and the nft model keeps the real one. With the
 * legacy backend (x_tables) the two never overlap.
 */
final class IptablesNft {
    private IptablesNft() { }

    private static final Pattern INCOMPATIBLE = Pattern.compile("^# Table `([A-Za-z0-9_]+)' (?:contains incompatible base-chains|is incompatible)");

    /** What was read, reconciled. */
    record Read(Netfilter ipv4, Netfilter ipv6, NftRuleset nft) { }

    static Read reconcile(Optional<String> v4Text, Netfilter v4, Optional<String> v6Text, Netfilter v6, NftRuleset nft) {
        Netfilter a = v4;
        Netfilter b = v6;
        NftRuleset r = nft;
        for (Family f : Family.values()) {
            Optional<String> text = f == Family.V4 ? v4Text : v6Text;
            Netfilter nf = f == Family.V4 ? a : b;
            NftFamily fam = f == Family.V4 ? NftFamily.IP : NftFamily.IP6;
            Set<String> incompatible = incompatible(text.orElse(""));
            boolean legacy = text.orElse("").contains("(legacy)");
            List<Table> kept = nf.tables().stream().filter(t -> !incompatible.contains(t.name())).toList();
            for (Table t : kept) {
                Optional<NftTable> twin = r.table(fam, t.name());
                if (twin.isPresent() && !legacy && (nftBackend(text.orElse("")) || looksLikeIptables(twin.get()))) {
                    r = r.without(fam, t.name());
                }
            }
            Netfilter out = new Netfilter(f, kept);
            if (f == Family.V4) a = out;
            else b = out;
        }
        return new Read(a, b, r);
    }

    /** The tables an iptables-save output says are native nft tables it cannot show. */
    static Set<String> incompatible(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            Matcher m = INCOMPATIBLE.matcher(line.strip());
            if (m.find()) out.add(m.group(1));
        }
        return out;
    }

    private static boolean nftBackend(String text) { return text.contains("(nf_tables)"); }

    /** iptables-nft names each base chain after its iptables built-in chain (INPUT on hook input, ...). */
    private static boolean looksLikeIptables(NftTable t) {
        for (NftChain c : t.chains()) {
            if (c.base().isEmpty()) continue;
            Optional<BuiltinChain> b = BuiltinChain.of(t.name(), c.name());
            if (b.isEmpty() || !b.get().hook().nft().equals(c.base().get().hook())) return false;
        }
        return true;
    }
}
