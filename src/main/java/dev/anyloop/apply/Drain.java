package dev.anyloop.apply;

import dev.anyloop.net.Ip;
import java.util.List;

/**
 * T7's maintenance step as a record: service {@code service}'s routes through {@code host} withdrawn on the
 * router whose state file holds it. It keeps what it matched when it was made (the service's addresses and
 * the host's interface addresses), so every later apply withdraws the same routes without network.yaml.
 */
public record Drain(String service, String host, List<Ip> addresses, List<Ip> via, long since) {
    public Drain {
        addresses = List.copyOf(addresses);
        via = List.copyOf(via);
    }

    /** Same service on the same host: one drain. */
    public boolean sameAs(Drain o) { return service.equals(o.service) && host.equals(o.host); }

    @Override
    public String toString() { return service + " via " + host; }
}
