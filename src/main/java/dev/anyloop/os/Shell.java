package dev.anyloop.os;

import java.util.List;

/**
 * The one quoting function for text a POSIX {@code sh} reads (the scripts anyloop runs on a target and
 * leaves there, such as the rollback timer). A word inside single quotes is taken literally by sh
 * (POSIX 2.2.2), so every word is single-quoted and a single quote inside it is written as
 * {@code '\''}: close, an escaped quote, reopen. NUL cannot be passed to a process at all and is refused.
 */
public final class Shell {
    private Shell() { }

    /** {@code word} as one sh word, whatever it holds. */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) throw new IllegalArgumentException("Invalid shell word: it holds a NUL character");
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words quoted one by one and joined by blanks: one command line. */
    public static String words(List<String> argv) {
        if (argv.isEmpty()) throw new IllegalArgumentException("Invalid command: no words");
        StringBuilder sb = new StringBuilder();
        for (String w : argv) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(quote(w));
        }
        return sb.toString();
    }
}
