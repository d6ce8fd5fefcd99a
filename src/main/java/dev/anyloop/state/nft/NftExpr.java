package dev.anyloop.state.nft;

import java.util.List;

/**
 * An nftables expression as {@code nft -j} writes it: what a statement reads from the packet (payload,
 * meta, ct, fib), operators on it, and the constants it is compared with (values, prefixes, ranges,
 * sets). Anything else is {@link Unknown}, kept as its JSON, so that a rule using it is UNKNOWN.
 */
public sealed interface NftExpr {
    <R> R accept(Visitor<R> v);

    /** One method per variant. */
    interface Visitor<R> {
        R visit(Payload e);

        R visit(Meta e);

        R visit(Ct e);

        R visit(Fib e);

        R visit(Binary e);

        R visit(Concat e);

        R visit(Value e);

        R visit(Prefix e);

        R visit(Range e);

        R visit(SetLiteral e);

        R visit(SetRef e);

        R visit(Flags e);

        R visit(VerdictValue e);

        R visit(Unknown e);
    }

    /** {@code ip saddr}, {@code tcp dport}, {@code th dport}: a header field of a protocol. */
    record Payload(String protocol, String field) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code meta iifname}, {@code meta mark}, {@code meta l4proto}, ... */
    record Meta(String key) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code ct state}, {@code ct status}, {@code ct mark}; {@code dir} original/reply when given. */
    record Ct(String key, String dir) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code fib saddr . iif oif}: a route lookup; {@code result} oif, oifname or type. */
    record Fib(String result, List<String> flags) implements NftExpr {
        public Fib { flags = List.copyOf(flags); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code left & right}, {@code |}, {@code ^}, {@code <<}, {@code >>}. */
    record Binary(String op, NftExpr left, NftExpr right) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code a . b . c}: a concatenation, as set keys use it. */
    record Concat(List<NftExpr> parts) implements NftExpr {
        public Concat { parts = List.copyOf(parts); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A constant as nft prints it: an address, a number, a name ("eth0", "tcp", "established"). */
    record Value(String text) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code 10.0.0.0/8}. */
    record Prefix(String addr, int len) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code 1024-65535}, {@code 10.0.0.1-10.0.0.9}. */
    record Range(NftExpr lo, NftExpr hi) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** An anonymous set (or map, when elements carry data): {@code { 22, 80 }}. */
    record SetLiteral(List<NftSet.Element> elements) implements NftExpr {
        public SetLiteral { elements = List.copyOf(elements); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** {@code @name}: a named set or map of the same table. */
    record SetRef(String name) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A list of flag words, e.g. the right side of {@code ct state established,related} or a tcp flags mask. */
    record Flags(List<String> words) implements NftExpr {
        public Flags { words = List.copyOf(words); }

        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** A verdict as a map value: {@code "eth0" : jump x}. */
    record VerdictValue(NftStatement.Verdict verdict) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }

    /** An expression anyloop does not model, as its JSON. */
    record Unknown(String json) implements NftExpr {
        public <R> R accept(Visitor<R> v) { return v.visit(this); }
    }
}
