package dev.anyloop.watch;

import dev.anyloop.apply.ApplyException;
import dev.anyloop.apply.Drain;
import dev.anyloop.apply.Engine;
import dev.anyloop.apply.HostRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * The drains of the apply engine's state file for this router (the one {@code anyloop drain --host ROUTER} writes,
 * same {@code --netns} and {@code --state-dir}), read through {@link Engine#peek()}: without the engine's lock, so a
 * drain is never refused because watch is reading. The file is replaced by a rename, so a read sees the old record
 * or the new one, never half of one.
 */
public final class StateFile implements Recorded.Source {
    private final Engine engine;

    public StateFile(Engine engine) { this.engine = engine; }

    @Override
    public Recorded read() {
        HostRecord r;
        try {
            r = engine.peek();
        } catch (ApplyException e) {
            throw new IllegalStateException("cannot read the state file of " + engine.target().describe() + ": " + e.getMessage(), e);
        }
        return of(r);
    }

    /** The drains and the change in flight of {@code r} (pure). */
    static Recorded of(HostRecord r) {
        Set<Recorded.Drained> out = new HashSet<>();
        for (Drain d : r.drains()) out.add(new Recorded.Drained(d.service(), d.host()));
        return new Recorded(out, r.journal().isPresent());
    }

    @Override
    public String describe() { return "state file in " + engine.stateDir(); }
}
