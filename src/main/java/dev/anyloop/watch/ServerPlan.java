package dev.anyloop.watch;

import dev.anyloop.intent.BgpDef;
import dev.anyloop.intent.CheckSpec;
import dev.anyloop.intent.Intent;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Prefix;
import dev.anyloop.state.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code anyloop watch --host SERVER} watches on a BGP server (issue 12): every address of every service the
 * server announces over BGP, checked by the server itself (from the address to itself: {@link WatchPlan.Item#source()}),
 * so a server whose daemon stops answering takes its own announcement back and the routers choose another server.
 * An item's route is the one BIRD's {@code announce.SERVICE.FAMILY} static protocol holds ({@code route X/32
 * blackhole}, bird.conf): what the announcement carries, never a kernel route. Pure.
 */
public final class ServerPlan {
    private ServerPlan() { }

    /** True when {@code host} is a BGP server of {@code intent}: watch on it switches announcements, not routes. */
    public static boolean isBgpServer(Intent intent, String host) {
        BgpDef.Speaker s = intent.bgp().speakers().get(host);
        return s != null && s.role() == BgpDef.Role.SERVER;
    }

    /** The plan of BGP server {@code server}; throws {@link WatchPlan.NothingToWatch} when it has nothing to watch. */
    public static WatchPlan of(Intent intent, String server) {
        if (!isBgpServer(intent, server)) throw new WatchPlan.NothingToWatch("host " + server + " is not a BGP server of " + intent.file());
        if (intent.health().isEmpty()) {
            throw new WatchPlan.NothingToWatch(intent.file() + " has no health: section: it says what to check (docs/watch.md)");
        }
        List<WatchPlan.Item> items = new ArrayList<>();
        for (ServiceDef s : intent.services().values()) {
            int rank = s.hosts().indexOf(server);
            if (rank < 0 || intent.bgp().announce(s.name()).isEmpty()) continue;
            Optional<CheckSpec> check = intent.health().get().check(s.name());
            for (Ip x : s.addresses()) {
                items.add(new WatchPlan.Item(new Instance(s.name(), x, server, rank), announcement(x), check, Optional.empty()));
            }
        }
        if (items.isEmpty()) throw new WatchPlan.NothingToWatch("BGP server " + server + " announces no service: nothing to watch");
        return new WatchPlan(server, items, intent.health().get().damping());
    }

    /** BIRD's static route of the announcement of {@code x} (render.BirdRenderer: {@code route X/32 blackhole;}). */
    static Route announcement(Ip x) {
        return new Route(Route.Type.BLACKHOLE, Prefix.host(x), Route.TABLE_MAIN, List.of(), 0, Optional.empty(), Route.PROTO_BIRD,
                Route.Scope.GLOBAL);
    }
}
