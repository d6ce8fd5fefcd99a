package dev.anyloop.intent;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used, with every error found (not just the first). */
public final class ConfigException extends Exception {
    private final List<Diagnostic> diagnostics;

    public ConfigException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().sorted().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = diagnostics.stream().sorted().toList();
    }

    public List<Diagnostic> diagnostics() { return diagnostics; }
}
