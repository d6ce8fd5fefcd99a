package dev.anyloop.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyloop.state.ChainType;
import dev.anyloop.state.nft.NftChain;
import dev.anyloop.state.nft.NftExpr;
import dev.anyloop.state.nft.NftFamily;
import dev.anyloop.state.nft.NftRule;
import dev.anyloop.state.nft.NftRuleset;
import dev.anyloop.state.nft.NftSet;
import dev.anyloop.state.nft.NftStatement;
import dev.anyloop.state.nft.NftTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code nft -j list ruleset} (libnftables-json(5)) into an {@link NftRuleset}: tables, chains (base
 * chains with type, hook, priority and policy), named sets and maps with their elements, and rules as typed
 * statements and expressions. A statement or expression it does not know is kept as JSON (the simulator
 * answers UNKNOWN for a rule that reaches it); only a file that is not that shape at all is refused.
 */
public final class NftJsonParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERDICTS = Set.of("accept", "drop", "continue", "return", "jump", "goto", "queue");

    private final String file;
    private final Map<String, TableB> tables = new LinkedHashMap<>();

    private NftJsonParser(String file) { this.file = file; }

    /** A table being read: its chains (each with its rules) and sets, in listing order. */
    private static final class TableB {
        final NftFamily family;
        final String name;
        final Map<String, ChainB> chains = new LinkedHashMap<>();
        final List<NftSet> sets = new ArrayList<>();

        TableB(NftFamily family, String name) {
            this.family = family;
            this.name = name;
        }
    }

    private record ChainB(String name, Optional<NftChain.Base> base, List<NftRule> rules) { }

    public static NftRuleset parse(String file, String text) throws SnapshotException {
        if (text.isBlank()) return NftRuleset.empty();
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw SnapshotException.inFile(file, "expected JSON, found a syntax error at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        JsonNode list = root == null ? null : root.get("nftables");
        if (list == null || !list.isArray()) {
            throw SnapshotException.inFile(file, "expected {\"nftables\": [...]} as 'nft -j list ruleset' prints it");
        }
        NftJsonParser p = new NftJsonParser(file);
        for (int i = 0; i < list.size(); i++) p.object("nftables[" + i + "]", list.get(i));
        List<NftTable> out = new ArrayList<>();
        for (TableB t : p.tables.values()) {
            List<NftChain> chains = new ArrayList<>();
            for (ChainB c : t.chains.values()) chains.add(new NftChain(c.name(), c.base(), c.rules()));
            out.add(new NftTable(t.family, t.name, chains, t.sets));
        }
        return new NftRuleset(out);
    }

    private SnapshotException error(String path, String reason) { return new SnapshotException(file, path, reason); }

    private void object(String path, JsonNode o) throws SnapshotException {
        if (!o.isObject() || o.size() != 1) throw error(path, "expected an object with one key (table, chain, set, map, rule, ...)");
        String kind = o.fieldNames().next();
        JsonNode v = o.get(kind);
        String at = path + "." + kind;
        switch (kind) {
            case "table": {
                NftFamily f = family(at, v);
                tables.putIfAbsent(f.word() + " " + text(at, v, "name"), new TableB(f, text(at, v, "name")));
                break;
            }
            case "chain": {
                TableB t = table(at, v);
                String name = text(at, v, "name");
                t.chains.put(name, new ChainB(name, base(at, v), new ArrayList<>()));
                break;
            }
            case "set": case "map":
                table(at, v).sets.add(set(at, v, kind.equals("map")));
                break;
            case "rule": {
                TableB t = table(at, v);
                String chain = text(at, v, "chain");
                ChainB c = t.chains.get(chain);
                if (c == null) throw error(at + ".chain", "expected a chain listed before its rules, found '" + chain + "'");
                c.rules().add(rule(at, v));
                break;
            }
            default:
                // metainfo, flowtable, counter, quota, ct helper, ...: nothing a packet's verdict depends on by name
        }
    }

    private NftFamily family(String at, JsonNode v) throws SnapshotException {
        String f = text(at, v, "family");
        return NftFamily.of(f).orElseThrow(() -> error(at + ".family", "expected ip, ip6, inet, arp, bridge or netdev, found '" + f + "'"));
    }

    private TableB table(String at, JsonNode v) throws SnapshotException {
        NftFamily f = family(at, v);
        String name = text(at, v, "table");
        TableB t = tables.get(f.word() + " " + name);
        if (t == null) throw error(at + ".table", "expected a table listed before its contents, found '" + f.word() + " " + name + "'");
        return t;
    }

    private String text(String at, JsonNode v, String key) throws SnapshotException {
        JsonNode n = v.get(key);
        if (n == null || !n.isTextual()) throw error(at + "." + key, "expected a string, found " + (n == null ? "none" : n.toString()));
        return n.asText();
    }

    private Optional<NftChain.Base> base(String at, JsonNode v) throws SnapshotException {
        if (!v.has("hook")) return Optional.empty();
        String type = text(at, v, "type");
        ChainType t = ChainType.ofNft(type).orElseThrow(() -> error(at + ".type", "expected filter, nat or route, found '" + type + "'"));
        JsonNode prio = v.get("prio");
        if (prio == null || !prio.isIntegralNumber()) throw error(at + ".prio", "expected a number, found " + prio);
        boolean drop = v.has("policy") && v.get("policy").asText().equals("drop");
        Optional<String> dev = v.has("dev") ? Optional.of(v.get("dev").asText()) : Optional.empty();
        return Optional.of(new NftChain.Base(t, text(at, v, "hook"), prio.asInt(), drop, dev));
    }

    private NftSet set(String at, JsonNode v, boolean map) throws SnapshotException {
        List<String> type = new ArrayList<>();
        JsonNode t = v.get("type");
        if (t != null && t.isArray()) t.forEach(x -> type.add(x.asText()));
        else if (t != null) type.add(t.asText());
        Optional<String> data = map && v.has("map") ? Optional.of(v.get("map").isTextual() ? v.get("map").asText() : v.get("map").toString())
                : Optional.empty();
        Set<String> flags = new LinkedHashSet<>();
        if (v.has("flags")) v.get("flags").forEach(x -> flags.add(x.asText()));
        List<NftSet.Element> elems = new ArrayList<>();
        if (v.has("elem")) for (JsonNode e : v.get("elem")) elems.add(element(e, map));
        return new NftSet(text(at, v, "name"), type, data, flags, elems);
    }

    private NftSet.Element element(JsonNode e, boolean map) {
        if (map && e.isArray() && e.size() == 2) return new NftSet.Element(expr(unwrap(e.get(0))), Optional.of(value(e.get(1))));
        return NftSet.Element.of(expr(unwrap(e)));
    }

    /** {"elem": {"val": X, "timeout": ...}} is X with options. */
    private static JsonNode unwrap(JsonNode e) { return e.isObject() && e.has("elem") ? e.get("elem").path("val") : e; }

    /** A map's value: a verdict, or data. */
    private NftExpr value(JsonNode n) {
        if (n.isObject() && n.size() == 1 && VERDICTS.contains(n.fieldNames().next())) return new NftExpr.VerdictValue(verdict(n));
        return expr(n);
    }

    private NftRule rule(String at, JsonNode v) throws SnapshotException {
        JsonNode exprs = v.get("expr");
        if (exprs == null || !exprs.isArray()) throw error(at + ".expr", "expected the rule's statements as an array");
        List<NftStatement> out = new ArrayList<>();
        for (JsonNode s : exprs) out.add(statement(s));
        Optional<String> comment = v.has("comment") ? Optional.of(v.get("comment").asText()) : Optional.empty();
        return new NftRule(out, comment, v.path("handle").asLong(0));
    }

    private NftStatement statement(JsonNode s) {
        if (!s.isObject() || s.size() != 1) return new NftStatement.Unsupported("?", s.toString());
        String kind = s.fieldNames().next();
        JsonNode v = s.get(kind);
        if (VERDICTS.contains(kind)) return verdict(s);
        switch (kind) {
            case "match": {
                Optional<NftStatement.Op> op = NftStatement.Op.of(v.path("op").asText("=="));
                if (op.isEmpty() || !v.has("left") || !v.has("right")) return new NftStatement.Unsupported(kind, s.toString());
                return new NftStatement.Match(expr(v.get("left")), op.get(), expr(v.get("right")));
            }
            case "counter": return new NftStatement.Counter();
            case "log": return new NftStatement.Log(v.path("prefix").asText(""));
            case "limit":
                return new NftStatement.Limit(v.path("rate").asLong(), v.path("per").asText("second"), v.path("burst").asLong(0),
                        v.path("rate_unit").asText("packets").equals("bytes"), v.path("inv").asBoolean(false));
            case "reject": {
                Optional<String> type = v.isObject() && v.has("type") ? Optional.of(v.get("type").asText()) : Optional.empty();
                Optional<String> code = v.isObject() && v.has("expr") ? Optional.of(v.get("expr").asText()) : Optional.empty();
                return new NftStatement.Reject(type, code);
            }
            case "dnat": case "snat": case "masquerade": case "redirect": {
                NftStatement.Nat.Kind k = NftStatement.Nat.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
                Optional<String> fam = v.isObject() && v.has("family") ? Optional.of(v.get("family").asText()) : Optional.empty();
                Optional<NftExpr> addr = v.isObject() && v.has("addr") ? Optional.of(expr(v.get("addr"))) : Optional.empty();
                Optional<NftExpr> port = v.isObject() && v.has("port") ? Optional.of(expr(v.get("port"))) : Optional.empty();
                return new NftStatement.Nat(k, fam, addr, port);
            }
            case "mangle":
                if (!v.has("key") || !v.has("value")) return new NftStatement.Unsupported(kind, s.toString());
                return new NftStatement.Mangle(expr(v.get("key")), expr(v.get("value")));
            case "vmap":
                if (!v.has("key") || !v.has("data")) return new NftStatement.Unsupported(kind, s.toString());
                return new NftStatement.Vmap(expr(v.get("key")), mapData(v.get("data")));
            case "notrack": return new NftStatement.Notrack();
            case "xt":
                // iptables-nft's compat expression: a match or target only iptables-save can spell
                return new NftStatement.Unsupported("xt " + v.path("type").asText() + " " + v.path("name").asText(), s.toString());
            default:
                return new NftStatement.Unsupported(kind, s.toString());
        }
    }

    private NftStatement.Verdict verdict(JsonNode s) {
        String kind = s.fieldNames().next();
        JsonNode v = s.get(kind);
        Optional<String> target = v != null && v.isObject() && v.has("target") ? Optional.of(v.get("target").asText()) : Optional.empty();
        return new NftStatement.Verdict(NftStatement.Verdict.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), target);
    }

    /** A vmap's data: {@code "@name"} or an anonymous map {@code {"set": [[key, verdict], ...]}}. */
    private NftExpr mapData(JsonNode d) {
        if (d.isObject() && d.has("set") && d.get("set").isArray()) {
            List<NftSet.Element> es = new ArrayList<>();
            for (JsonNode e : d.get("set")) es.add(element(e, true));
            return new NftExpr.SetLiteral(es);
        }
        return expr(d);
    }

    private NftExpr expr(JsonNode n) {
        if (n == null) return new NftExpr.Unknown("null");
        if (n.isTextual()) return n.asText().startsWith("@") ? new NftExpr.SetRef(n.asText().substring(1)) : new NftExpr.Value(n.asText());
        if (n.isNumber() || n.isBoolean()) return new NftExpr.Value(n.asText());
        if (n.isArray()) {
            List<String> words = new ArrayList<>();
            for (JsonNode w : n) {
                if (!w.isTextual()) return new NftExpr.Unknown(n.toString());
                words.add(w.asText());
            }
            return new NftExpr.Flags(words);
        }
        if (!n.isObject() || n.size() != 1) return new NftExpr.Unknown(n.toString());
        String k = n.fieldNames().next();
        JsonNode v = n.get(k);
        switch (k) {
            case "payload":
                return v.has("protocol") && v.has("field") ? new NftExpr.Payload(v.get("protocol").asText(), v.get("field").asText())
                        : new NftExpr.Unknown(n.toString());
            case "meta": return new NftExpr.Meta(v.path("key").asText());
            case "ct": return new NftExpr.Ct(v.path("key").asText(), v.path("dir").asText(""));
            case "fib": {
                List<String> flags = new ArrayList<>();
                v.path("flags").forEach(f -> flags.add(f.asText()));
                return new NftExpr.Fib(v.path("result").asText(), flags);
            }
            case "&": case "|": case "^": case "<<": case ">>":
                if (!v.isArray() || v.size() != 2) return new NftExpr.Unknown(n.toString());
                return new NftExpr.Binary(k, expr(v.get(0)), expr(v.get(1)));
            case "concat": {
                List<NftExpr> parts = new ArrayList<>();
                for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) parts.add(expr(it.next()));
                return new NftExpr.Concat(parts);
            }
            case "prefix": return new NftExpr.Prefix(v.path("addr").asText(), v.path("len").asInt());
            case "range":
                if (!v.isArray() || v.size() != 2) return new NftExpr.Unknown(n.toString());
                return new NftExpr.Range(expr(v.get(0)), expr(v.get(1)));
            case "set": {
                List<NftSet.Element> es = new ArrayList<>();
                if (v.isArray()) for (JsonNode e : v) es.add(NftSet.Element.of(expr(unwrap(e))));
                else es.add(NftSet.Element.of(expr(v)));
                return new NftExpr.SetLiteral(es);
            }
            case "elem": return expr(v.path("val"));
            default: return new NftExpr.Unknown(n.toString());
        }
    }
}
