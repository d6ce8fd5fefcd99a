package dev.anyloop.render;

import dev.anyloop.net.Family;
import dev.anyloop.state.BuiltinChain;
import dev.anyloop.state.Chain;
import dev.anyloop.state.IptablesTable;
import dev.anyloop.state.DeviceState;
import dev.anyloop.state.Netfilter;
import dev.anyloop.state.Table;
import dev.anyloop.state.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders both families' netfilter state as one {@code table inet anyloop} for {@code nft -f}.
 *
 * <p>Each iptables table/chain becomes a regular chain per family ({@code v4_INPUT}, {@code v6_INPUT};
 * chains of other tables carry the table: {@code v4_nat_DOCKER}), and one base chain per built-in
 * chain dispatches to them by {@code meta nfproto}. The script starts with
 * {@code table inet anyloop {}} + {@code delete table inet anyloop}, so it loads again and again.
 * Matches and targets nft cannot carry (a snapshot's unsupported ones) throw, naming the rule.
 */
public final class NftRenderer {
    private NftRenderer() { }

    public static final String TABLE = "anyloop";

    public static String render(DeviceState s) {
        StringBuilder sb = new StringBuilder();
        sb.append("table inet ").append(TABLE).append(" {}\n");
        sb.append("delete table inet ").append(TABLE).append('\n');
        sb.append("table inet ").append(TABLE).append(" {\n");
        List<Netfilter> families = List.of(s.ipv4(), s.ipv6());
        Set<String> tables = new LinkedHashSet<>();
        for (Netfilter nf : families) nf.tables().forEach(t -> tables.add(t.name()));
        Map<String, String> seen = new HashMap<>();
        for (String table : tables) {
            for (String builtin : builtins(families, table)) baseChain(sb, families, table, builtin);
            for (Netfilter nf : families) {
                Optional<Table> t = nf.table(table);
                if (t.isEmpty()) continue;
                for (Chain c : IptablesRenderer.saveOrder(t.get())) {
                    String name = chainName(nf.family(), table, c.name());
                    String was = seen.put(name, table + " " + c.name());
                    if (was != null) {
                        throw new IllegalArgumentException("nft chain name " + name + " stands for both " + was + " and "
                                + table + " " + c.name());
                    }
                    familyChain(sb, nf.family(), table, c);
                }
            }
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** {@code v4_INPUT} for filter, {@code v4_nat_PREROUTING} for other tables. */
    static String chainName(Family f, String table, String chain) {
        return (f == Family.V4 ? "v4_" : "v6_") + (table.equals("filter") ? "" : table + "_") + Names.token("chain name", chain);
    }

    /** The built-in chains of {@code table} in either family, in iptables' order. */
    private static List<String> builtins(List<Netfilter> families, String table) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : IptablesTable.builtinsOf(table)) {
            for (Netfilter nf : families) if (nf.chain(table, n).filter(Chain::builtin).isPresent()) out.add(n);
        }
        for (Netfilter nf : families) {
            nf.table(table).ifPresent(t -> t.chains().stream().filter(Chain::builtin).forEach(c -> out.add(c.name())));
        }
        return new ArrayList<>(out);
    }

    private static void baseChain(StringBuilder sb, List<Netfilter> families, String table, String builtin) {
        BuiltinChain h = BuiltinChain.of(table, builtin)
                .orElseThrow(() -> new IllegalArgumentException("nft has no hook for iptables chain " + table + " " + builtin));
        sb.append("\tchain ").append(Names.token("table name", table)).append('_').append(h.hook().nft()).append(" {\n");
        sb.append("\t\ttype ").append(h.type().nft()).append(" hook ").append(h.hook().nft()).append(" priority ").append(h.nftPriority())
                .append("; policy accept;\n");
        for (Netfilter nf : families) {
            Optional<Chain> c = nf.chain(table, builtin).filter(Chain::builtin);
            if (c.isEmpty()) continue;
            String proto = "meta nfproto " + nf.family().word();
            sb.append("\t\t").append(proto).append(" jump ").append(chainName(nf.family(), table, builtin)).append('\n');
            // The policy sits here, after the jump, not at the end of v4_INPUT: a RETURN in a
            // built-in iptables chain means "apply the policy", and nft's return lands right here.
            Target policy = c.get().policy().get();
            if (policy instanceof Target.Drop) sb.append("\t\t").append(proto).append(" drop\n");
            else if (!(policy instanceof Target.Accept)) {
                throw new IllegalArgumentException("Invalid chain policy " + policy + " of " + table + " " + builtin);
            }
        }
        sb.append("\t}\n");
    }

    private static void familyChain(StringBuilder sb, Family f, String table, Chain c) {
        sb.append("\tchain ").append(chainName(f, table, c.name())).append(" {\n");
        for (int i = 0; i < c.rules().size(); i++) {
            sb.append("\t\t").append(NftRules.rule(f, table, c.name(), i, c.rules().get(i))).append('\n');
        }
        sb.append("\t}\n");
    }
}
