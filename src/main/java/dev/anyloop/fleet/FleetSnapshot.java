package dev.anyloop.fleet;

import dev.anyloop.os.Snapshotter;
import dev.anyloop.os.Target;
import dev.anyloop.snapshot.SnapshotException;
import dev.anyloop.snapshot.SnapshotReader;
import dev.anyloop.state.DeviceState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every open host of a fleet at once, in the snapshot format (one sh process per host, {@link Snapshotter}),
 * and checks that what came back reads as a host: a truncated or garbled file is an error naming the host and the
 * file, never a host silently simulated from half its state.
 */
public final class FleetSnapshot {
    private FleetSnapshot() { }

    /** One host's read: the files and the state they give, or why there is none. */
    public sealed interface Read {
        String host();
    }

    /** The host as read. */
    public record Good(String host, Snapshotter.Snapshot files, DeviceState state) implements Read { }

    /** The host could not be read, or what it returned does not parse. */
    public record Bad(String host, String why) implements Read { }

    /** Every open host of {@code fleet}, in parallel, in {@code hosts} order (those not open are left out). */
    public static Map<String, Read> read(Fleet fleet, List<String> hosts) {
        Map<String, Object> results = fleet.each(hosts, (h, t) -> readOne(h, t));
        Map<String, Read> out = new LinkedHashMap<>();
        for (String h : hosts) {
            Object o = results.get(h);
            if (o == null) continue;
            out.put(h, o instanceof Read ? (Read) o : new Bad(h, String.valueOf(((Throwable) o).getMessage())));
        }
        return out;
    }

    /** One host, read through {@code t} and checked to parse. */
    public static Read readOne(String host, Target t) {
        Snapshotter.Snapshot s;
        try {
            s = new Snapshotter(t).read(Snapshotter.FULL, List.of());
        } catch (RuntimeException e) {
            return new Bad(host, "cannot read " + t.describe() + ": " + e.getMessage());
        }
        try {
            return new Good(host, s, SnapshotReader.readHost(host, s.files()));
        } catch (SnapshotException e) {
            return new Bad(host, t.describe() + " returned a snapshot that does not read (truncated or garbled): " + e.getMessage());
        }
    }

    /** The states of the hosts that were read. */
    public static Map<String, DeviceState> states(Map<String, Read> reads) {
        Map<String, DeviceState> out = new LinkedHashMap<>();
        for (Read r : reads.values()) if (r instanceof Good) out.put(r.host(), ((Good) r).state());
        return out;
    }
}
