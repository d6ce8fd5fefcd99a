package dev.anyloop.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Each iptables built-in chain with the nft hook, chain type and priority it is registered at, as
 * iptables-nft registers them (and x_tables: NF_IP_PRI_RAW -300, NF_IP_PRI_MANGLE -150,
 * NF_IP_PRI_NAT_DST -100, NF_IP_PRI_FILTER 0, NF_IP_PRI_SECURITY 50, NF_IP_PRI_NAT_SRC 100).
 * Sorted by hook and priority this is the order the kernel runs them in.
 */
public enum BuiltinChain {
    RAW_PREROUTING(IptablesTable.RAW, Hook.PREROUTING, ChainType.FILTER, Priority.RAW),
    RAW_OUTPUT(IptablesTable.RAW, Hook.OUTPUT, ChainType.FILTER, Priority.RAW),
    MANGLE_PREROUTING(IptablesTable.MANGLE, Hook.PREROUTING, ChainType.FILTER, Priority.MANGLE),
    MANGLE_INPUT(IptablesTable.MANGLE, Hook.INPUT, ChainType.FILTER, Priority.MANGLE),
    MANGLE_FORWARD(IptablesTable.MANGLE, Hook.FORWARD, ChainType.FILTER, Priority.MANGLE),
    // mangle OUTPUT re-routes a packet whose mark or addresses changed: nft's "route" type
    MANGLE_OUTPUT(IptablesTable.MANGLE, Hook.OUTPUT, ChainType.ROUTE, Priority.MANGLE),
    MANGLE_POSTROUTING(IptablesTable.MANGLE, Hook.POSTROUTING, ChainType.FILTER, Priority.MANGLE),
    NAT_PREROUTING(IptablesTable.NAT, Hook.PREROUTING, ChainType.NAT, Priority.DSTNAT),
    NAT_INPUT(IptablesTable.NAT, Hook.INPUT, ChainType.NAT, Priority.SRCNAT),
    NAT_OUTPUT(IptablesTable.NAT, Hook.OUTPUT, ChainType.NAT, Priority.DSTNAT),
    NAT_POSTROUTING(IptablesTable.NAT, Hook.POSTROUTING, ChainType.NAT, Priority.SRCNAT),
    FILTER_INPUT(IptablesTable.FILTER, Hook.INPUT, ChainType.FILTER, Priority.FILTER),
    FILTER_FORWARD(IptablesTable.FILTER, Hook.FORWARD, ChainType.FILTER, Priority.FILTER),
    FILTER_OUTPUT(IptablesTable.FILTER, Hook.OUTPUT, ChainType.FILTER, Priority.FILTER),
    SECURITY_INPUT(IptablesTable.SECURITY, Hook.INPUT, ChainType.FILTER, Priority.SECURITY),
    SECURITY_FORWARD(IptablesTable.SECURITY, Hook.FORWARD, ChainType.FILTER, Priority.SECURITY),
    SECURITY_OUTPUT(IptablesTable.SECURITY, Hook.OUTPUT, ChainType.FILTER, Priority.SECURITY);

    private final IptablesTable table;
    private final Hook hook;
    private final ChainType type;
    private final Priority priority;

    BuiltinChain(IptablesTable table, Hook hook, ChainType type, Priority priority) {
        this.table = table;
        this.hook = hook;
        this.type = type;
        this.priority = priority;
    }

    public IptablesTable table() { return table; }

    public Hook hook() { return hook; }

    public ChainType type() { return type; }

    /** The priority number the chain is registered at. */
    public int priority() { return priority.value(); }

    /**
     * The priority as nft writes it: a standard name (raw, mangle, dstnat, filter, security, srcnat), or the number
     * where nft refuses the name (it takes dstnat only at prerouting and srcnat only at postrouting).
     */
    public String nftPriority() {
        if (priority == Priority.DSTNAT && hook != Hook.PREROUTING) return Integer.toString(priority.value());
        if (priority == Priority.SRCNAT && hook != Hook.POSTROUTING) return Integer.toString(priority.value());
        return priority.nft();
    }

    /** The iptables chain name: INPUT. */
    public String chain() { return hook.chain(); }

    public static Optional<BuiltinChain> of(String table, String chain) {
        for (BuiltinChain b : values()) if (b.table.word().equals(table) && b.chain().equals(chain)) return Optional.of(b);
        return Optional.empty();
    }

    /** The built-in chains on {@code hook}, in the order the kernel runs them (by priority). */
    public static List<BuiltinChain> on(Hook hook) {
        List<BuiltinChain> out = new ArrayList<>();
        for (BuiltinChain b : values()) if (b.hook == hook) out.add(b);
        out.sort(Comparator.comparingInt(BuiltinChain::priority));
        return out;
    }
}
