package dev.anyloop.cli;

import dev.anyloop.apply.Backend;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --backend iptables|nft} option of {@code lab up} and {@code demo}: written in lower case, as Linux tools
 * spell their words (any case is accepted); help and shell completion show the lower-case words.
 */
final class BackendOption {
    @Option(names = "--backend", defaultValue = "iptables", converter = Converter.class, completionCandidates = Words.class,
            description = "firewall backend: iptables or nft (default ${DEFAULT-VALUE})")
    Backend backend;

    /** The lower-case word of a backend. */
    static String word(Backend b) { return b.name().toLowerCase(Locale.ROOT); }

    /** Reads a backend word, quoting a bad one with the words it could have been. */
    static final class Converter implements ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            for (Backend b : Backend.values()) if (word(b).equals(value.toLowerCase(Locale.ROOT))) return b;
            throw new TypeConversionException("'" + value + "' is not a backend: expected iptables or nft");
        }
    }

    /** Completion candidates: iptables, nft. */
    static final class Words implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return Arrays.stream(Backend.values()).map(BackendOption::word).iterator(); }
    }
}
