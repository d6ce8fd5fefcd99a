package dev.anyloop.state;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The iptables tables and their built-in chains, in the order iptables-save prints them (and anyloop
 * writes them). Every other room asks here: the simulator which hooks a table has, the renderers and
 * the snapshot reader which chains are built in.
 */
public enum IptablesTable {
    RAW(List.of(Hook.PREROUTING, Hook.OUTPUT)),
    MANGLE(List.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING)),
    NAT(List.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING)),
    FILTER(List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT)),
    SECURITY(List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT));

    private final List<Hook> hooks;

    IptablesTable(List<Hook> hooks) { this.hooks = hooks; }

    /** filter, nat, mangle, raw, security: the word after {@code *} and {@code -t}. */
    public String word() { return name().toLowerCase(Locale.ROOT); }

    /** The hooks this table has a built-in chain on, in iptables-save's order. */
    public List<Hook> hooks() { return hooks; }

    /** The built-in chain names, in iptables-save's order. */
    public List<String> builtinChains() { return hooks.stream().map(Hook::chain).toList(); }

    public boolean hasBuiltin(String chain) { return builtinChains().contains(chain); }

    public static Optional<IptablesTable> of(String word) {
        for (IptablesTable t : values()) if (t.word().equals(word)) return Optional.of(t);
        return Optional.empty();
    }

    /** The built-in chain names of table {@code word}, empty for a table iptables does not know. */
    public static List<String> builtinsOf(String word) { return of(word).map(IptablesTable::builtinChains).orElse(List.of()); }
}
