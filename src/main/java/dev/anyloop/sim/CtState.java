package dev.anyloop.sim;

import dev.anyloop.state.ConntrackState;

/**
 * What conntrack says about a packet on one host: its state (NEW, ESTABLISHED, ...; never SNAT or DNAT,
 * which are status bits) and whether the connection was destination- or source-NATed there
 * ({@code --ctstate DNAT/SNAT}, nft {@code ct status dnat}).
 */
public record CtState(ConntrackState state, boolean dnat, boolean snat) {
    public CtState {
        if (state.status()) throw new IllegalArgumentException(state + " is a status bit, not a conntrack state");
    }

    public static final CtState NEW = new CtState(ConntrackState.NEW, false, false);
    public static final CtState INVALID = new CtState(ConntrackState.INVALID, false, false);

    public static CtState established(boolean dnat, boolean snat) { return new CtState(ConntrackState.ESTABLISHED, dnat, snat); }

    /** True when {@code --ctstate WORD} would match: the state itself, or DNAT / SNAT. */
    public boolean is(String word) { return ConntrackState.of(word).map(this::is).orElse(false); }

    public boolean is(ConntrackState s) {
        if (s == ConntrackState.DNAT) return dnat;
        if (s == ConntrackState.SNAT) return snat;
        return state == s;
    }

    @Override
    public String toString() { return state + (dnat ? ",DNAT" : "") + (snat ? ",SNAT" : ""); }
}
