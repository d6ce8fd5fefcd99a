package dev.anyloop.state.nft;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Spells rules, statements and expressions the way {@code nft list ruleset} does, for traces and comparisons. */
public final class NftText {
    private NftText() { }

    /** Meta keys nft prints without the word "meta" (meta_key_is_unqualified). */
    private static final Set<String> UNQUALIFIED = Set.of("iif", "oif", "iifname", "oifname", "iifgroup", "oifgroup");
    /** Keys whose values are interface names, which nft prints quoted. */
    private static final Set<String> NAMES = Set.of("iifname", "oifname", "ibrname", "obrname");

    public static String rule(NftRule r) {
        String s = r.statements().stream().map(NftText::statement).collect(Collectors.joining(" "));
        return r.comment().map(c -> s + " comment \"" + c + "\"").orElse(s);
    }

    public static String statement(NftStatement st) { return st.accept(STATEMENTS); }

    public static String expr(NftExpr e) { return e.accept(new Exprs(false)); }

    private static final NftStatement.Visitor<String> STATEMENTS = new NftStatement.Visitor<>() {
        public String visit(NftStatement.Match m) {
            boolean quote = m.left() instanceof NftExpr.Meta meta && NAMES.contains(meta.key());
            String right = m.right().accept(new Exprs(quote));
            String op = m.op() == NftStatement.Op.EQ || m.op() == NftStatement.Op.IN ? "" : m.op().json() + " ";
            // "fib ... oif missing", and "tcp flags syn / fin,syn,rst,ack" for a masked comparison
            if (m.left() instanceof NftExpr.Fib && m.right() instanceof NftExpr.Value v && (v.text().equals("false") || v.text().equals("true"))) {
                return expr(m.left()) + " " + op + (v.text().equals("false") ? "missing" : "exists");
            }
            if (m.left() instanceof NftExpr.Binary b && b.op().equals("&") && b.right() instanceof NftExpr.Flags mask && op.isEmpty()) {
                return expr(b.left()) + " " + right + " / " + expr(mask);
            }
            return expr(m.left()) + " " + op + right;
        }

        public String visit(NftStatement.Counter s) { return "counter"; }

        public String visit(NftStatement.Log s) { return s.prefix().isEmpty() ? "log" : "log prefix \"" + s.prefix() + "\""; }

        public String visit(NftStatement.Limit s) {
            return "limit rate " + (s.over() ? "over " : "") + s.rate() + (s.bytes() ? " bytes" : "") + "/" + s.per()
                    + (s.burst() > 0 ? " burst " + s.burst() + (s.bytes() ? " bytes" : " packets") : "");
        }

        public String visit(NftStatement.Verdict s) { return verdict(s); }

        public String visit(NftStatement.Reject s) {
            if (s.type().isEmpty() || (s.type().get().equals("icmpx") && s.code().orElse("").equals("port-unreachable"))) return "reject";
            if (s.type().get().equals("tcp reset")) return "reject with tcp reset";
            return "reject with " + s.type().get() + s.code().map(c -> " " + c).orElse("");
        }

        public String visit(NftStatement.Nat s) {
            StringBuilder sb = new StringBuilder(s.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (s.addr().isPresent() || (s.port().isPresent() && s.kind() != NftStatement.Nat.Kind.REDIRECT
                    && s.kind() != NftStatement.Nat.Kind.MASQUERADE)) {
                s.family().ifPresent(f -> sb.append(' ').append(f));
                sb.append(" to ").append(s.addr().map(NftText::expr).orElse(""));
                s.port().ifPresent(p -> sb.append(':').append(expr(p)));
            } else if (s.port().isPresent()) {
                sb.append(" to :").append(expr(s.port().get()));
            }
            return sb.toString();
        }

        public String visit(NftStatement.Mangle s) { return expr(s.key()) + " set " + expr(s.value()); }

        public String visit(NftStatement.Vmap s) { return expr(s.key()) + " vmap " + expr(s.map()); }

        public String visit(NftStatement.Notrack s) { return "notrack"; }

        public String visit(NftStatement.Unsupported s) { return s.name() + " " + s.json(); }
    };

    static String verdict(NftStatement.Verdict v) {
        return v.kind().name().toLowerCase(java.util.Locale.ROOT) + v.chain().map(c -> " " + c).orElse("");
    }

    private static final class Exprs implements NftExpr.Visitor<String> {
        private final boolean quote;

        Exprs(boolean quote) { this.quote = quote; }

        private String list(List<NftSet.Element> es) {
            return "{ " + es.stream().map(e -> e.key().accept(this) + e.data().map(d -> " : " + expr(d)).orElse(""))
                    .collect(Collectors.joining(", ")) + " }";
        }

        public String visit(NftExpr.Payload e) { return e.protocol() + " " + e.field(); }

        public String visit(NftExpr.Meta e) { return UNQUALIFIED.contains(e.key()) ? e.key() : "meta " + e.key(); }

        public String visit(NftExpr.Ct e) { return "ct " + (e.dir().isEmpty() ? "" : e.dir() + " ") + e.key(); }

        public String visit(NftExpr.Fib e) { return "fib " + String.join(" . ", e.flags()) + " " + e.result(); }

        public String visit(NftExpr.Binary e) { return e.left().accept(this) + " " + e.op() + " " + e.right().accept(this); }

        public String visit(NftExpr.Concat e) { return e.parts().stream().map(p -> p.accept(this)).collect(Collectors.joining(" . ")); }

        public String visit(NftExpr.Value e) { return quote ? "\"" + e.text() + "\"" : e.text(); }

        public String visit(NftExpr.Prefix e) { return e.addr() + "/" + e.len(); }

        public String visit(NftExpr.Range e) { return e.lo().accept(this) + "-" + e.hi().accept(this); }

        public String visit(NftExpr.SetLiteral e) { return list(e.elements()); }

        public String visit(NftExpr.SetRef e) { return "@" + e.name(); }

        public String visit(NftExpr.Flags e) { return String.join(",", e.words()); }

        public String visit(NftExpr.VerdictValue e) { return verdict(e.verdict()); }

        public String visit(NftExpr.Unknown e) { return e.json(); }
    }
}
