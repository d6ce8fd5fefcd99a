package dev.anyloop.watch;

import dev.anyloop.intent.HealthDef.DampingDef;

/**
 * Route-flap damping of one instance, as BGP does it (RFC 2439, section 4): each failure adds a fixed penalty,
 * the penalty decays exponentially with a half-life, the instance is suppressed (held out of service) once the
 * penalty reaches {@code suppress} and reused once it has decayed below {@code reuse}. The penalty is capped at
 * {@code reuse * 2^(maxSuppress / halfLife)}, so no suppression outlasts max-suppress. Immutable; times in
 * milliseconds of the caller's clock.
 */
public record Penalty(double value, long at, boolean suppressed) {
    public static final Penalty NONE = new Penalty(0, 0, false);

    /** The penalty at {@code now}, decayed, with suppression lifted if it fell below reuse. */
    public Penalty at(long now, DampingDef d) {
        if (value == 0) return new Penalty(0, now, false);
        double v = value * Math.pow(0.5, (double) Math.max(0, now - at) / d.halfLife().toMillis());
        if (v < 1) v = 0;
        return new Penalty(v, now, suppressed && v > d.reuse());
    }

    /** One more failure at {@code now}. */
    public Penalty flap(long now, DampingDef d) {
        Penalty p = at(now, d);
        double v = Math.min(ceiling(d), p.value + d.penalty());
        return new Penalty(v, now, p.suppressed || v >= d.suppress());
    }

    /** The largest penalty: it decays to reuse in exactly max-suppress. */
    public static double ceiling(DampingDef d) {
        return d.reuse() * Math.pow(2, (double) d.maxSuppress().toMillis() / d.halfLife().toMillis());
    }

    /** When a suppressed penalty will have decayed below reuse, counted from {@link #at}. */
    public long reuseAt(DampingDef d) {
        if (!suppressed) return at;
        return at + (long) Math.ceil(d.halfLife().toMillis() * Math.log(value / d.reuse()) / Math.log(2));
    }
}
