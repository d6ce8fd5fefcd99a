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
    NETWORK("segments", "hosts", "services", "source-addresses", "expect"),
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
    EXPECT("from", "to", "port", "reachable");

    private final Set<String> keys;

    Section(String... keys) {
        this.keys = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** The keys in the order docs/network-yaml.md lists them. */
    public Set<String> keys() { return keys; }
}
