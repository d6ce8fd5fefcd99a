package dev.anyloop.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyloop.net.Family;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Address;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One target's state file: what anyloop added there and what it replaced, so that it can take back exactly
 * that. Lo addresses it added (one that was there before stays when a service goes), each sysctl's value
 * before anyloop first set it, each connected route's src before T8 changed it, drains, the nft table it
 * loaded last, and the change in flight (journal), awaiting confirmation (pending) or last made (rollback).
 */
public record HostRecord(List<Address> added, Map<String, String> sysctls, Map<Ownership.SrcKey, Optional<Ip>> srcRoutes,
                         List<Drain> drains, Planner.NftMemory nft, Optional<Backend> backend, Optional<Journal> journal,
                         Optional<Pending> pending, Optional<String> last) {
    /** The schema this code writes; a newer file is refused rather than misread. */
    public static final int SCHEMA = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public HostRecord {
        added = List.copyOf(added);
        sysctls = java.util.Collections.unmodifiableMap(new TreeMap<>(sysctls));
        srcRoutes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(srcRoutes));
        drains = List.copyOf(drains);
    }

    /**
     * A change started and not finished: written before the first command runs. {@code adds}, {@code sysctls}
     * and {@code srcRoutes} are what it is about to take on, so that undoing it knows they are anyloop's.
     */
    public record Journal(String id, long started, long pid, List<Address> adds, Set<String> sysctls, Set<Ownership.SrcKey> srcRoutes) {
        public Journal {
            adds = List.copyOf(adds);
            sysctls = Set.copyOf(sysctls);
            srcRoutes = Set.copyOf(srcRoutes);
        }
    }

    /** A change applied with --confirm: rolled back at {@code deadline} (epoch seconds) unless confirmed. */
    public record Pending(String id, long deadline, int seconds) { }

    /** A target anyloop has never changed. */
    public static HostRecord fresh() {
        return new HostRecord(List.of(), Map.of(), Map.of(), List.of(), Planner.NftMemory.NONE, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public HostRecord withJournal(Optional<Journal> j) { return new HostRecord(added, sysctls, srcRoutes, drains, nft, backend, j, pending, last); }

    public HostRecord withPending(Optional<Pending> p) { return new HostRecord(added, sysctls, srcRoutes, drains, nft, backend, journal, p, last); }

    public HostRecord withLast(Optional<String> l) { return new HostRecord(added, sysctls, srcRoutes, drains, nft, backend, journal, pending, l); }

    public HostRecord withDrains(List<Drain> d) { return new HostRecord(added, sysctls, srcRoutes, d, nft, backend, journal, pending, last); }

    public HostRecord withNft(Planner.NftMemory n) { return new HostRecord(added, sysctls, srcRoutes, drains, n, backend, journal, pending, last); }

    /** The firewall backend of the last apply: what drains and --persisted use unless told otherwise. */
    public HostRecord withBackend(Backend b) {
        return new HostRecord(added, sysctls, srcRoutes, drains, nft, Optional.of(b), journal, pending, last);
    }

    /** What this record says anyloop owns on the live host, beyond what its proto and chain names mark. */
    public Ownership.Scope scope() {
        Set<Address> a = new LinkedHashSet<>(added);
        Set<String> s = new LinkedHashSet<>(sysctls.keySet());
        Set<Ownership.SrcKey> r = new LinkedHashSet<>(srcRoutes.keySet());
        journal.ifPresent(j -> {
            a.addAll(j.adds());
            s.addAll(j.sysctls());
            r.addAll(j.srcRoutes());
        });
        return new Ownership.Scope(a, s, r);
    }

    /**
     * The record after {@code changes} were applied: addresses added and removed, the first value each sysctl
     * and connected route's src had before anyloop changed it, and forgetting those set back to it
     * ({@code desiredSysctls} and {@code desiredSrc} are what anyloop is to hold now).
     */
    public HostRecord after(List<Change> changes, Set<String> desiredSysctls, Set<Ownership.SrcKey> desiredSrc) {
        Set<Address> a = new LinkedHashSet<>(added); // a set: 10,000 adds in one apply, each a membership test
        Map<String, String> s = new TreeMap<>(sysctls);
        Map<Ownership.SrcKey, Optional<Ip>> r = new LinkedHashMap<>(srcRoutes);
        for (Change c : changes) {
            c.accept(new Updates(a, s, r));
        }
        s.keySet().retainAll(desiredSysctls);
        r.keySet().retainAll(desiredSrc);
        return new HostRecord(List.copyOf(a), s, r, drains, nft, backend, journal, pending, last);
    }

    /** Folds one change into the lists of what anyloop added and replaced. */
    private static final class Updates implements Change.Visitor<Void> {
        private final Set<Address> added;
        private final Map<String, String> sysctls;
        private final Map<Ownership.SrcKey, Optional<Ip>> src;

        Updates(Set<Address> added, Map<String, String> sysctls, Map<Ownership.SrcKey, Optional<Ip>> src) {
            this.added = added;
            this.sysctls = sysctls;
            this.src = src;
        }

        public Void addressAdd(Change.AddressAdd c) {
            Address k = Ownership.key(c.address());
            added.add(k);
            return null;
        }

        public Void addressDel(Change.AddressDel c) {
            added.remove(Ownership.key(c.address()));
            return null;
        }

        public Void routeReplace(Change.RouteReplace c) {
            if (c.route().proto().equals("kernel") && c.from().isPresent()) src.putIfAbsent(Ownership.SrcKey.of(c.route()), c.from().get().src());
            return null;
        }

        public Void sysctlSet(Change.SysctlSet c) {
            c.from().ifPresent(v -> sysctls.putIfAbsent(c.key(), v));
            return null;
        }

        public Void routeDel(Change.RouteDel c) { return null; }

        public Void ruleAdd(Change.RuleAdd c) { return null; }

        public Void ruleDel(Change.RuleDel c) { return null; }

        public Void chainReplace(Change.ChainReplace c) { return null; }

        public Void chainDelete(Change.ChainDelete c) { return null; }

        public Void jumpInsert(Change.JumpInsert c) { return null; }

        public Void jumpDelete(Change.JumpDelete c) { return null; }

        public Void nftReplace(Change.NftReplace c) { return null; }

        public Void nftDelete(Change.NftDelete c) { return null; }
    }

    /** A state file that cannot be used: corrupt, or written by a newer anyloop. */
    public static final class StateException extends Exception {
        public StateException(String message) { super(message); }
    }

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        ArrayNode a = o.putArray("added");
        for (Address x : added) a.add(x.address() + " dev " + x.dev());
        ObjectNode s = o.putObject("sysctls");
        sysctls.forEach(s::put);
        ArrayNode r = o.putArray("srcRoutes");
        srcRoutes.forEach((k, v) -> {
            ObjectNode e = key(r.addObject(), k);
            v.ifPresent(ip -> e.put("src", ip.toString()));
        });
        ArrayNode d = o.putArray("drains");
        for (Drain x : drains) {
            ObjectNode e = d.addObject();
            e.put("service", x.service());
            e.put("host", x.host());
            ArrayNode xs = e.putArray("addresses");
            x.addresses().forEach(ip -> xs.add(ip.toString()));
            ArrayNode vs = e.putArray("via");
            x.via().forEach(ip -> vs.add(ip.toString()));
            e.put("since", x.since());
        }
        backend.ifPresent(b -> o.put("backend", b.name().toLowerCase(java.util.Locale.ROOT)));
        ObjectNode n = o.putObject("nft");
        n.put("loadedHash", nft.loadedHash());
        n.put("listing", nft.listing());
        journal.ifPresent(j -> {
            ObjectNode e = o.putObject("journal");
            e.put("id", j.id());
            e.put("started", j.started());
            e.put("pid", j.pid());
            ArrayNode ad = e.putArray("adds");
            for (Address x : j.adds()) ad.add(x.address() + " dev " + x.dev());
            ArrayNode sk = e.putArray("sysctls");
            j.sysctls().stream().sorted().forEach(sk::add);
            ArrayNode sr = e.putArray("srcRoutes");
            for (Ownership.SrcKey k : j.srcRoutes()) key(sr.addObject(), k);
        });
        pending.ifPresent(p -> {
            ObjectNode e = o.putObject("pending");
            e.put("id", p.id());
            e.put("deadline", p.deadline());
            e.put("seconds", p.seconds());
        });
        last.ifPresent(l -> o.put("last", l));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connected route's key as the file holds it; {@link #srcKey} reads it back. */
    private static ObjectNode key(ObjectNode e, Ownership.SrcKey k) {
        e.put("dst", k.dst().toString());
        e.put("dev", k.dev());
        e.put("table", k.table());
        e.put("metric", k.metric());
        return e;
    }

    /** Reads a state file; {@code file} names it in errors. */
    public static HostRecord parse(String file, String text) throws StateException {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw corrupt(file, "not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ")");
        }
        if (o == null || !o.isObject()) throw corrupt(file, "expected a JSON object");
        JsonNode schema = o.get("schema");
        if (schema == null || !schema.canConvertToInt()) throw corrupt(file, "no \"schema\" number");
        if (schema.asInt() > SCHEMA) {
            throw new StateException("state file " + file + " was written by a newer anyloop (schema " + schema.asInt() + ", this one reads "
                    + SCHEMA + "); nothing was changed: use that anyloop, or move the file away to start afresh");
        }
        if (schema.asInt() < 1) throw corrupt(file, "schema " + schema.asInt() + " is not one anyloop ever wrote");
        try {
            List<Address> added = new ArrayList<>();
            for (JsonNode x : array(o, "added")) added.add(address(x.asText()));
            Map<String, String> sysctls = new TreeMap<>();
            JsonNode s = o.get("sysctls");
            if (s != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    sysctls.put(e.getKey(), e.getValue().asText());
                }
            }
            Map<Ownership.SrcKey, Optional<Ip>> src = new LinkedHashMap<>();
            for (JsonNode x : array(o, "srcRoutes")) {
                src.put(srcKey(x), x.has("src") ? Optional.of(Ip.parse(x.get("src").asText())) : Optional.empty());
            }
            List<Drain> drains = new ArrayList<>();
            for (JsonNode x : array(o, "drains")) {
                List<Ip> xs = new ArrayList<>();
                for (JsonNode ip : array(x, "addresses")) xs.add(Ip.parse(ip.asText()));
                List<Ip> vs = new ArrayList<>();
                for (JsonNode ip : array(x, "via")) vs.add(Ip.parse(ip.asText()));
                drains.add(new Drain(text(x, "service"), text(x, "host"), xs, vs, x.path("since").asLong()));
            }
            JsonNode n = o.path("nft");
            Planner.NftMemory nft = new Planner.NftMemory(n.path("loadedHash").asText(""), n.path("listing").asText(""));
            Optional<Journal> journal = Optional.empty();
            if (o.hasNonNull("journal")) {
                JsonNode j = o.get("journal");
                List<Address> adds = new ArrayList<>();
                for (JsonNode x : array(j, "adds")) adds.add(address(x.asText()));
                Set<String> keys = new LinkedHashSet<>();
                for (JsonNode x : array(j, "sysctls")) keys.add(x.asText());
                Set<Ownership.SrcKey> routes = new LinkedHashSet<>();
                for (JsonNode x : array(j, "srcRoutes")) routes.add(srcKey(x));
                journal = Optional.of(new Journal(text(j, "id"), j.path("started").asLong(), j.path("pid").asLong(), adds, keys, routes));
            }
            Optional<Pending> pending = Optional.empty();
            if (o.hasNonNull("pending")) {
                JsonNode p = o.get("pending");
                pending = Optional.of(new Pending(text(p, "id"), p.path("deadline").asLong(), p.path("seconds").asInt()));
            }
            Optional<String> last = o.hasNonNull("last") ? Optional.of(o.get("last").asText()) : Optional.empty();
            Optional<Backend> backend = Optional.empty();
            if (o.hasNonNull("backend")) {
                String b = o.get("backend").asText();
                try {
                    backend = Optional.of(Backend.valueOf(b.toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("\"backend\" is '" + b + "', not iptables or nft");
                }
            }
            return new HostRecord(added, sysctls, src, drains, nft, backend, journal, pending, last);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    private static StateException corrupt(String file, String why) {
        return new StateException("state file " + file + " is corrupt: " + why + "; nothing was changed. Move it away to start afresh "
                + "(anyloop then no longer knows which lo addresses and sysctls it changed there)");
    }

    private static Iterable<JsonNode> array(JsonNode o, String key) {
        JsonNode a = o.get(key);
        if (a == null || a.isNull()) return List.of();
        if (!a.isArray()) throw new IllegalArgumentException("\"" + key + "\" is not a list");
        return a;
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new IllegalArgumentException("\"" + key + "\" is missing or not a string");
        return v.asText();
    }

    /** "10.10.10.10/32 dev lo". */
    private static Address address(String s) {
        String[] w = s.split(" ");
        if (w.length != 3 || !w[1].equals("dev")) throw new IllegalArgumentException("address '" + s + "' is not 'ADDR/LEN dev DEV'");
        return Address.global(w[2], InterfaceAddress.parse(w[0]));
    }

    private static Ownership.SrcKey srcKey(JsonNode x) {
        Prefix dst = Prefix.parse(text(x, "dst"));
        Family f = dst.family();
        return new Ownership.SrcKey(f, x.path("table").asInt(dev.anyloop.state.Route.TABLE_MAIN), dst, x.path("metric").asInt(0), text(x, "dev"));
    }
}
