package dev.anyloop.apply;

/**
 * A refusal or failure of apply, diff, confirm, rollback or drain, with the exit code the command line
 * returns: 2 when nothing was changed because the input or the host's state does not allow it (a lock held,
 * a corrupt or newer state file, a missing interface address or tool), 1 when a change failed or did not
 * verify and the host was put back as it was.
 */
public final class ApplyException extends Exception {
    private final int exit;

    public ApplyException(int exit, String message) {
        super(message);
        this.exit = exit;
    }

    public int exit() { return exit; }
}
