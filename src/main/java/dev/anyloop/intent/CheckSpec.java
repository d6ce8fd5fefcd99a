package dev.anyloop.intent;

import dev.anyloop.net.Proto;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One service's health check as {@code anyloop watch} runs it against each instance, every default filled in
 * (docs/network-yaml.md, "health"). Dispatch over the four kinds goes through {@link Visitor}, so a new kind
 * cannot be forgotten by a prober or a renderer.
 */
public sealed interface CheckSpec permits CheckSpec.Tcp, CheckSpec.Dns, CheckSpec.Http, CheckSpec.Icmp {
    /** The check words of network.yaml ({@code check: tcp}). */
    enum Kind {
        TCP, DNS, HTTP, ICMP, NONE;

        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** How often, how long to wait, and how many results in a row change an instance's health. */
    record Timing(Duration interval, Duration timeout, int rise, int fall) {
        /** Fails over in well under a second: 3 failures 100 ms apart, each given 250 ms. */
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(100), Duration.ofMillis(250), 5, 3);
    }

    Timing timing();

    Kind kind();

    <R> R accept(Visitor<R> v);

    /** One method per kind. */
    interface Visitor<R> {
        R tcp(Tcp c);

        R dns(Dns c);

        R http(Http c);

        R icmp(Icmp c);
    }

    /** A TCP connect that completes (SYN answered by SYN-ACK). */
    record Tcp(int port, Timing timing) implements CheckSpec {
        public Kind kind() { return Kind.TCP; }

        public <R> R accept(Visitor<R> v) { return v.tcp(this); }
    }

    /**
     * A DNS query for {@code name}/{@code type} over {@code transport} that must be answered; with {@code rcodes}
     * the answer's RCODE must be one of them (empty: any well-formed answer to this query).
     */
    record Dns(Proto transport, int port, String name, String type, List<String> rcodes, Timing timing) implements CheckSpec {
        public Dns { rcodes = List.copyOf(rcodes); }

        public Kind kind() { return Kind.DNS; }

        public <R> R accept(Visitor<R> v) { return v.dns(this); }
    }

    /** An HTTP/1.1 GET of {@code path} whose status is one of {@code statuses}. */
    record Http(int port, String path, List<Integer> statuses, Timing timing) implements CheckSpec {
        public Http { statuses = List.copyOf(statuses); }

        public Kind kind() { return Kind.HTTP; }

        public <R> R accept(Visitor<R> v) { return v.http(this); }
    }

    /** An ICMP echo request answered by an echo reply. */
    record Icmp(Timing timing) implements CheckSpec {
        public Kind kind() { return Kind.ICMP; }

        public <R> R accept(Visitor<R> v) { return v.icmp(this); }
    }
}
