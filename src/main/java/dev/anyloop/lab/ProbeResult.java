package dev.anyloop.lab;

/** What a real probe found: whether it got through, who answered (a service's banner, or a DNS TXT), and why. */
public record ProbeResult(boolean reachable, String answeredBy, String detail) {
    public static ProbeResult answered(String by, String detail) { return new ProbeResult(true, by, detail); }

    public static ProbeResult failed(String detail) { return new ProbeResult(false, "", detail); }
}
