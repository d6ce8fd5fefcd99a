package dev.anyloop.state.nft;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A named set or map of a table: its key type (one word, or several for a concatenation such as
 * {@code ipv4_addr . inet_service}), for a map the data type ("verdict" for a vmap), flags
 * ({@code interval}, {@code constant}, ...) and elements.
 */
public record NftSet(String name, List<String> keyType, Optional<String> dataType, Set<String> flags, List<Element> elements) {
    public NftSet {
        keyType = List.copyOf(keyType);
        flags = Set.copyOf(flags);
        elements = List.copyOf(elements);
    }

    /** One element: a key (a value, prefix, range or concatenation) and, in a map, what it maps to. */
    public record Element(NftExpr key, Optional<NftExpr> data) {
        public static Element of(NftExpr key) { return new Element(key, Optional.empty()); }
    }

    public boolean isMap() { return dataType.isPresent(); }

    public boolean interval() { return flags.contains("interval"); }
}
