package dev.anyloop.intent;

import dev.anyloop.net.Family;

/**
 * The metrics Linux gives routes it is handed without one, so the validator (collisions) and the compiler (the routes
 * themselves) agree on them.
 */
public final class KernelMetrics {
    /** IPv6 replaces a user route's metric 0 with IP6_RT_PRIO_USER (1024); IPv4 keeps 0. */
    public static final int V6_USER = 1024;
    /** IPv6 prefix routes of interface addresses get IP6_RT_PRIO_ADDRCONF (256); IPv4 connected routes 0. */
    public static final int V6_CONNECTED = 256;

    private KernelMetrics() { }

    /** The metric a route given with {@code metric} gets in the kernel. */
    public static int user(Family f, int metric) { return f == Family.V6 && metric == 0 ? V6_USER : metric; }

    /** The metric of the connected route of an interface address. */
    public static int connected(Family f) { return f == Family.V6 ? V6_CONNECTED : 0; }
}
