package dev.anyloop.sim;

import dev.anyloop.net.Ip;
import java.util.Optional;

/**
 * What a round trip came to, without its trace (the bulk path for {@code check}): whether the reply came back, the
 * verdict that decided, the source address the client's kernel chose (empty when it chose none), and the host that
 * answered the request.
 */
public record Outcome(Flow flow, boolean reachable, Verdict verdict, Optional<Ip> source, Optional<String> answeredBy) {
    /** The same facts read from a traced round trip. */
    public static Outcome of(RoundTrip rt) {
        Optional<Ip> src = rt.flow().src().or(() -> rt.forward().steps().stream().filter(st -> st instanceof Step.SourceSelected)
                .map(st -> ((Step.SourceSelected) st).address()).findFirst());
        Optional<String> by = rt.reply().isPresent() ? Optional.of(rt.forward().verdict().step().host()) : Optional.empty();
        return new Outcome(rt.flow(), rt.reachable(), rt.verdict(), src, by);
    }
}
