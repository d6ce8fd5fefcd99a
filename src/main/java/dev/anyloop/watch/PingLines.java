package dev.anyloop.watch;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads iputils {@code ping -n -O} output, one line per echo request: a reply ("64 bytes from X: icmp_seq=3 ttl=64
 * time=0.047 ms"), no reply by the time the next request left ("no answer yet for icmp_seq=3", -O), an ICMP error
 * ("From 192.168.1.1 icmp_seq=3 Destination Host Unreachable"), or ping's own error ("ping: sendmsg: Invalid
 * argument", "ping: bind: Cannot assign requested address"): the checker's, not the instance's.
 */
final class PingLines {
    private static final Pattern REPLY = Pattern.compile("\\d+ bytes from \\S+: icmp_seq=\\d+ .*time=([0-9.]+) ms.*");
    private static final Pattern ERROR = Pattern.compile("From (\\S+) icmp_seq=\\d+ (.+)");

    private PingLines() { }

    /** The outcome a line reports; empty for the banner and the summary. */
    static Optional<Outcome> parse(String line, long timeoutNanos) {
        Matcher m = REPLY.matcher(line);
        if (m.matches()) {
            long nanos = Math.round(Double.parseDouble(m.group(1)) * 1_000_000);
            if (nanos > timeoutNanos) return Optional.of(Outcome.fail("icmp echo reply after " + m.group(1) + " ms, over the timeout", nanos));
            return Optional.of(Outcome.ok("icmp echo reply", nanos));
        }
        if (line.startsWith("no answer yet for icmp_seq=")) return Optional.of(Outcome.fail("icmp: no echo reply before the next request", 0));
        m = ERROR.matcher(line);
        if (m.matches()) return Optional.of(Outcome.fail("icmp: " + m.group(2) + " (from " + m.group(1) + ")", 0));
        if (line.startsWith("ping: ")) return Optional.of(Outcome.local(line));
        return Optional.empty();
    }
}
