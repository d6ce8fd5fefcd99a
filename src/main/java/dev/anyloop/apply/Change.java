package dev.anyloop.apply;

import dev.anyloop.net.Family;
import dev.anyloop.render.IptablesRenderer;
import dev.anyloop.state.Address;
import dev.anyloop.state.PolicyRule;
import dev.anyloop.state.Route;
import dev.anyloop.state.Rule;
import java.util.List;
import java.util.Optional;

/**
 * One change to what anyloop owns on a host. The variants are closed; code that handles changes does so
 * through {@link Visitor}, so a new variant is a compile error everywhere it is not handled yet.
 */
public sealed interface Change {
    /** The groups {@code diff} prints changes in. */
    enum Group { ADDRESSES, ROUTES, RULES, SYSCTLS, FIREWALL }

    <R> R accept(Visitor<R> v);

    /** One-line description, as {@code diff} prints it under its group: "+ 10.10.10.10/32 dev lo". */
    String describe();

    /** For --json: "address-add", "route-replace", ... */
    String kind();

    Group group();

    /** One method per variant: the exhaustive dispatch. */
    interface Visitor<R> {
        R addressAdd(AddressAdd c);

        R addressDel(AddressDel c);

        R routeReplace(RouteReplace c);

        R routeDel(RouteDel c);

        R ruleAdd(RuleAdd c);

        R ruleDel(RuleDel c);

        R sysctlSet(SysctlSet c);

        R chainReplace(ChainReplace c);

        R chainDelete(ChainDelete c);

        R jumpInsert(JumpInsert c);

        R jumpDelete(JumpDelete c);

        R nftReplace(NftReplace c);

        R nftDelete(NftDelete c);
    }

    /** {@code ip address add ADDR dev lo}. */
    record AddressAdd(Address address) implements Change {
        public <R> R accept(Visitor<R> v) { return v.addressAdd(this); }

        public String describe() { return "+ " + address.address() + " dev " + address.dev(); }

        public String kind() { return "address-add"; }

        public Group group() { return Group.ADDRESSES; }
    }

    /** {@code ip address del ADDR dev lo}: only an address anyloop added. */
    record AddressDel(Address address) implements Change {
        public <R> R accept(Visitor<R> v) { return v.addressDel(this); }

        public String describe() { return "- " + address.address() + " dev " + address.dev(); }

        public String kind() { return "address-del"; }

        public Group group() { return Group.ADDRESSES; }
    }

    /** {@code ip route replace ROUTE}: a new route, or {@code from} (the live route with the same key) changed. */
    record RouteReplace(Route route, Optional<Route> from) implements Change {
        public <R> R accept(Visitor<R> v) { return v.routeReplace(this); }

        public String describe() {
            return from.map(f -> "~ " + route + " (was " + f + ")").orElse("+ " + route);
        }

        public String kind() { return from.isPresent() ? "route-change" : "route-add"; }

        public Group group() { return Group.ROUTES; }
    }

    /** {@code ip route del ROUTE}: only a route with anyloop's proto. */
    record RouteDel(Route route) implements Change {
        public <R> R accept(Visitor<R> v) { return v.routeDel(this); }

        public String describe() { return "- " + route; }

        public String kind() { return "route-del"; }

        public Group group() { return Group.ROUTES; }
    }

    /** {@code ip rule add RULE protocol 77}. */
    record RuleAdd(PolicyRule rule) implements Change {
        public <R> R accept(Visitor<R> v) { return v.ruleAdd(this); }

        public String describe() { return "+ " + rule; }

        public String kind() { return "rule-add"; }

        public Group group() { return Group.RULES; }
    }

    /** {@code ip rule del RULE}: only a rule with anyloop's protocol. */
    record RuleDel(PolicyRule rule) implements Change {
        public <R> R accept(Visitor<R> v) { return v.ruleDel(this); }

        public String describe() { return "- " + rule; }

        public String kind() { return "rule-del"; }

        public Group group() { return Group.RULES; }
    }

