package dev.anyloop.os;

import java.util.function.Supplier;

/** Opens the target a {@link TargetSpec} names: this machine, a network namespace here, or an SSH session. */
public final class Targets {
    private Targets() { }

    /**
     * The target of {@code spec}; an SSH one through {@code ssh} (asked only for SSH targets). Throws
     * {@link TargetException} when it cannot be used: a namespace that does not exist, a host that does not answer.
     */
    public static Target open(TargetSpec spec, Supplier<SshConnector> ssh) {
        switch (spec.kind()) {
            case LOCAL:
                return new LocalTarget();
            case NETNS: {
                NetnsTarget t = new NetnsTarget(spec.namespace());
                if (!t.exists()) {
                    throw new TargetException(TargetException.Reason.UNREACHABLE, spec + ": network namespace " + spec.namespace()
                            + " does not exist (ip netns list; for --lab, is the lab up?)");
                }
                return t;
            }
            case SSH:
                return ssh.get().open(spec);
            default:
                throw new IllegalStateException(spec.kind().name());
        }
    }
}
