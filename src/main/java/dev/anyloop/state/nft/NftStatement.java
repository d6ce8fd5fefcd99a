package dev.anyloop.state.nft;

import java.util.Optional;

/**
 * One statement of an nftables rule: a match, a counter or log (which change nothing), a verdict, a
 * reject, NAT, a mark being set, a verdict map; anything else is {@link Unsupported}, kept as its JSON.
 */
public sealed interface NftStatement {
    <R> R accept(Visitor<R> v);

    /** One method per variant. */
    interface Visitor<R> {
        R visit(Match s);

        R visit(Counter s);

        R visit(Log s);

        R visit(Limit s);

        R visit(Verdict s);

        R visit(Reject s);

        R visit(Nat s);

        R visit(Mangle s);

        R visit(Vmap s);

        R visit(Notrack s);

        R visit(Unsupported s);
    }

    /** The comparison operators of {@code nft -j}; IN tests bits (flags) or set membership. */
    enum Op {
        EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="), IN("in");

        private final String json;

        Op(String json) { this.json = json; }

        public String json() { return json; }

        public static Optional<Op> of(String s) {
            for (Op o : values()) if (o.json.equals(s)) return Optional.of(o);
            return Optional.empty();
        }
    }

    /** {@code left op right}: every match of a rule must hold for its other statements to run. */
    record Match(NftExpr left, Op op, NftExpr right) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code counter}. */
    record Counter() implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code log prefix "..."}. */
    record Log(String prefix) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code limit rate [over] N/unit burst B}: a token bucket; {@code bytes} when it counts bytes. */
    record Limit(long rate, String per, long burst, boolean bytes, boolean over) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** accept, drop, continue, return, jump CHAIN, goto CHAIN, queue. */
    record Verdict(Kind kind, Optional<String> chain) implements NftStatement {
        /** The verdicts of nft. */
        public enum Kind { ACCEPT, DROP, CONTINUE, RETURN, JUMP, GOTO, QUEUE }

        public static Verdict of(Kind k) { return new Verdict(k, Optional.empty()); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code reject [with icmp|icmpv6|icmpx TYPE | tcp reset]}; empty type is the family's default. */
    record Reject(Optional<String> type, Optional<String> code) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** dnat, snat, masquerade, redirect; {@code family} ip/ip6 in an inet table. */
    record Nat(Kind kind, Optional<String> family, Optional<NftExpr> addr, Optional<NftExpr> port) implements NftStatement {
        /** The NAT statements. */
        public enum Kind { DNAT, SNAT, MASQUERADE, REDIRECT }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code meta mark set VALUE}, {@code ct mark set VALUE}: {@code key} is what is set. */
    record Mangle(NftExpr key, NftExpr value) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code KEY vmap MAP}: the verdict of the element the key finds (none: the rule goes on). */
    record Vmap(NftExpr key, NftExpr map) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code notrack}: the packet is not tracked (ct state untracked). */
    record Notrack() implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A statement anyloop does not model: its name and JSON. */
    record Unsupported(String name, String json) implements NftStatement {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }
}
