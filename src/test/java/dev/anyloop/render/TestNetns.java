package dev.anyloop.render;

import dev.anyloop.os.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A uniquely named, empty network namespace for root tests; {@link #close()} deletes it. Nothing
 * in it is connected to the root namespace.
 */
final class TestNetns implements AutoCloseable {
    static final CommandRunner RUN = new CommandRunner(Duration.ofSeconds(30));

    final String name;

    private TestNetns(String name) { this.name = name; }

    static TestNetns create() {
        String name = "alrt-" + UUID.randomUUID().toString().substring(0, 8);
        RUN.run("ip", "netns", "add", name).orThrow();
        TestNetns ns = new TestNetns(name);
        // no duplicate address detection: an IPv6 address stays "tentative" until DAD ends, and
        // the kernel refuses a tentative address as a route's src
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0").orThrow();
        ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0").orThrow();
        return ns;
    }

    /** Runs argv inside the namespace. */
    CommandRunner.Result exec(String... argv) { return exec(List.of(argv), Optional.empty()); }

    CommandRunner.Result exec(List<String> argv, Optional<String> stdin) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(argv);
        return RUN.run(all, stdin, Duration.ofSeconds(30));
    }

    CommandRunner.Result feed(String stdin, String... argv) { return exec(List.of(argv), Optional.of(stdin)); }

    /** A veth pair whose far end is up too, so the near end has carrier once it is set up. */
    void veth(String dev, String peer) {
        exec("ip", "link", "add", dev, "type", "veth", "peer", "name", peer).orThrow();
        exec("ip", "link", "set", peer, "up").orThrow();
    }

    static boolean exists(String name) {
        return RUN.run("ip", "netns", "list").out().lines().anyMatch(l -> l.split(" ")[0].equals(name));
    }

    @Override
    public void close() { RUN.run("ip", "netns", "del", name); }
}
