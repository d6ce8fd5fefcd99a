package dev.anyloop.intent;

/** One config error: where, and what is wrong with which value. */
public record Diagnostic(Pos pos, String message) implements Comparable<Diagnostic> {
    @Override
    public int compareTo(Diagnostic o) {
        int c = Integer.compare(pos.line(), o.pos.line());
        return c != 0 ? c : Integer.compare(pos.col(), o.pos.col());
    }

    /** "network.yaml:14:7: service dns: host 'pi3' is not defined (did you mean 'pi2'?)". */
    @Override
    public String toString() { return pos + ": " + message; }

    /** "network.yaml:14:7: warning: service dns: ...": the same position and message, marked as a warning. */
    public String asWarning() { return pos + ": warning: " + message; }
}