    /** {@code sysctl -w KEY=VALUE}; {@code from} is the live value (none when the key was not read). */
    record SysctlSet(String key, String value, Optional<String> from) implements Change {
        public <R> R accept(Visitor<R> v) { return v.sysctlSet(this); }

        public String describe() { return "~ " + key + " = " + value + from.map(f -> " (was " + f + ")").orElse(""); }

        public String kind() { return "sysctl-set"; }

        public Group group() { return Group.SYSCTLS; }
    }

    /** An {@code AL-*} chain created ({@code from} empty) or rewritten whole, in one transaction with the rest. */
    record ChainReplace(ChainRef chain, List<Rule> rules, Optional<List<Rule>> from) implements Change {
        public ChainReplace {
            rules = List.copyOf(rules);
            from = from.map(List::copyOf);
        }

        public <R> R accept(Visitor<R> v) { return v.chainReplace(this); }

        public String describe() {
            return (from.isPresent() ? "~ " : "+ ") + chain + " (" + from.map(f -> f.size() + " -> ").orElse("")
                    + rules.size() + (rules.size() == 1 ? " rule)" : " rules)");
        }

        public String kind() { return from.isPresent() ? "chain-replace" : "chain-add"; }

        public Group group() { return Group.FIREWALL; }
    }

    /** An {@code AL-*} chain flushed and removed (after the jumps into it). */
    record ChainDelete(ChainRef chain, List<Rule> rules) implements Change {
        public ChainDelete {
            rules = List.copyOf(rules);
        }

        public <R> R accept(Visitor<R> v) { return v.chainDelete(this); }

        public String describe() { return "- " + chain + " (" + rules.size() + (rules.size() == 1 ? " rule)" : " rules)"); }

        public String kind() { return "chain-del"; }

        public Group group() { return Group.FIREWALL; }
    }

    /** A jump into an {@code AL-*} chain, inserted at {@code position} (from 1, counted when it runs) of a chain anyloop does not own. */
    record JumpInsert(ChainRef parent, int position, Rule rule) implements Change {
        public <R> R accept(Visitor<R> v) { return v.jumpInsert(this); }

        public String describe() { return "+ " + parent + " #" + position + ": " + spec(parent.family(), rule); }

        public String kind() { return "jump-add"; }

        public Group group() { return Group.FIREWALL; }
    }

    /** A jump into an {@code AL-*} chain deleted by its specification (the first equal rule goes, which is anyloop's own). */
    record JumpDelete(ChainRef parent, Rule rule) implements Change {
        public <R> R accept(Visitor<R> v) { return v.jumpDelete(this); }

        public String describe() { return "- " + parent + ": " + spec(parent.family(), rule); }

        public String kind() { return "jump-del"; }

        public Group group() { return Group.FIREWALL; }
    }

    /**
     * {@code table inet anyloop} replaced atomically by {@code text} (one nft -f: create it empty, delete it,
     * define it again), or created when {@code create}.
     */
    record NftReplace(String text, boolean create) implements Change {
        public <R> R accept(Visitor<R> v) { return v.nftReplace(this); }

        public String describe() {
            long chains = text.lines().filter(l -> l.strip().startsWith("chain ")).count();
            return (create ? "+ " : "~ ") + "nft table inet anyloop (" + chains + " chains)";
        }

        public String kind() { return create ? "nft-table-add" : "nft-table-replace"; }

        public Group group() { return Group.FIREWALL; }
    }

    /** {@code delete table inet anyloop}. */
    record NftDelete() implements Change {
        public <R> R accept(Visitor<R> v) { return v.nftDelete(this); }

        public String describe() { return "- nft table inet anyloop"; }

        public String kind() { return "nft-table-del"; }

        public Group group() { return Group.FIREWALL; }
    }

    /** The rule as iptables-save prints it after the chain name; a rule that cannot be written shows why. */
    static String spec(Family f, Rule r) {
        try {
            return IptablesRenderer.spec(f, r);
        } catch (IllegalArgumentException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
