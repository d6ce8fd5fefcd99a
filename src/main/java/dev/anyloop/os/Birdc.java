package dev.anyloop.os;

import dev.anyloop.bgp.Announcer;
import dev.anyloop.bgp.BirdNames;
import dev.anyloop.net.Family;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One BIRD's control socket: {@code birdc -s SOCKET COMMAND...}, inside a network namespace or on the host itself.
 * birdc joins its arguments into one command line that BIRD's own parser reads, so every word here is either a
 * fixed keyword or a protocol name anyloop made ({@link BirdNames}), quoted as BIRD reads symbols.
 *
 * <p>The announcement switch ({@link #withdraw}, {@link #restore}) is what health checks use: disabling a
 * server's {@code announce.SERVICE.v4} static protocol withdraws exactly that service's prefixes from every peer,
 * without restarting BIRD or touching its sessions; enabling it announces them again. A BIRD that restarts comes
 * back with every protocol enabled (the config says so): the caller re-applies its withdrawals.
 */
public final class Birdc implements Announcer {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CommandRunner runner;
    private final Optional<String> netns;
    private final Path socket;

    public Birdc(CommandRunner runner, Optional<String> netns, Path socket) {
        this.runner = runner;
        this.netns = netns.map(Netns::check);
        this.socket = socket;
    }

    public Path socket() { return socket; }

    @Override
    public String describe() { return "BIRD at " + socket + netns.map(n -> " (netns " + n + ")").orElse(""); }

    /** Runs one birdc command; the result's output has birdc's "BIRD 2.x ready." banner removed. */
    public CommandRunner.Result run(List<String> words) {
        List<String> argv = new ArrayList<>(List.of("birdc", "-s", socket.toString()));
        argv.addAll(words);
        CommandRunner.Result r = netns.isPresent()
                ? new Netns(runner).exec(netns.get(), argv, Optional.empty(), TIMEOUT)
                : runner.run(argv, Optional.empty(), TIMEOUT);
        String out = r.out().lines().filter(l -> !l.startsWith("BIRD ") || !l.endsWith(" ready.")).reduce("", (a, b) -> a + b + "\n");
        // birdc exits 0 even when BIRD refuses a command; BIRD's refusals are lines such as "syntax error, ..." or
        // "... not found", which are the only output then
        return new CommandRunner.Result(r.argv(), r.exit(), out, r.err());
    }

    /** True when BIRD answers on the socket. */
    public boolean answers() {
        CommandRunner.Result r = run(List.of("show", "status"));
        return r.ok() && r.out().contains("Daemon is up and running");
    }

    /** {@code show protocols}: one line per protocol (name, proto, table, state, since, info) after a header. */
    public String protocols() { return run(List.of("show", "protocols")).orThrow().out(); }

    /** {@code show route}: every route BIRD holds, best first per prefix. */
    public String routes() { return run(List.of("show", "route")).orThrow().out(); }

    @Override
    public Map<String, Map<Family, Boolean>> announcements() {
        CommandRunner.Result r = run(List.of("show", "protocols", "\"" + BirdNames.announceAll() + "\""));
        // birdc exits 1 for "No protocols match" (no announcements) and when BIRD does not answer at all: only the
        // first is an answer ("Unable to connect to server control socket (PATH): ..." on stderr is not)
        if (!r.ok() && !r.out().contains("No protocols match")) {
            throw new IllegalStateException("birdc -s " + socket + " show protocols: " + (r.err() + r.out()).strip());
        }
        return announcementsIn(r.out());
    }

    /**
     * The announce protocols of a {@code show protocols} answer, by service and family, and whether each is up. BIRD
     * prints one line per protocol, "announce.dns.v4 Static master4 up 22:10:01.123" (name, protocol, table, state,
     * since, info); a disabled protocol is "down" (nest/proto.c, proto_cmd_show).
     */
    static Map<String, Map<Family, Boolean>> announcementsIn(String showProtocols) {
        Map<String, Map<Family, Boolean>> out = new TreeMap<>();
        for (String line : showProtocols.lines().toList()) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 4 || !w[0].startsWith("announce.") || !(w[0].endsWith(".v4") || w[0].endsWith(".v6"))) continue;
            String service = w[0].substring("announce.".length(), w[0].length() - ".v4".length());
            if (service.isEmpty()) continue;
            Family f = w[0].endsWith(".v4") ? Family.V4 : Family.V6;
            out.computeIfAbsent(service, k -> new EnumMap<>(Family.class)).put(f, w[3].equals("up"));
        }
        return out;
    }

    /**
     * The services of a {@code show protocols} answer whose announce protocols are all up. A service with one family
     * down is not announced as a whole: a client of that family is no longer sent to this server.
     */
    static Set<String> announcedIn(String showProtocols) {
        Set<String> out = new TreeSet<>();
        announcementsIn(showProtocols).forEach((service, up) -> { if (!up.containsValue(false)) out.add(service); });
        return out;
    }

    /** Withdraws this host's announcement of {@code service} (every family), without a restart; false if it has none. */
    @Override
    public boolean withdraw(String service) { return toggle("disable", BirdNames.announcePattern(service), service); }

    /** Announces {@code service} again after {@link #withdraw}; false if this host has no such announcement. */
    @Override
    public boolean restore(String service) { return toggle("enable", BirdNames.announcePattern(service), service); }

    /** Withdraws this host's announcement of {@code service}'s {@code family} addresses only. */
    @Override
    public boolean withdraw(String service, Family family) { return toggle("disable", BirdNames.announce(service, family), service); }

    /** Announces {@code service}'s {@code family} addresses again. */
    @Override
    public boolean restore(String service, Family family) { return toggle("enable", BirdNames.announce(service, family), service); }

    /**
     * {@code birdc disable "announce.SERVICE.*"} (or one protocol's name): BIRD matches the pattern against protocol
     * names and answers one line per protocol ("announce.dns.v4: disabled", or "... already disabled"), or "No
     * protocols match" (reply code 8003, and birdc exits 1) (nest/proto.c, proto_apply_cmd).
     */
    private boolean toggle(String verb, String pattern, String service) {
        String v4 = BirdNames.announce(service, Family.V4);
        String prefix = v4.substring(0, v4.length() - 2); // "announce.dns."

        CommandRunner.Result r = run(List.of(verb, "\"" + pattern + "\""));
        String out = r.out().strip();
        if (r.ok() && out.lines().anyMatch(l -> l.startsWith(prefix))) return true;
        if (out.contains("No protocols match")) return false;
        throw new IllegalStateException("birdc " + verb + " " + pattern + " on " + socket + ": " + (out.isEmpty() ? r.err().strip() : out));
    }
}
