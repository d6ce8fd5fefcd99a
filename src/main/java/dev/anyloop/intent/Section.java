package dev.anyloop.intent;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every mapping of network.yaml and the keys the loader accepts in it: the one table of keys. {@link Fields}
 * takes a Section, so a key the loader reads is a key listed here, and the JSON Schema
 * (schema/network.schema.json) is tested against this table key by key.
 *
 * <p>A new key: add it to its constant here, to the schema's object for that section ({@code $defs/<section>},
 * the top level for NETWORK) and to docs/network-yaml.md; a new mapping: a new constant, read with
 * {@code Fields.of(..., Section.NEW)}, and a {@code $defs/new} object. NetworkSchemaTest and ManPagesTest name
 * whatever is missing.
 */
public enum Section {
    /** The top level of the file. */
    NETWORK("segments", "hosts", "services", "source-addresses", "expect", "bgp", "health"),
    SEGMENT("prefixes", "may-reach"),
    HOST("forwarding", "rp-filter", "interfaces", "loopbacks", "routes", "comment"),
    INTERFACE("segment", "addresses", "gateway"),
    ROUTE("to", "via", "dev", "metric", "src", "type"),
    SERVICE("addresses", "ports", "ping", "hosts", "bind", "routing", "allow", "docker", "comment"),
    ALLOW("segments", "sources", "interfaces"),
    DOCKER("container", "publish", "container-port", "host-port", "proto"),
    /** One entry of {@code source-addresses}. */
    SOURCE("host", "to", "from"),
    /** One entry of {@code expect}. */
    EXPECT("from", "to", "port", "reachable"),
    /** The {@code bgp} section (docs/network-yaml.md, "BGP"; read by {@link BgpReader}). */
    BGP("services", "routers", "bfd", "hold-time", "speakers"),
    /** One service of {@code bgp: services} written as a mapping. */
    BGP_SERVICE("static-routes", "preference"),
    /** One host of {@code bgp: speakers}. */
    BGP_SPEAKER("asn", "router-id", "peers", "bfd"),
    /** {@code health:}: anyloop watch's probe sources, default timing, damping and per-service checks. */
    HEALTH("probe-sources", "interval", "timeout", "rise", "fall", "damping", "services"),
    /** {@code health: damping:}. */
    DAMPING("penalty", "suppress", "reuse", "half-life", "max-suppress"),
    /** One service's entry under {@code health: services:}. */
    CHECK("check", "port", "interval", "timeout", "rise", "fall", "query", "type", "rcodes", "path", "status");

    private final Set<String> keys;

    Section(String... keys) {
        this.keys = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** The keys in the order docs/network-yaml.md lists them. */
    public Set<String> keys() { return keys; }
}
