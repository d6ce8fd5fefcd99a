package dev.anyloop.os;

/**
 * A target that cannot be used at all: not reachable, its host key unknown or changed, authentication
 * refused, a missing namespace. The message names the target and says what to do; nothing was run on it.
 */
public final class TargetException extends RuntimeException {
    /** What went wrong, for callers that react differently (a test, the JSON output). */
    public enum Reason { UNREACHABLE, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, AUTH_REFUSED, LOST, NOT_USABLE }

    private final Reason reason;

    public TargetException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TargetException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
