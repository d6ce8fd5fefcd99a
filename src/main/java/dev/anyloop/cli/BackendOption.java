package dev.anyloop.cli;

import dev.anyloop.lab.Lab;
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
    Lab.Backend backend;

    /** The lower-case word of a backend. */
    static String word(Lab.Backend b) { return b.name().toLowerCase(Locale.ROOT); }

    /** Reads a backend word, quoting a bad one with the words it could have been. */
    static final class Converter implements ITypeConverter<Lab.Backend> {
        @Override
        public Lab.Backend convert(String value) {
            for (Lab.Backend b : Lab.Backend.values()) if (word(b).equals(value.toLowerCase(Locale.ROOT))) return b;
            throw new TypeConversionException("'" + value + "' is not a backend: expected iptables or nft");
        }
    }

    /** Completion candidates: iptables, nft. */
    static final class Words implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return Arrays.stream(Lab.Backend.values()).map(BackendOption::word).iterator(); }
    }
}
