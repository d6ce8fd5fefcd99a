package dev.anyloop.bench.before;

import java.util.Locale;

/**
 * What conntrack says about a packet on one host: its state (NEW, ESTABLISHED, ...) and whether the
 * connection was destination- or source-NATed there ({@code --ctstate DNAT/SNAT}).
 */
public record CtState(State state, boolean dnat, boolean snat) {
    /** The conntrack states iptables' state and conntrack matches know. */
    public enum State {
        NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED;

        public String word() { return name(); }
    }

    public static final CtState NEW = new CtState(State.NEW, false, false);
    public static final CtState INVALID = new CtState(State.INVALID, false, false);

    public static CtState established(boolean dnat, boolean snat) { return new CtState(State.ESTABLISHED, dnat, snat); }

    /** True when {@code --ctstate WORD} would match: the state itself, or DNAT / SNAT. */
    public boolean is(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        if ("DNAT".equals(w)) return dnat;
        if ("SNAT".equals(w)) return snat;
        return state.name().equals(w);
    }

    @Override
    public String toString() { return state + (dnat ? ",DNAT" : "") + (snat ? ",SNAT" : ""); }
}
