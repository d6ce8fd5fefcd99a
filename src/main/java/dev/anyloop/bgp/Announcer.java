package dev.anyloop.bgp;

import dev.anyloop.net.Family;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The switch a health check turns on a BGP server (issue 12, item 5): the server's announcements of its services,
 * one service and family at a time (one BIRD static protocol each, {@link BirdNames#announce}), or every family of
 * a service at once. {@code anyloop watch}'s actuator on a server ({@code watch.AnnounceActuator}, docs/watch.md
 * "BGP servers") maps an instance's WITHDRAW/RESTORE to the family switch and reads the live state from
 * {@link #announcements}; {@code os.Birdc} implements it through BIRD's control socket, without a restart and
 * without touching the sessions.
 */
public interface Announcer {
    /** For messages: "BIRD at /run/bird/bird.ctl (netns al-x-dns-a1)". */
    String describe();

    /** Every announce protocol BIRD has, by service and family: true while it is up (announcing). */
    Map<String, Map<Family, Boolean>> announcements();

    /** The services whose announcements are live now (every family's announce protocol up). */
    default Set<String> announced() {
        Set<String> out = new TreeSet<>();
        announcements().forEach((service, up) -> { if (!up.containsValue(false)) out.add(service); });
        return out;
    }

    /** Takes back the announcement of {@code service} (every family); false when this server has none (nothing changed). */
    boolean withdraw(String service);

    /** Announces {@code service} again (every family); false when this server has no such announcement. */
    boolean restore(String service);

    /** Takes back {@code service}'s announcement of its {@code family} addresses; false when this server has none. */
    boolean withdraw(String service, Family family);

    /** Announces {@code service}'s {@code family} addresses again; false when this server has no such announcement. */
    boolean restore(String service, Family family);
}
