package dev.anyloop.watch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Optional;

/**
 * One check in flight: a non-blocking socket registered with the {@link ProbeLoop}'s selector. It starts, is told
 * when its socket is ready, and ends with exactly one {@link Outcome}, at the latest when its deadline passes.
 */
abstract class Attempt implements Ready {
    final long started;
    final long deadline;
    SelectableChannel channel;
    private Outcome outcome;
    /** Told when the attempt ends, so the loop looks only at targets that have news. */
    Runnable onFinish = () -> { };

    Attempt(long started, long deadline) {
        this.started = started;
        this.deadline = deadline;
    }

    /** Opens, binds and sends; registers with {@code selector} unless it already ended. */
    abstract void start(Selector selector);

    /** The socket is ready for what it was registered for. */
    @Override
    public abstract void ready(SelectionKey key);

    final boolean done() { return outcome != null; }

    final Optional<Outcome> outcome() { return Optional.ofNullable(outcome); }

    final void finish(Outcome o) {
        if (outcome != null) return;
        outcome = o;
        close();
        onFinish.run();
    }

    final void ok(String detail) { finish(Outcome.ok(detail, System.nanoTime() - started)); }

    final void fail(String detail) { finish(Outcome.fail(detail, System.nanoTime() - started)); }

    final void timeout(long now) { fail("no answer within " + (deadline - started) / 1_000_000 + " ms"); }

    @Override
    public void close() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to do
        }
    }

    /**
     * An error while opening, binding or connecting is the checker's own (EADDRNOTAVAIL: the probe source is gone;
     * ENETUNREACH: no route at all from here; EINVAL: the bound source left), except the two a remote end causes:
     * refused and host unreachable.
     */
    final void setupError(String what, IOException e) {
        if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof PortUnreachableException) {
            fail(what + ": " + message(e));
        } else {
            // BindException, SocketException ("Network is unreachable", "Invalid argument") and the rest
            finish(Outcome.local(what + ": " + message(e)));
        }
    }

    static String message(IOException e) {
        if (e instanceof PortUnreachableException) return "port unreachable";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    final void register(Selector selector, int ops) throws IOException {
        channel.configureBlocking(false);
        channel.register(selector, ops, this);
    }
}
