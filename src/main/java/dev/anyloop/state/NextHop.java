package dev.anyloop.state;

import dev.anyloop.net.Ip;
import java.util.Optional;

/** One path of a route: an optional gateway, the egress device and, for multipath, its weight. */
public record NextHop(Optional<Ip> via, String dev, int weight) {
    public static NextHop dev(String dev) { return new NextHop(Optional.empty(), dev, 1); }

    public static NextHop via(Ip gw, String dev) { return new NextHop(Optional.of(gw), dev, 1); }

    @Override
    public String toString() { return via.map(v -> "via " + v + " ").orElse("") + "dev " + dev; }
}
