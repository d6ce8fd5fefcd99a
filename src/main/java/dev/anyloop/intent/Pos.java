package dev.anyloop.intent;

/** A position in a config file, 1-based, for "file:line:col: message" diagnostics. */
public record Pos(String file, int line, int col) {
    public static final Pos NONE = new Pos("", 0, 0);

    @Override
    public String toString() { return file + ":" + line + ":" + col; }
}
