package dev.anyloop.fleet;

import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import dev.anyloop.sim.Flow;

/** One (client, service address, port) the preview and the rollout proof ask about; {@code service} names it for people. */
public record Query(String client, Ip address, Proto proto, int port, String service) {
    public Flow flow() { return Flow.of(client, address, proto, proto == Proto.ICMP ? 0 : port); }

    /** "cam -> 10.10.10.10 tcp/80 (web)". */
    @Override
    public String toString() {
        return client + " -> " + address + " " + (proto == Proto.ICMP ? "icmp" : proto.word() + "/" + port) + (service.isEmpty() ? "" : " (" + service + ")");
    }
}
