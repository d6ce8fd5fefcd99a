package dev.anyloop.bench.before;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.Optional;

/**
 * A reachability question: from host {@code from} (optionally from a given source address) to
 * {@code dst} over {@code proto} and {@code port} (ignored for ICMP echo).
 */
public record Flow(String from, Optional<Ip> src, Ip dst, Proto proto, int port) {
    public Flow {
        if (proto != Proto.ICMP && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("Invalid port " + port + " for " + proto.word() + ": not in 1-65535");
        }
        src.ifPresent(s -> {
            if (s.family() != dst.family()) {
                throw new IllegalArgumentException("source " + s + " and destination " + dst + " are not the same family");
            }
        });
    }

    public static Flow of(String from, Ip dst, Proto proto, int port) { return new Flow(from, Optional.empty(), dst, proto, port); }

    @Override
    public String toString() {
        return from + src.map(s -> " (from " + s + ")").orElse("") + " -> " + proto.word() + " "
                + (proto == Proto.ICMP ? dst.toString() : Packet.hostPort(dst, port));
    }
}
