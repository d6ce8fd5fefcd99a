package dev.anyloop.watch;

import java.nio.channels.SelectionKey;

/** What a selection key of the {@link ProbeLoop} carries: an attempt, or a socket several attempts share. */
interface Ready {
    /** The socket is ready for what it was registered for. */
    void ready(SelectionKey key);

    /** Closes what this owns. */
    void close();
}
