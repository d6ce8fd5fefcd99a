package dev.anyloop.check;

import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.AllowEntry;
import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.HostDef;
import dev.anyloop.intent.Intent.InterfaceDef;
import dev.anyloop.intent.Intent.RouteDef;
import dev.anyloop.intent.Intent.SegmentDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.intent.Intent.SourceDef;
import dev.anyloop.net.InterfaceAddress;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.net.PrefixTrie;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clients the compiled network cannot tell apart: plain hosts (no forwarding, no routes or loopbacks of their own,
 * one interface, named by no service, allow: interface or source intent) on the same segment with the same
 * interface name, rp_filter and gateways, whose addresses no prefix or address of the intent separates (each
 * prefix holds both or neither). Swapping two such hosts and their addresses maps the compiled network onto itself,
 * and the simulator is deterministic, so a round trip from one is the other's with the addresses swapped, and a
 * check that holds for one holds for the other (the checks judge reachability and whether allow: admits the source,
 * both kept by the swap). check simulates one client of each class; where it fails, every client of the class is
 * simulated and judged on its own.
 */
final class Symmetry {
    private final Map<String, String> representative;

    private Symmetry(Map<String, String> representative) { this.representative = representative; }

    /** Every client is its own class: nothing shared. */
    static Symmetry none() { return new Symmetry(Map.of()); }

    /** The client whose round trips stand for {@code client}'s: itself, or the first of its class. */
    String of(String client) { return representative.getOrDefault(client, client); }

    /**
     * For each client of {@code clients}, the index (in that list) of the client whose results stand for its own, or -1
     * when it runs its own: itself a representative, or its representative is not in the list.
     */
    int[] standIns(List<String> clients) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < clients.size(); k++) index.putIfAbsent(clients.get(k), k);
        int[] out = new int[clients.size()];
        for (int k = 0; k < clients.size(); k++) {
            String rep = of(clients.get(k));
            Integer r = rep.equals(clients.get(k)) ? null : index.get(rep);
            out[k] = r == null || r == k ? -1 : r;
        }
        return out;
    }

    static Symmetry of(Intent intent) {
        PrefixTrie<Prefix> separators = separators(intent);
        Set<String> named = named(intent);
        Map<List<Object>, String> first = new HashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (HostDef h : intent.hosts().values()) {
            if (h.forwarding() || !h.routes().isEmpty() || !h.loopbacks().isEmpty() || h.interfaces().size() != 1
                    || named.contains(h.name())) continue;
            InterfaceDef i = h.interfaces().values().iterator().next();
            List<Object> key = new ArrayList<>(List.of(i.segment(), i.name(), h.rpFilter(), i.gateways()));
            for (InterfaceAddress a : i.addresses()) {
                key.add(a.family());
                key.add(a.length());
                key.add(separators.matches(a.ip()).stream().map(Map.Entry::getKey).toList());
            }
            out.put(h.name(), first.computeIfAbsent(List.copyOf(key), k -> h.name()));
        }
        return new Symmetry(out);
    }

    /** Hosts the intent names outside their own definition in a way that shapes the network around them. */
    private static Set<String> named(Intent intent) {
        Set<String> out = new HashSet<>();
        for (ServiceDef s : intent.services().values()) {
            out.addAll(s.hosts());
            for (AllowEntry e : s.allow().entries()) e.iface().ifPresent(r -> out.add(r.host()));
        }
        for (SourceDef s : intent.sources()) out.add(s.host());
        return out;
    }

    /**
     * Every prefix and address the intent writes down: segments' and allowed sources' prefixes, routes' destinations,
     * gateways and sources, gateways, loopbacks, service addresses, source intents and expectations' addresses. A
     * host's own address separates it from the others only when something else points at it, and all of these are
     * what the compiler derives anything from.
     */
    private static PrefixTrie<Prefix> separators(Intent intent) {
        List<Prefix> all = new ArrayList<>();
        for (SegmentDef s : intent.segments().values()) all.addAll(s.prefixes());
        for (HostDef h : intent.hosts().values()) {
            for (InterfaceDef i : h.interfaces().values()) for (Ip g : i.gateways()) all.add(Prefix.host(g));
            for (InterfaceAddress a : h.loopbacks()) all.add(Prefix.host(a.ip()));
            for (RouteDef r : h.routes()) {
                all.add(r.to());
                r.via().ifPresent(v -> all.add(Prefix.host(v)));
                r.src().ifPresent(v -> all.add(Prefix.host(v)));
            }
        }
        for (ServiceDef s : intent.services().values()) {
            for (Ip x : s.addresses()) all.add(Prefix.host(x));
            all.addAll(s.allow().sources());
        }
        for (SourceDef s : intent.sources()) {
            all.add(s.to());
            all.add(Prefix.host(s.from()));
        }
        for (ExpectDef e : intent.expectations()) Ip.tryParse(e.to()).ifPresent(ip -> all.add(Prefix.host(ip)));
        PrefixTrie<Prefix> trie = new PrefixTrie<>();
        for (Prefix p : all) trie.put(p, p);
        return trie;
    }
}
