package dev.anyloop.intent;

import dev.anyloop.intent.Intent.ExpectDef;
import dev.anyloop.intent.Intent.ServiceDef;
import dev.anyloop.net.Ip;
import dev.anyloop.net.Proto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two {@code expect:} entries that ask for the same flow (same client, protocol, port and destination address, a
 * service name standing for each of its addresses) once reachable and once not: one of them must fail whatever
 * the network does.
 */
final class Contradictions {
    private final Intent intent;
    private final Problems problems;

    Contradictions(Intent intent, Problems problems) {
        this.intent = intent;
        this.problems = problems;
    }

    private record Flow(String from, Proto proto, int port, Ip to) { }

    void run() {
        Map<Flow, ExpectDef> first = new HashMap<>();
        for (ExpectDef e : intent.expectations()) {
            for (Ip to : addresses(e)) {
                Flow f = new Flow(e.from(), e.proto(), e.port(), to);
                ExpectDef earlier = first.putIfAbsent(f, e);
                if (earlier == null || earlier.reachable() == e.reachable()) continue;
                String path = problems.pathOf(e.pos());
                String flow = e.from() + " -> " + e.proto().word() + (e.proto() == Proto.ICMP ? " " + to : " " + to + ":" + e.port());
                problems.at(path, "expect entry " + (index(path) + 1) + ": contradicts expect entry "
                        + (index(problems.pathOf(earlier.pos())) + 1) + " (line " + earlier.pos().line() + "): " + flow
                        + " cannot be both reachable and not reachable");
                break;
            }
        }
    }

    private List<Ip> addresses(ExpectDef e) {
        ServiceDef s = intent.services().get(e.to());
        if (s != null) return s.addresses();
        return Ip.tryParse(e.to()).map(List::of).orElse(List.of());
    }

    private static int index(String path) {
        return Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.length() - 1));
    }
}
