package dev.anyloop.watch;

import dev.anyloop.net.Ip;
import java.util.Comparator;

/**
 * One thing watch keeps in service or out of it: service {@code service}'s address {@code address} as carried by
 * host {@code host}, {@code rank} being the host's place in the service's preference order (0 = most preferred,
 * the route with metric 1).
 */
public record Instance(String service, Ip address, String host, int rank) implements Comparable<Instance> {
    private static final Comparator<Instance> ORDER = Comparator.comparing(Instance::service).thenComparing(Instance::address)
            .thenComparingInt(Instance::rank).thenComparing(Instance::host);

    /** The service address this instance is one of the carriers of. */
    public Group group() { return new Group(service, address); }

    @Override
    public int compareTo(Instance o) { return ORDER.compare(this, o); }

    /** "dns 10.53.0.53 on pi1". */
    @Override
    public String toString() { return service + " " + address + " on " + host; }

    /** A service address and all the hosts that carry it: the unit of the never-withdraw-the-last-route rule. */
    public record Group(String service, Ip address) implements Comparable<Group> {
        @Override
        public int compareTo(Group o) {
            int c = service.compareTo(o.service);
            return c != 0 ? c : address.compareTo(o.address);
        }

        @Override
        public String toString() { return service + " " + address; }
    }
}
