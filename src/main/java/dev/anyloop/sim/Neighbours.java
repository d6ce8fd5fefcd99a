package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import java.util.ArrayList;
import java.util.List;

/**
 * The neighbour entries one flow creates: a host that answers an ARP request (or neighbour
 * solicitation) learns the asker's address from it (arp_process: neigh_event_ns), so its reply to
 * that address needs no resolution of its own, even where its own ARP request would go unanswered.
 */
final class Neighbours {
    private record Entry(HostModel host, String dev, Ip ip) { }

    private final List<Entry> learned = new ArrayList<>(4);

    void learn(HostModel host, String dev, Ip ip) { learned.add(new Entry(host, dev, ip)); }

    boolean knows(HostModel host, String dev, Ip ip) {
        for (Entry e : learned) if (e.host == host && e.dev.equals(dev) && e.ip.equals(ip)) return true;
        return false;
    }
}
