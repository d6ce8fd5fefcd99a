package dev.anyloop.bgp;

import java.util.Set;

/**
 * The switch a health check turns on a BGP server (issue 12, item 5): the server's announcements of its services,
 * one service at a time and every address of it at once. {@code anyloop watch}'s actuator on a server (issue 10,
 * docs/watch.md "The actuator") maps an instance's WITHDRAW/RESTORE to {@link #withdraw}/{@link #restore} and reads
 * the instances in service from {@link #announced}; {@code os.Birdc} implements it through BIRD's control socket,
 * without a restart and without touching the sessions.
 */
public interface Announcer {
    /** For messages: "BIRD at /run/bird/bird.ctl (netns al-x-dns-a1)". */
    String describe();

    /** The services whose announcements are live now (every family's announce protocol up). */
    Set<String> announced();

    /** Takes back the announcement of {@code service}; false when this server has none (nothing changed). */
    boolean withdraw(String service);

    /** Announces {@code service} again; false when this server has no such announcement. */
    boolean restore(String service);
}
